/**
 * Hostile vendor content end to end (issue 9): each crafted answer is read through the gateway
 * while `/healthz` is polled and a normal ticket of another provider is read. Bounds here are
 * generous robustness bounds, not timings: before the worker pool, these reads froze the event
 * loop for seconds to minutes.
 */
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';
import { postQuery, sampleRef, useDesksGateway, type Answer } from '../helpers/in-process.js';

type Json = Record<string, unknown>;

const TICKET = `query Ticket($provider: Provider!, $ref: String!) {
  ticket(provider: $provider, ref: $ref) { ref subject cacheStatus messages { nativeId bodyText bodyHtml bodyTruncated } }
}`;
const SUBJECT_ONLY = `query Subject($provider: Provider!, $ref: String!) { ticket(provider: $provider, ref: $ref) { ref subject cacheStatus } }`;
const TIMEOUT_MS = 10_000;

const env = useDesksGateway();
let url: string;

// Started in beforeAll, the gateway lives for the whole file; the helper closes it after.
beforeAll(async () => {
  // A render budget a loaded test machine cannot miss for an ordinary body, so outcomes here
  // depend on the bounds, not on timing (test/bodies covers the budget itself).
  url = await env.start({ HEADONI: { ttlSeconds: 0 }, TICKITI: { ttlSeconds: 0 } }, { bodies: { renderTimeoutMs: 2000, threads: 1 } });
  // Warm: the pool's workers loaded and a connection to each desk open, so the probes below
  // measure serving, not start-up.
  await Promise.all(PROVIDERS.map((provider) => postQuery(url, TICKET, { provider, ref: sampleRef(provider, 2) })));
});

/** The simulator's stored copy of a sample ticket, to craft from (its store holds vendor-shaped JSON). */
function stored(provider: Provider, key: string): Json {
  const ticket = env.desks.simulators[provider].store.get(key);
  expect(ticket, `${provider} ${key}`).toBeDefined();
  return structuredClone(ticket) as Json;
}

function serve(provider: Provider, ticket: Json): void {
  env.desks.simulators[provider].store.add(ticket);
}

const tickitiRef = sampleRef('TICKITI', 0);
const headoniRef = sampleRef('HEADONI', 0);
const intercomRef = sampleRef('INTERCOM', 0);

/**
 * Serves the Tickiti sample ticket with its first response's html replaced, serialized here once
 * (so the in-process simulator's own JSON work does not stall the probes); gives that response's id.
 */
function tickitiWithHtml(html: string): string {
  const ticket = stored('TICKITI', `number:${tickitiRef}`);
  const responses = ticket['responses'] as Json[];
  responses[0] = { ...responses[0], html, plain_text: null };
  serve('TICKITI', ticket);
  env.desks.simulators.TICKITI.answerNextWith(JSON.stringify({ ok: true, data: ticket }));
  return String(responses[0]!['id']);
}

/**
 * The next Headoni answer: its sample ticket with these messages, serialized here once so the
 * in-process simulator's own JSON work does not stall the process the probes run in.
 */
function headoniWithMessages(messages: unknown[]): void {
  const ticket = stored('HEADONI', `number:${headoniRef}`);
  env.desks.simulators.HEADONI.answerNextWith(JSON.stringify({ ticket: { ...ticket, messages } }));
}

