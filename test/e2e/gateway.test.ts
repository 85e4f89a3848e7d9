/**
 * The built gateway process against the simulator processes, over real HTTP: what a user of
 * `npx deskgraph --config FILE` sees.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeDocument, ProvidersDocument, TicketDocument, TicketMessagesDocument, TicketsDocument } from '../../generated/graphql/graphql.js';
import { ticketId } from '../../src/domain/global-id.js';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { SAMPLE_THREADS } from '../../src/simulators/sample-threads.js';
import { fleetConfig, runToExit, startGateway, startSimulators, type GatewayProcess, type SimulatorFleet } from '../helpers/processes.js';

const ref = (provider: Provider, index: number) => SIMULATORS[provider].sampleRef(index);

let fleet: SimulatorFleet;
let gateway: GatewayProcess;

beforeAll(async () => {
  fleet = await startSimulators();
  gateway = await startGateway(fleetConfig(fleet));
});
afterAll(async () => {
  await gateway?.process.stop();
  await fleet?.process.stop();
});
beforeEach(async () => {
  await fleet.reset();
});

/**
 * SAMPLE_THREADS[0] as each vendor's desk holds it: Headoni and HostUp have no staff notes;
 * Tickiti's automated reply is a staff response (AGENT); TeamBattles keeps the opening message as
 * the description, its automated reply as a system message, and has no notes.
 */
const THREAD_AS_KEPT: Record<Provider, string[]> = {
  HEADONI: ['CUSTOMER PUBLIC', 'AUTOMATION PUBLIC', 'AGENT PUBLIC', 'CUSTOMER PUBLIC'],
  TICKITI: ['CUSTOMER PUBLIC', 'AGENT PUBLIC', 'AGENT PUBLIC', 'AGENT INTERNAL', 'CUSTOMER PUBLIC'],
  INTERCOM: ['CUSTOMER PUBLIC', 'AUTOMATION PUBLIC', 'AGENT PUBLIC', 'AGENT INTERNAL', 'CUSTOMER PUBLIC'],
  HOSTUP: ['CUSTOMER PUBLIC', 'AUTOMATION PUBLIC', 'AGENT PUBLIC', 'CUSTOMER PUBLIC'],
  TEAMBATTLES: ['SYSTEM PUBLIC', 'AGENT PUBLIC', 'CUSTOMER PUBLIC'],
};

