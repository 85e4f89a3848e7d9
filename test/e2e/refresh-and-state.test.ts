/**
 * refreshTicket, the shared-state status in `providers`, and a vendor answering garbage with 200,
 * end to end: the gateway over the real simulators in this process, with their request counts.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { sampleRef as ref, useDesksGateway, type Answer } from '../helpers/in-process.js';

const env = useDesksGateway({ fakeDate: '2026-06-04T15:00:00.000Z' });
const { start, query, requests, later } = env;

const TICKET = 'query($provider: Provider!, $ref: String!) { ticket(provider: $provider, ref: $ref) { ref subject cacheStatus fetchedAt } }';
const REFRESH = 'mutation($provider: Provider!, $ref: String!) { refreshTicket(provider: $provider, ref: $ref) { ref subject cacheStatus fetchedAt } }';

describe('refreshTicket', () => {
  it('reads the vendor again at once, and the next read is a HIT with the new copy', async () => {
    const url = await start();
    const hostupRef = ref('HOSTUP', 0);
    const first = await query(url, TICKET, { provider: 'HOSTUP', ref: hostupRef });
    expect(first.data!['ticket']).toMatchObject({ cacheStatus: 'MISS' });
    const wire = env.desks.simulators.HOSTUP.store.get(`id:${hostupRef}`) as { subject: string };
    const original = wire.subject;
    wire.subject = 'Renamed after a webhook';
    // The simulator's sample data is shared by every test of this file: put it back.
    onTestFinished(() => void (wire.subject = original));
    later(5);

    const refreshed = await query(url, REFRESH, { provider: 'HOSTUP', ref: hostupRef });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data!['refreshTicket']).toEqual({
      ref: hostupRef,
      subject: 'Renamed after a webhook',
      cacheStatus: 'MISS',
      fetchedAt: '2026-06-04T15:00:05.000Z',
    });
    expect(requests('HOSTUP')).toBe(2);
    const next = await query(url, TICKET, { provider: 'HOSTUP', ref: hostupRef });
    expect(next.data!['ticket']).toMatchObject({ subject: 'Renamed after a webhook', cacheStatus: 'HIT' });
    expect(requests('HOSTUP')).toBe(2);
  });

  it('is FORBIDDEN without any vendor call for a key that may not read the provider, and BAD_USER_INPUT for a bad ref', async () => {
    const key = 'dash-key-0123456789abcdef';
    const url = await start({}, { auth: { keys: [{ name: 'dashboard', token: key, providers: ['HOSTUP'] }] } });
    const auth = { authorization: `Bearer ${key}` };
    const forbidden = await query(url, REFRESH, { provider: 'HEADONI', ref: ref('HEADONI', 0) }, auth);
    expect(forbidden).toMatchObject({
      data: { refreshTicket: null },
      errors: [{ path: ['refreshTicket'], extensions: { code: 'FORBIDDEN', provider: 'HEADONI' } }],
    });
    // Forbidden before the ref is even looked at.
    const forbiddenBadRef = await query(url, REFRESH, { provider: 'HEADONI', ref: '../x' }, auth);
    expect(forbiddenBadRef.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const badRef = await query(url, REFRESH, { provider: 'HOSTUP', ref: '../admin' }, auth);
    expect(badRef.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', provider: 'HOSTUP' });
    expect([requests('HEADONI'), requests('HOSTUP')]).toEqual([0, 0]);
  });
});

describe('providers', () => {
  it('shows a single replica as LOCAL, with maxConcurrency per replica and its effective total', async () => {
    const url = await start({ HOSTUP: { maxConcurrency: 3 } });
    const answer = await query(url, '{ providers { provider configured maxConcurrency maxConcurrencyTotal sharedState { mode lastError } } }');
    const providers = answer.data!['providers'] as Array<Record<string, unknown>>;
    expect(providers.find((info) => info['provider'] === 'HOSTUP')).toEqual({
      provider: 'HOSTUP',
      configured: true,
      maxConcurrency: 3,
      maxConcurrencyTotal: 3,
      sharedState: { mode: 'LOCAL', lastError: null },
    });
  });
});

describe('a vendor answering garbage with 200', () => {
  it('opens the circuit after failureThreshold bad answers, serving the cached copy as STALE meanwhile', async () => {
    const url = await start({ HEADONI: { ttlSeconds: 1, retries: 0, circuitBreaker: { failureThreshold: 3, openSeconds: 30 } } });
    const cached = ref('HEADONI', 0);
    await query(url, TICKET, { provider: 'HEADONI', ref: cached });
    later(2);
    env.desks.simulators.HEADONI.setControls({ malformed: 'not-json' });
    const answers: Answer['body'][] = [];
    for (let i = 0; i < 3; i += 1) answers.push(await query(url, TICKET, { provider: 'HEADONI', ref: cached }));
    expect(answers.map((answer) => (answer.data!['ticket'] as { cacheStatus: string }).cacheStatus)).toEqual(['STALE', 'STALE', 'STALE']);
    expect(requests('HEADONI')).toBe(4);
    // The circuit is open: the vendor is not asked again, the copy is still served.
    const open = await query(url, TICKET, { provider: 'HEADONI', ref: cached });
    expect(open.data!['ticket']).toMatchObject({ cacheStatus: 'STALE' });
    const uncached = await query(url, TICKET, { provider: 'HEADONI', ref: ref('HEADONI', 1) });
    expect(uncached.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'HEADONI' });
    expect(requests('HEADONI')).toBe(4);
  });
});
