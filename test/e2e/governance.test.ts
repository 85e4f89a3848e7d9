/**
 * Upstream governance end to end: the gateway over the real vendor simulators on loopback,
 * queried over HTTP, with exact counts of the requests each simulator saw. Both run in this
 * process so that the clock can be moved (`Date` is faked and stands still unless a test moves it; sockets and timers are real).
 */
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../src/domain/provider.js';
import { sampleRef as ref, useDesksGateway, type Answer } from '../helpers/in-process.js';

const env = useDesksGateway({ fakeDate: '2026-06-04T15:00:00.000Z' });
const { start, query, requests, controls, later } = env;

const TICKET = /* GraphQL */ `
  query Ticket($provider: Provider!, $ref: String!) {
    ticket(provider: $provider, ref: $ref) { ref subject cacheStatus fetchedAt }
  }
`;

const PROVIDER_STATE = /* GraphQL */ `
  query ProviderState {
    providers {
      provider
      health { circuit consecutiveFailures openUntil }
      rateLimit { cooldownUntil retryAfterSeconds inFlight queued vendorLimit vendorRemaining vendorResetAt }
      cache { entries }
    }
  }
`;


async function stateOf(url: string, provider: Provider) {
  const answer = await query(url, PROVIDER_STATE);
  return (answer.data!['providers'] as Array<Record<string, unknown>>).find((info) => info['provider'] === provider)!;
}

function ticketOf(answer: Answer['body']): Record<string, unknown> | null {
  return answer.data!['ticket'] as Record<string, unknown> | null;
}