describe('ticket(provider, ref)', () => {
  it.each(PROVIDERS)('reads a %s ticket with its thread in one vendor request', async (provider) => {
    const response = await gateway.query(TicketDocument, { provider, ref: ref(provider, 0) });
    expect(response.errors).toBeUndefined();
    const ticket = response.data!.ticket!;
    expect(ticket).toMatchObject({
      id: ticketId(provider, ticket.ref),
      provider,
      subject: 'Login broken on staging',
      cacheStatus: 'MISS',
    });
    // The sample thread (customer, automation, agent, staff note, customer) as each vendor keeps it.
    expect(ticket.messages.map((message) => `${message.authorKind} ${message.visibility}`)).toEqual(THREAD_AS_KEPT[provider]);
    // TeamBattles keeps the opening text as the description; the others as the first message.
    expect(provider === 'TEAMBATTLES' ? ticket.description : ticket.messages[0]!.bodyText).toContain('I loop back to');
    const times = ticket.messages.map((message) => message.createdAt);
    expect(times).toEqual([...times].sort());
    expect((await fleet.stats(provider)).requests).toBe(1);

    const again = await gateway.query(TicketDocument, { provider, ref: ticket.ref });
    expect(again.data!.ticket!.cacheStatus).toBe('HIT');
    // Read again by its canonical ref (for Headoni: the id after the number): one cache entry.
    expect((await fleet.stats(provider)).requests).toBe(1);
  });

  it('filters messages by visibility (Tickiti internal notes)', async () => {
    const all = await gateway.query(TicketMessagesDocument, { provider: 'TICKITI', ref: ref('TICKITI', 3) });
    const internal = await gateway.query(TicketMessagesDocument, { provider: 'TICKITI', ref: ref('TICKITI', 3), visibility: 'INTERNAL' });
    const notes = SAMPLE_THREADS[3]!.messages.filter((message) => message.role === 'note').map((message) => message.text);
    expect(internal.data!.ticket!.messages.map((message) => message.bodyText)).toEqual(notes);
    expect(all.data!.ticket!.messages.length).toBeGreaterThan(internal.data!.ticket!.messages.length);
  });

  it('is NOT_FOUND with provider and ref in extensions', async () => {
    const response = await gateway.query(TicketDocument, { provider: 'TEAMBATTLES', ref: 'no-such-ticket' });
    expect(response.data).toEqual({ ticket: null });
    expect(response.errors).toEqual([
      {
        message: 'TEAMBATTLES ticket "no-such-ticket" does not exist or is not visible to DeskGraph.',
        path: ['ticket'],
        locations: [{ line: 2, column: 3 }],
        extensions: { code: 'NOT_FOUND', provider: 'TEAMBATTLES', ref: 'no-such-ticket' },
      },
    ]);
  });

  it('is BAD_USER_INPUT for a bad ref, with zero upstream requests', async () => {
    const response = await gateway.query(TicketDocument, { provider: 'HEADONI', ref: '12/../admin' });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', provider: 'HEADONI', ref: '12/../admin' });
    expect(response.errors?.[0]?.message).toBe('"12/../admin" is not a valid HEADONI ref: expected digits (a ticket number or id).');
    expect(await fleet.totalRequests()).toBe(0);
  });

  it('is UPSTREAM_BAD_RESPONSE when the vendor answers with something that is not JSON', async () => {
    await fleet.controls('TICKITI', { malformed: 'not-json' });
    const response = await gateway.query(TicketDocument, { provider: 'TICKITI', ref: ref('TICKITI', 20) });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'TICKITI', ref: ref('TICKITI', 20) });
    expect(response.text).not.toContain('<html>');
  });

  it('is UPSTREAM_UNAVAILABLE when the vendor fails with a 5xx', async () => {
    await fleet.controls('INTERCOM', { failStatus: 500 });
    const response = await gateway.query(TicketDocument, { provider: 'INTERCOM', ref: ref('INTERCOM', 21) });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('neutralises hostile bodies from every vendor', async () => {
    for (const provider of PROVIDERS) {
      const response = await gateway.query(TicketDocument, { provider, ref: ref(provider, 8) });
      const html = response.data!.ticket!.messages.map((message) => message.bodyHtml ?? '').join('\n');
      // TeamBattles keeps the hostile opening as its plain-text description, not as a message.
      if (provider !== 'TEAMBATTLES') expect(html, provider).toContain('Hello');
      // Escaped text may say "onerror"; what must never survive is live markup.
      for (const hostile of [/<script/i, /<iframe/i, /<[^>]*\son[a-z]+\s*=/i, /<[^>]*(href|src)\s*=\s*["']?\s*javascript:/i, /<[^>]*\sstyle\s*=/i]) {
        expect(html, `${provider} ${hostile}`).not.toMatch(hostile);
      }
    }
  });
});

describe('tickets(refs)', () => {
  it('keeps order, reads each distinct ticket once, and fails only the bad ref', async () => {
    const refs = [
      { provider: 'HEADONI', ref: ref('HEADONI', 1) },
      { provider: 'TICKITI', ref: ref('TICKITI', 1) },
      { provider: 'INTERCOM', ref: ref('INTERCOM', 1) },
      { provider: 'HOSTUP', ref: ref('HOSTUP', 1) },
      { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 1) },
      { provider: 'HEADONI', ref: ref('HEADONI', 1) },
      { provider: 'HOSTUP', ref: 'tkt_doesnotexist' },
      { provider: 'TICKITI', ref: ref('TICKITI', 1) },
    ] as const;
    const response = await gateway.query(TicketsDocument, { refs: [...refs] });
    const tickets = response.data!.tickets;
    expect(tickets.map((ticket) => ticket?.provider ?? null)).toEqual([
      'HEADONI', 'TICKITI', 'INTERCOM', 'HOSTUP', 'TEAMBATTLES', 'HEADONI', null, 'TICKITI',
    ]);
    expect(tickets.every((ticket) => ticket === null || ticket.subject === SAMPLE_THREADS[1]!.subject)).toBe(true);
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['tickets', 6], extensions: { code: 'NOT_FOUND', provider: 'HOSTUP', ref: 'tkt_doesnotexist' } }),
    ]);
    expect(await fleet.totalRequests()).toBe(6);
  });

  it('refuses more than 100 refs before asking any vendor', async () => {
    const refs = Array.from({ length: 101 }, (_, index) => ({ provider: 'HEADONI' as const, ref: String(index) }));
    const response = await gateway.query(TicketsDocument, { refs });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await fleet.totalRequests()).toBe(0);
  });
});

