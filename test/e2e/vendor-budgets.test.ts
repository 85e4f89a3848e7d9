/**
 * Default budgets against the vendors' published limits, end to end: the gateway at its
 * defaults over the simulators on loopback, whose TeamBattles answers with the per-key bucket
 * TeamBattles publishes (60 tokens, refilled 1 per second). `Date` is faked and stands still
 * unless the test moves it, so both buckets (the gateway's and the vendor's) refill only when
 * told: the counts are exact.
 */
import { describe, expect, it, vi } from 'vitest';
import { postQuery, useDesksGateway } from '../helpers/in-process.js';

const env = useDesksGateway({ fakeDate: '2026-06-04T15:00:00.000Z' });

const TICKET = 'query($ref: String!) { ticket(provider: TEAMBATTLES, ref: $ref) { ref subject } }';
const STATE = '{ providers { provider rateLimit { inFlight queued } } }';

/** Polls (real time) until `done` holds; the burst's requests are on their way meanwhile. */
async function until(done: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the burst never settled');
}

describe('TeamBattles at its default budget', () => {
  it('sends a burst of 90 distinct reads as the 60-token bucket allows, holds back the rest, never draws a vendor 429', async () => {
    const simulator = env.desks.simulators.TEAMBATTLES;
    simulator.setControls({ synthesize: true });
    const url = await env.start();
    const queued = async () => {
      const answer = await postQuery(url, STATE);
      const providers = answer.body.data!['providers'] as Array<{ provider: string; rateLimit: { inFlight: number; queued: number } }>;
      return providers.find((entry) => entry.provider === 'TEAMBATTLES')!.rateLimit;
    };

    let settled = 0;
    const burst = Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        postQuery(url, TICKET, { ref: `burst-ticket-${i}` }).finally(() => {
          settled += 1;
        }),
      ),
    );
    // The bucket's 60 tokens go out at once. The 60th answer says `X-RateLimit-Remaining: 0`, so
    // the gate pauses until its Reset: the reads still queued are RATE_LIMITED at once, and the
    // few already waiting for a token of DeskGraph's own bucket keep waiting.
    await until(async () => simulator.stats.requests === 60 && settled + (await queued()).queued === 90);
    expect(simulator.stats).toMatchObject({ requests: 60, byStatus: { '200': 60 } });
    expect(simulator.stats.maxInFlight).toBeLessThanOrEqual(8);
    const waiting = 90 - settled;
    expect(waiting).toBeGreaterThanOrEqual(0);
    expect(waiting).toBeLessThanOrEqual(8);

    // Three seconds on: both buckets refill three tokens and the pause is over; the waiters wake,
    // up to three of them are sent, the others are past their 2 s queue timeout.
    vi.setSystemTime(Date.now() + 3000);
    const answers = await burst;
    const read = answers.filter((answer) => answer.body.errors === undefined);
    const limited = answers.filter((answer) => answer.body.errors?.[0]?.extensions?.['code'] === 'RATE_LIMITED');
    // Nothing but tickets and RATE_LIMITED: no INTERNAL_SERVER_ERROR, no other failure.
    expect(read.length + limited.length).toBe(90);
    expect(read.length).toBe(60 + Math.min(waiting, 3));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(read.map((answer) => (answer.body.data!['ticket'] as { ref: string }).ref)).size).toBe(read.length);
    expect(limited.every((answer) => typeof answer.body.errors![0]!.extensions!['retryAfterSeconds'] === 'number')).toBe(true);
    // The vendor saw exactly the reads that came back, and never had to refuse one.
    expect(simulator.stats).toMatchObject({ requests: read.length, byStatus: { '200': read.length } });
  });
});