describe('upstream governance against the simulators', () => {
  it('answers 50 concurrent identical queries with exactly one vendor request', async () => {
    const url = await start();
    controls('HOSTUP', { latencyMs: 100 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 3) })),
    );
    expect(requests('HOSTUP')).toBe(1);
    const subjects = new Set(answers.map((answer) => ticketOf(answer)?.['subject']));
    expect(subjects.size).toBe(1);
    expect([...subjects][0]).toEqual(expect.any(String));
    expect(answers.every((answer) => answer.errors === undefined)).toBe(true);
  });

  it('makes a ticket read by number and by id one cache entry', async () => {
    const url = await start();
    const lookup = 'query($ref: String!) { ticket(provider: HEADONI, ref: $ref) { ref nativeId number subject cacheStatus fetchedAt } }';
    const byNumber = ticketOf(await query(url, lookup, { ref: ref('HEADONI', 0) }))!;
    expect(byNumber).toMatchObject({ number: ref('HEADONI', 0), cacheStatus: 'MISS' });
    expect(byNumber['nativeId']).not.toBe(byNumber['number']);
    const byId = ticketOf(await query(url, lookup, { ref: byNumber['nativeId'] }));
    expect(byId).toEqual({ ...byNumber, cacheStatus: 'HIT' });
    expect(requests('HEADONI')).toBe(1);
  });

  it('keeps at most maxConcurrency requests in flight to a vendor', async () => {
    const url = await start({ TICKITI: { maxConcurrency: 2 } });
    controls('TICKITI', { latencyMs: 20 });
    const refs = Array.from({ length: 20 }, (_, i) => ({ provider: 'TICKITI', ref: ref('TICKITI', i) }));
    const answer = await query(url, 'query($refs: [TicketRefInput!]!) { tickets(refs: $refs) { ref } }', { refs });
    expect(answer.errors).toBeUndefined();
    expect((answer.data!['tickets'] as unknown[]).length).toBe(20);
    expect(env.desks.simulators.TICKITI.stats).toMatchObject({ requests: 20, maxInFlight: 2 });
  });

  it('sends nothing to a vendor after a 429 until its Retry-After has passed', async () => {
    const url = await start();
    controls('HOSTUP', { failStatus: 429, failCount: 1, retryAfterSeconds: 120 });

    const limited = await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'HOSTUP', retryAfterSeconds: 120 });
    expect(requests('HOSTUP')).toBe(1);

    later(60);
    for (let i = 0; i < 5; i += 1) {
      const answer = await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', i) });
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    }
    expect(requests('HOSTUP')).toBe(1);
    expect(await stateOf(url, 'HOSTUP')).toMatchObject({
      rateLimit: { cooldownUntil: '2026-06-04T15:02:00.000Z', retryAfterSeconds: 60 },
    });

    // Other providers are not held back.
    const other = await query(url, TICKET, { provider: 'HEADONI', ref: ref('HEADONI', 0) });
    expect(other.errors).toBeUndefined();

    later(61);
    const after = await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    expect(ticketOf(after)).toMatchObject({ cacheStatus: 'MISS' });
    expect(requests('HOSTUP')).toBe(2);
    expect(await stateOf(url, 'HOSTUP')).toMatchObject({ rateLimit: { cooldownUntil: null, retryAfterSeconds: null } });
  });

  it("pauses when the vendor's X-RateLimit-Remaining reaches 0, before any 429", async () => {
    const url = await start();
    controls('HOSTUP', { rateLimit: { limit: 2, windowSeconds: 60 } });
    await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    expect(await stateOf(url, 'HOSTUP')).toMatchObject({ rateLimit: { vendorLimit: 2, vendorRemaining: 1, cooldownUntil: null } });
    await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 1) });
    const spent = await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 2) });
    expect(spent.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'HOSTUP' });
    expect(env.desks.simulators.HOSTUP.stats).toMatchObject({ requests: 2, byStatus: { '200': 2 } });
  });

  it('serves the last copy as STALE during a cooldown and during an outage', async () => {
    const url = await start({ INTERCOM: { ttlSeconds: 1, retries: 0 } });
    const first = ticketOf(await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 0) }));
    expect(first).toMatchObject({ cacheStatus: 'MISS' });

    later(2);
    controls('INTERCOM', { failStatus: 503 });
    const outage = await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 0) });
    expect(outage.errors).toBeUndefined();
    expect(ticketOf(outage)).toEqual({ ...first, cacheStatus: 'STALE' });
    expect(requests('INTERCOM')).toBe(2);

    controls('INTERCOM', { failStatus: 429, retryAfterSeconds: 300 });
    const limited = await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 0) });
    expect(ticketOf(limited)).toEqual({ ...first, cacheStatus: 'STALE' });
    const cooling = await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 0) });
    expect(ticketOf(cooling)).toEqual({ ...first, cacheStatus: 'STALE' });
    expect(requests('INTERCOM')).toBe(3);

    // With nothing cached, the cooldown is an error that says when to come back.
    const uncached = await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 1) });
    expect(uncached.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 300 });
    expect(requests('INTERCOM')).toBe(3);
  });

  it('retries 502/503/504 within the budget, but never a 500 or a 404', async () => {
    const url = await start({ TEAMBATTLES: { retries: 2 } });
    controls('TEAMBATTLES', { failStatus: 503 });
    const unavailable = await query(url, TICKET, { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 0) });
    expect(unavailable.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(requests('TEAMBATTLES')).toBe(3);

    controls('TEAMBATTLES', { failStatus: 502, failCount: 1 });
    const recovered = await query(url, TICKET, { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 1) });
    expect(ticketOf(recovered)).toMatchObject({ cacheStatus: 'MISS' });
    expect(requests('TEAMBATTLES')).toBe(5);

    controls('TEAMBATTLES', { failStatus: 500, failCount: null });
    await query(url, TICKET, { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 2) });
    expect(requests('TEAMBATTLES')).toBe(6);

    controls('TEAMBATTLES', { failStatus: null });
    const missing = await query(url, TICKET, { provider: 'TEAMBATTLES', ref: '999999' });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(requests('TEAMBATTLES')).toBe(7);
  });

  it('answers within the timeout when a vendor hangs, while other providers answer', async () => {
    const url = await start({ HEADONI: { timeoutMs: 300, retries: 2 } });
    controls('HEADONI', { latencyMs: 5_000 });
    const started = performance.now();
    const answer = await query(
      url,
      `query($a: String!, $b: String!) {
        slow: ticket(provider: HEADONI, ref: $a) { ref }
        fast: ticket(provider: HOSTUP, ref: $b) { ref }
      }`,
      { a: ref('HEADONI', 0), b: ref('HOSTUP', 0) },
    );
    const elapsed = performance.now() - started;
    expect(answer.data).toEqual({ slow: null, fast: { ref: ref('HOSTUP', 0) } });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({
      path: ['slow'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'HEADONI' },
      message: `HEADONI ticket "${ref('HEADONI', 0)}" could not be read: HEADONI did not answer in time.`,
    });
    // The hung vendor would have taken 5 s; the budget is 300 ms (with room for a busy machine).
    expect(elapsed).toBeLessThan(2_500);
    // A timeout is not retried: one request, abandoned.
    expect(requests('HEADONI')).toBe(1);
  });

  it('opens the circuit after consecutive failures, refuses at once, and recovers after a probe', async () => {
    const url = await start({ TICKITI: { retries: 0, circuitBreaker: { failureThreshold: 2, openSeconds: 30 } } });
    controls('TICKITI', { failStatus: 500 });
    for (const index of [0, 1]) {
      const answer = await query(url, TICKET, { provider: 'TICKITI', ref: ref('TICKITI', index) });
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    }
    expect(await stateOf(url, 'TICKITI')).toMatchObject({
      health: { circuit: 'OPEN', consecutiveFailures: 2, openUntil: '2026-06-04T15:00:30.000Z' },
    });

    const refused = await query(url, TICKET, { provider: 'TICKITI', ref: ref('TICKITI', 2) });
    expect(refused.errors?.[0]).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'TICKITI' },
      message: expect.stringContaining('failed repeatedly, so DeskGraph stopped calling it for now'),
    });
    expect(requests('TICKITI')).toBe(2);

    controls('TICKITI', { failStatus: null });
    later(31);
    expect(await stateOf(url, 'TICKITI')).toMatchObject({ health: { circuit: 'HALF_OPEN' } });
    const probe = await query(url, TICKET, { provider: 'TICKITI', ref: ref('TICKITI', 2) });
    expect(ticketOf(probe)).toMatchObject({ cacheStatus: 'MISS' });
    expect(requests('TICKITI')).toBe(3);
    expect(await stateOf(url, 'TICKITI')).toMatchObject({ health: { circuit: 'CLOSED', consecutiveFailures: 0, openUntil: null } });
  });

  it('turns an oversized vendor body into UPSTREAM_BAD_RESPONSE and keeps serving', async () => {
    const url = await start();
    controls('HEADONI', { malformed: 'oversize' });
    const answer = await query(url, TICKET, { provider: 'HEADONI', ref: ref('HEADONI', 1) });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'HEADONI' });
    expect(answer.errors?.[0]?.message).toContain('larger than 4194304 bytes');
    controls('HEADONI', { malformed: null });
    const next = await query(url, TICKET, { provider: 'HEADONI', ref: ref('HEADONI', 1) });
    expect(ticketOf(next)).toMatchObject({ cacheStatus: 'MISS' });
  });

  it('shows each provider its cache share', async () => {
    const url = await start();
    await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 1) });
    expect(await stateOf(url, 'HOSTUP')).toMatchObject({ cache: { entries: 2 }, health: { circuit: 'CLOSED' } });
    expect(await stateOf(url, 'HEADONI')).toMatchObject({ cache: { entries: 0 } });
  });
});