describe('node(id)', () => {
  it('reads a ticket by its global id', async () => {
    const { data } = await gateway.query(TicketDocument, { provider: 'HOSTUP', ref: ref('HOSTUP', 2) });
    const ticket = data!.ticket!;
    const response = await gateway.query(NodeDocument, { id: ticket.id });
    expect(response.data!.node).toEqual({ id: ticket.id, provider: 'HOSTUP', ref: ticket.ref, subject: ticket.subject });
  });

  it('is BAD_USER_INPUT for an id it cannot read', async () => {
    const response = await gateway.query(NodeDocument, { id: 'not-a-deskgraph-id' });
    expect(response.data).toEqual({ node: null });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(await fleet.totalRequests()).toBe(0);
  });
});

describe('providers and credentials', () => {
  it('lists every provider with its configuration, never a token', async () => {
    const response = await gateway.query(ProvidersDocument);
    expect(response.data!.providers.map((info) => [info.provider, info.configured, info.origin])).toEqual(
      PROVIDERS.map((provider) => [provider, true, fleet.vendors[provider].url]),
    );
    for (const { token } of Object.values(fleet.vendors)) expect(response.text).not.toContain(token);
  });

  it('is UPSTREAM_UNAUTHORIZED with a wrong vendor token, which appears nowhere', async () => {
    const secret = 'hd_WRONG_e2e_secret_7731';
    const config = fleetConfig(fleet);
    (config['providers'] as Record<string, { token: string }>)['headoni']!.token = secret;
    const wrong = await startGateway(config);
    try {
      const response = await wrong.query(TicketDocument, { provider: 'HEADONI', ref: ref('HEADONI', 4) });
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAUTHORIZED', provider: 'HEADONI', ref: ref('HEADONI', 4) });
      expect(response.text).not.toContain(secret);
      expect(response.text).not.toContain(fleet.vendors.HEADONI.token);
    } finally {
      await wrong.process.stop();
    }
    expect(wrong.process.stderr.join('\n')).not.toContain(secret);
    expect(wrong.process.stdout.join('\n')).not.toContain(secret);
  });

  it('is PROVIDER_NOT_CONFIGURED for a provider left out of the file', async () => {
    const only = await startGateway({ providers: { headoni: { baseUrl: fleet.vendors.HEADONI.url, token: fleet.vendors.HEADONI.token } } });
    try {
      const response = await only.query(TicketDocument, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'PROVIDER_NOT_CONFIGURED', provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
      const providers = await only.query(ProvidersDocument);
      expect(providers.data!.providers.map((info) => info.configured)).toEqual([true, false, false, false, false]);
    } finally {
      await only.process.stop();
    }
  });
});

describe('HTTP surface and process', () => {
  it('answers /healthz and serves GraphiQL with no external resources', async () => {
    const health = await request(`${gateway.origin}/healthz`);
    // yoga's own health check: 200 with no body.
    expect([health.statusCode, await health.body.text()]).toEqual([200, '']);
    const page = await request(gateway.url, { headers: { accept: 'text/html' } });
    const html = await page.body.text();
    expect(page.statusCode).toBe(200);
    expect(html).toContain('<title>DeskGraph</title>');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
  });

  it('exits 0 on SIGTERM', async () => {
    const extra = await startGateway(fleetConfig(fleet));
    expect(await extra.process.stop()).toBe(0);
  });

  it('stops at start-up with one line per configuration problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deskgraph-bad-'));
    const file = join(dir, 'deskgraph.yaml');
    await writeFile(
      file,
      ['server: { port: "eighty" }', 'providers:', '  hostup: { baseUrl: "ftp://x", token: "${HOSTUP_TOKEN_UNSET}" }', '  zendesk: {}', ''].join('\n'),
    );
    const result = await runToExit(['--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${file}: invalid configuration`,
      '  - providers.hostup.token: environment variable HOSTUP_TOKEN_UNSET is not set',
      '  - server.port: Invalid input: expected number, received string',
      '  - providers.hostup.baseUrl: must be an http(s) URL',
      '  - providers: unknown setting "zendesk"',
    ]);
  });
});
