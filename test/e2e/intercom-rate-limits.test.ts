/**
 * Intercom's rate-limit signal end to end: the gateway over the Intercom simulator on loopback,
 * in this process so the clock can be moved (`Date` is faked; sockets and timers are real).
 * Intercom sends `X-RateLimit-Limit/Remaining/Reset` (Reset in epoch seconds) and never
 * `Retry-After`: the gateway must pause on `Remaining: 0` and on a 429 all the same.
 */
import { describe, expect, it } from 'vitest';
import { postQuery, sampleRef, useDesksGateway } from '../helpers/in-process.js';

const env = useDesksGateway({ fakeDate: '2026-06-04T15:00:00.000Z' });
const { start, later } = env;

const TICKET = 'query($ref: String!) { ticket(provider: INTERCOM, ref: $ref) { ref cacheStatus } }';
const STATE = 'query { providers { provider rateLimit { cooldownUntil vendorLimit vendorRemaining vendorResetAt } } }';

const intercom = () => env.desks.simulators.INTERCOM;
const read = async (url: string, index: number) => (await postQuery(url, TICKET, { ref: sampleRef('INTERCOM', index) })).body;

async function rateLimitState(url: string) {
  const providers = (await postQuery(url, STATE)).body.data!['providers'] as { provider: string; rateLimit: Record<string, unknown> }[];
  return providers.find((info) => info.provider === 'INTERCOM')!.rateLimit;
}

describe('Intercom rate limits through the gateway', () => {
  it('stops calling Intercom when X-RateLimit-Remaining reaches 0, until X-RateLimit-Reset', async () => {
    const url = await start();
    intercom().setControls({ rateLimit: { limit: 2, windowSeconds: 10 } });

    expect((await read(url, 0)).errors).toBeUndefined();
    expect(await rateLimitState(url)).toEqual({ cooldownUntil: null, vendorLimit: 2, vendorRemaining: 1, vendorResetAt: '2026-06-04T15:00:10.000Z' });
    expect((await read(url, 1)).errors).toBeUndefined();

    const spent = await read(url, 2);
    expect(spent.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'INTERCOM', retryAfterSeconds: 10 });
    expect(intercom().stats).toMatchObject({ requests: 2, byStatus: { '200': 2 } });
    expect(await rateLimitState(url)).toMatchObject({ cooldownUntil: '2026-06-04T15:00:10.000Z', vendorRemaining: 0 });

    later(10);
    expect((await read(url, 2)).data!['ticket']).toEqual({ ref: sampleRef('INTERCOM', 2), cacheStatus: 'MISS' });
    expect(intercom().stats.requests).toBe(3);
  });

  it('pauses after a 429 that carries no Retry-After, for as long as X-RateLimit-Reset says', async () => {
    const url = await start();
    intercom().setControls({ failStatus: 429, failCount: 1, retryAfterSeconds: 30 });

    const limited = await read(url, 0);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', provider: 'INTERCOM', retryAfterSeconds: 30 });
    expect(intercom().stats.byStatus).toEqual({ '429': 1 });

    later(20);
    const cooling = await Promise.all([read(url, 1), read(url, 2), read(url, 3)]);
    expect(cooling.map((answer) => answer.errors?.[0]?.extensions?.['retryAfterSeconds'])).toEqual([10, 10, 10]);
    expect(intercom().stats.requests).toBe(1);

    later(10);
    expect((await read(url, 0)).data!['ticket']).toEqual({ ref: sampleRef('INTERCOM', 0), cacheStatus: 'MISS' });
    expect(intercom().stats.requests).toBe(2);
  });
});