/** The next Intercom answer: its sample ticket with these parts. */
function intercomWithParts(parts: string): void {
  const { ticket_parts: _parts, ...ticket } = stored('INTERCOM', `id:${intercomRef}`);
  const partsJson = `"ticket_parts":{"type":"ticket_part.list","ticket_parts":${parts},"total_count":1300000}`;
  env.desks.simulators.INTERCOM.answerNextWith(JSON.stringify(ticket).replace(/^\{/, `{${partsJson},`));
}

interface Probe {
  answer: Answer;
  elapsedMs: number;
  /** Slowest `/healthz` answer while the hostile read was in flight. */
  slowestHealthMs: number;
  healthChecks: number;
  normal: Answer;
  normalMs: number;
}

/** Reads `ref` of `provider` while polling /healthz and reading a normal HostUp ticket. */
async function readUnderWatch(provider: Provider, ref: string, document = TICKET): Promise<Probe> {
  const health = new URL('/healthz', url).toString();
  let done = false;
  let slowestHealthMs = 0;
  let healthChecks = 0;
  const poll = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await request(health);
      await response.body.text();
      expect(response.statusCode).toBe(200);
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
      healthChecks += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const hostile = postQuery(url, document, { provider, ref }).then((answer) => ({ answer, elapsedMs: performance.now() - started }));
  // Give the hostile read a head start, then read another provider's ticket beside it.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const normalStarted = performance.now();
  const normal = await postQuery(url, TICKET, { provider: 'HOSTUP', ref: sampleRef('HOSTUP', 1) });
  const normalMs = performance.now() - normalStarted;
  const { answer, elapsedMs } = await hostile;
  done = true;
  await poll;
  return { answer, elapsedMs, slowestHealthMs, healthChecks, normal, normalMs };
}

function codes(answer: Answer): unknown[] {
  return (answer.body.errors ?? []).map((error) => error.extensions?.['code']);
}

function expectGatewayKeptServing(probe: Probe): void {
  expect(probe.healthChecks).toBeGreaterThan(0);
  expect(probe.slowestHealthMs).toBeLessThan(1000);
  expect(probe.normalMs).toBeLessThan(2000);
  expect(probe.normal.body.errors).toBeUndefined();
  expect((probe.normal.body.data?.['ticket'] as Json | null)?.['ref']).toBe(sampleRef('HOSTUP', 1));
  expect(probe.elapsedMs).toBeLessThan(TIMEOUT_MS + 2000);
  expect(codes(probe.answer)).not.toContain('INTERNAL_SERVER_ERROR');
}

type Message = { nativeId: string; bodyText: string | null; bodyHtml: string | null; bodyTruncated: boolean };
const messagesOf = (answer: Answer) => (answer.body.data?.['ticket'] as { messages: Message[] }).messages;

describe('hostile message bodies', () => {
  it('a 52-byte colspan of a million: spans clamped, the ticket reads whole, with and without bodies', async () => {
    tickitiWithHtml('<p>Hi</p><table><tr><td colspan="1000000">x</td></tr></table>');
    const subjectOnly = await readUnderWatch('TICKITI', tickitiRef, SUBJECT_ONLY);
    expectGatewayKeptServing(subjectOnly);
    expect(subjectOnly.answer.body.errors).toBeUndefined();

    const probe = await readUnderWatch('TICKITI', tickitiRef);
    expectGatewayKeptServing(probe);
    expect(probe.answer.body.errors).toBeUndefined();
    const first = messagesOf(probe.answer).find((message) => message.bodyHtml?.includes('<table>'));
    expect(first).toMatchObject({ bodyHtml: '<p>Hi</p><table><tr><td colspan="64">x</td></tr></table>', bodyTruncated: false });
    expect(first!.bodyText).toContain('Hi');
  });

  it('100,000 nested tags: cut to maxBytes and to bounded nesting, served truncated', async () => {
    const crafted = tickitiWithHtml(`${'<b>'.repeat(100_000)}deep`);
    const probe = await readUnderWatch('TICKITI', tickitiRef);
    expectGatewayKeptServing(probe);
    expect(probe.answer.body.errors).toBeUndefined();
    expect(messagesOf(probe.answer).find((message) => message.nativeId === crafted)).toMatchObject({ bodyTruncated: true });
  });

  it('a 4 MiB single body: served shortened and safe, bodyTruncated', async () => {
    const crafted = tickitiWithHtml(`<p>${'<i>word</i> <script>x()</script> '.repeat(120_000)}</p>`.slice(0, 4_000_000));
    const probe = await readUnderWatch('TICKITI', tickitiRef);
    expectGatewayKeptServing(probe);
    expect(probe.answer.body.errors).toBeUndefined();
    const cut = messagesOf(probe.answer).find((message) => message.nativeId === crafted);
    expect(cut).toMatchObject({ bodyTruncated: true });
    expect(cut!.bodyHtml).not.toContain('<script');
    expect(cut!.bodyText).not.toContain('x()');
    expect(cut!.bodyText!.startsWith('word word')).toBe(true);
  });

  it.each([
    ['1.3 million {} parts (Intercom)', 'INTERCOM' as const, intercomRef, () => intercomWithParts(`[${new Array(1_300_000).fill('{}').join(',')}]`)],
    ['a million zeros as messages (Headoni)', 'HEADONI' as const, headoniRef, () => headoniWithMessages(new Array(1_000_000).fill(0))],
    [
      '50,000 valid Markdown messages (Headoni)',
      'HEADONI' as const,
      headoniRef,
      () =>
        headoniWithMessages(
          Array.from({ length: 50_000 }, (_, index) => ({ id: `m${index}`, authorKind: 'end_user', bodyMd: `**msg** ${index}`, createdAt: null })),
        ),
    ],
  ])('%s: UPSTREAM_BAD_RESPONSE, quickly, while the gateway serves on', async (_name, provider, ref, craft) => {
    craft();
    const probe = await readUnderWatch(provider, ref);
    expectGatewayKeptServing(probe);
    expect(probe.answer.body.data?.['ticket']).toBeNull();
    expect(codes(probe.answer)).toEqual(['UPSTREAM_BAD_RESPONSE']);
  });

  it('a ticket cached clean, then hostile at the vendor, is served (STALE for a refused answer, truncated for a hostile body)', async () => {
    // ttlSeconds 0: every read asks the vendor, and the clean copy stays as the stale fallback.
    const clean = await postQuery(url, TICKET, { provider: 'HEADONI', ref: headoniRef });
    expect((clean.body.data?.['ticket'] as Json)['cacheStatus']).toBe('MISS');

    headoniWithMessages(new Array(1_000_000).fill(0));
    const refused = await postQuery(url, TICKET, { provider: 'HEADONI', ref: headoniRef });
    expect(refused.body.errors).toBeUndefined();
    expect(refused.body.data?.['ticket']).toMatchObject({ cacheStatus: 'STALE', subject: (clean.body.data?.['ticket'] as Json)['subject'] });

    headoniWithMessages([{ id: 'm1', authorKind: 'end_user', bodyMd: `${'<b>'.repeat(100_000)}x`, createdAt: null }]);
    const hostile = await postQuery(url, TICKET, { provider: 'HEADONI', ref: headoniRef });
    expect(hostile.body.errors).toBeUndefined();
    // Cut at maxBytes inside the tags (the "x" is past the cut), and the body says it was cut.
    expect(hostile.body.data?.['ticket']).toMatchObject({ cacheStatus: 'MISS', messages: [{ nativeId: 'm1', bodyTruncated: true }] });
    const [cut] = messagesOf(hostile);
    expect(cut!.bodyText ?? '').not.toContain('x');
    expect(cut!.bodyHtml ?? '').not.toMatch(/<(?!\/?b>|\/?p>)/);
  });
});

describe('bodies are rendered lazily and once', () => {
  it('a miss that selects no body renders none; bodies render once per cached ticket version', async () => {
    const ref = sampleRef('HOSTUP', 3);
    const before = env.gateway().bodies.stats().tasks;
    const subject = await postQuery(url, SUBJECT_ONLY, { provider: 'HOSTUP', ref });
    expect(subject.body.data?.['ticket']).toMatchObject({ cacheStatus: 'MISS' });
    expect(env.gateway().bodies.stats().tasks - before).toBe(0);

    const full = await postQuery(url, TICKET, { provider: 'HOSTUP', ref });
    expect(full.body.data?.['ticket']).toMatchObject({ cacheStatus: 'HIT' });
    const withBody = messagesOf(full).filter((message) => message.bodyText !== null).length;
    expect(withBody).toBeGreaterThan(0);
    const rendered = env.gateway().bodies.stats().tasks - before;
    expect(rendered).toBe(withBody);

    // Another read, by another caller shape (a fragment): the memo serves it, no new task.
    const again = await postQuery(url, `query($ref: String!) { ticket(provider: HOSTUP, ref: $ref) { messages { ...Body } } } fragment Body on Message { bodyHtml }`, { ref });
    expect(messagesOf(again).map((message) => message.bodyHtml)).toEqual(messagesOf(full).map((message) => message.bodyHtml));
    expect(env.gateway().bodies.stats().tasks - before).toBe(rendered);
  });
});
