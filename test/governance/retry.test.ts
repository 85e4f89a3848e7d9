import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskGraphError } from '../../src/domain/errors.js';
import { withRetries, type RetryPolicy } from '../../src/governance/retry.js';

const T0 = new Date('2026-06-04T15:00:00.000Z').getTime();
const POLICY: RetryPolicy = { retries: 2, baseDelayMs: 100, maxDelayMs: 1000 };

const dropped = () => new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP could not be reached.', { retryable: true });
const status = (upstreamStatus: number, retryable = false) =>
  new DeskGraphError(upstreamStatus === 429 ? 'RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE', `HTTP ${upstreamStatus}`, {
    upstreamStatus,
    retryable,
  });

/** An attempt that fails with the given errors in turn, then answers. */
function attempts(...failures: DeskGraphError[]) {
  const times: number[] = [];
  const attempt = async () => {
    times.push(Date.now() - T0);
    const failure = failures.shift();
    if (failure) throw failure;
    return 'ticket';
  };
  return { attempt, times };
}

describe('withRetries', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  const options = (deadlineMs = 10_000, signal = new AbortController().signal) => ({
    policy: POLICY,
    signal,
    deadlineAt: T0 + deadlineMs,
    random: () => 0.5,
  });

  it('retries a dropped connection with full-jitter exponential backoff, then answers', async () => {
    const { attempt, times } = attempts(dropped(), status(503, true));
    const result = withRetries(attempt, options());
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ticket');
    // random 0.5 × min(1000, 100 × 2^n): 50 ms, then 100 ms more.
    expect(times).toEqual([0, 50, 150]);
  });

  it('gives up after `retries` retries with the last failure', async () => {
    const last = status(504, true);
    const { attempt, times } = attempts(dropped(), dropped(), last, dropped());
    const result = withRetries(attempt, options()).catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await result).toBe(last);
    expect(times).toHaveLength(3);
  });

  it.each([
    ['a 500', status(500)],
    ['a 429', status(429)],
    ['a NOT_FOUND', new DeskGraphError('NOT_FOUND', 'gone', { upstreamStatus: 404 })],
    ['a bad payload', new DeskGraphError('UPSTREAM_BAD_RESPONSE', 'not JSON', { upstreamStatus: 200 })],
  ])('never retries %s', async (_name, failure) => {
    const { attempt, times } = attempts(failure);
    await expect(withRetries(attempt, options())).rejects.toBe(failure);
    expect(times).toEqual([0]);
  });

  it('starts no retry whose backoff would end past the deadline', async () => {
    const failure = dropped();
    const { attempt, times } = attempts(failure, dropped());
    await expect(withRetries(attempt, options(40))).rejects.toBe(failure);
    expect(times).toEqual([0]);
  });

  it('starts no retry that would have less than minAttemptMs left after its backoff, keeping the real failure', async () => {
    const failure = dropped();
    const { attempt, times } = attempts(failure, dropped());
    // Backoff 50 ms (half of 100), 200 ms budget: 150 ms left is under the 200 ms an attempt needs.
    await expect(withRetries(attempt, { ...options(200), minAttemptMs: 200 })).rejects.toBe(failure);
    expect(times).toEqual([0]);
    const again = attempts(dropped());
    const result = withRetries(again.attempt, { ...options(300), minAttemptMs: 200 });
    await vi.advanceTimersByTimeAsync(50);
    await expect(result).resolves.toBe('ticket');
    expect(again.times).toEqual([0, 50]);
  });

  it('stops when the deadline aborts during a backoff', async () => {
    const deadline = new AbortController();
    const failure = dropped();
    const { attempt, times } = attempts(failure, dropped());
    const result = withRetries(attempt, options(10_000, deadline.signal)).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    deadline.abort();
    expect(await result).toBe(failure);
    expect(times).toEqual([0]);
  });
});
