/**
 * The findings of issue 13's 10-minute soak, each pinned at the gate: an open circuit stops
 * queued calls, an abandoned call keeps its slot until its exchange ends, no call starts with too
 * little time left, and garbage answered with 200 counts toward the breaker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskGraphError } from '../../src/domain/errors.js';
import { StoreError, type BudgetStore } from '../../src/stores/types.js';
import { testGate } from '../helpers/gate.js';

const T0 = new Date('2026-06-04T15:00:00.000Z').getTime();
const never = new AbortController().signal;
const flush = () => vi.advanceTimersByTimeAsync(0);
const unavailable = () => new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP did not answer in time.', { provider: 'HOSTUP' });
const garbage = (upstreamStatus?: number) =>
  new DeskGraphError('UPSTREAM_BAD_RESPONSE', 'HOSTUP answered with a body that is not JSON.', { provider: 'HOSTUP', upstreamStatus });

function outcome<T>(promise: Promise<T>): Promise<T | string> {
  return promise.catch((error: DeskGraphError) => `${error.code}${error.retryAfterSeconds ? `:${error.retryAfterSeconds}` : ''}`);
}

/** Vendor calls the test settles by hand; each records the signal it was given. */
class Calls {
  signals: AbortSignal[] = [];
  private readonly pending: Array<{ resolve(value: string): void; reject(error: unknown): void }> = [];
  task = (signal: AbortSignal) => {
    this.signals.push(signal);
    return new Promise<string>((resolve, reject) => {
      const entry = { resolve, reject };
      this.pending.push(entry);
      // A transport: an aborted exchange fails (its connection is closed).
      signal.addEventListener(
        'abort',
        () => {
          this.pending.splice(this.pending.indexOf(entry), 1);
          reject(unavailable());
        },
        { once: true },
      );
    });
  };
  get started() {
    return this.signals.length;
  }
  finishNext() {
    this.pending.shift()?.resolve('ok');
  }
  failNext(error: unknown) {
    this.pending.shift()?.reject(error);
  }
}

describe('gate: soak findings', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  it('refuses queued calls once the circuit opens while they wait, without calling the vendor', async () => {
    const gate = testGate('HOSTUP', { maxConcurrency: 1, breaker: { failureThreshold: 1, openMs: 10_000 } });
    const calls = new Calls();
    const first = outcome(gate.run(never, calls.task));
    const queued = [outcome(gate.run(never, calls.task)), outcome(gate.run(never, calls.task))];
    await flush();
    calls.failNext(unavailable());
    expect(await first).toBe('UPSTREAM_UNAVAILABLE');
    expect(await Promise.all(queued)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    expect(calls.started).toBe(1);
    expect(await gate.state()).toMatchObject({ circuit: 'OPEN', circuitOpenUntil: T0 + 10_000, inFlight: 0, queued: 0 });
  });

  it('does not push an open circuit out with late failures of calls sent before it opened', async () => {
    const gate = testGate('HOSTUP', { breaker: { failureThreshold: 1, openMs: 10_000 } });
    const calls = new Calls();
    const early = [outcome(gate.run(never, calls.task)), outcome(gate.run(never, calls.task))];
    await flush();
    calls.failNext(unavailable());
    await vi.advanceTimersByTimeAsync(3_000);
    calls.failNext(unavailable());
    await Promise.all(early);
    expect(await gate.state()).toMatchObject({ circuit: 'OPEN', circuitOpenUntil: T0 + 10_000, consecutiveFailures: 2 });
  });

  it('answers an abandoned caller at once but keeps its slot until the exchange is closed, lingerMs later', async () => {
    const gate = testGate('HOSTUP', { maxConcurrency: 1, lingerMs: 500, queueTimeoutMs: 5_000 });
    const calls = new Calls();
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const abandoned = outcome(gate.run(caller.signal, calls.task));
    const next = gate.run(never, calls.task);
    await vi.advanceTimersByTimeAsync(100);
    expect(await abandoned).toBe('UPSTREAM_UNAVAILABLE');
    // The vendor is still working on it: the slot stays taken, the next call waits.
    expect(calls.signals[0]!.aborted).toBe(false);
    expect(await gate.state()).toMatchObject({ inFlight: 1, queued: 1 });
    await vi.advanceTimersByTimeAsync(499);
    expect(calls.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.signals[0]!.aborted).toBe(true);
    expect(calls.started).toBe(2);
    calls.finishNext();
    await expect(next).resolves.toBe('ok');
  });

  it('frees the slot as soon as an abandoned exchange ends by itself', async () => {
    const gate = testGate('HOSTUP', { maxConcurrency: 1, lingerMs: 5_000 });
    const calls = new Calls();
    const caller = new AbortController();
    const abandoned = outcome(gate.run(caller.signal, calls.task));
    const next = gate.run(never, calls.task);
    await flush();
    caller.abort();
    expect(await abandoned).toBe('UPSTREAM_UNAVAILABLE');
    calls.finishNext();
    await flush();
    expect(calls.started).toBe(2);
    calls.finishNext();
    await expect(next).resolves.toBe('ok');
  });

  it('does not start a call with less than minCallMs of its deadline left', async () => {
    const gate = testGate('HOSTUP', { maxConcurrency: 1, minCallMs: 100 });
    const calls = new Calls();
    const first = gate.run(never, calls.task);
    // This caller's deadline is 1 s away; the slot frees after 950 ms, leaving 50 ms: too little.
    const late = outcome(gate.run(never, calls.task, { deadlineAt: T0 + 1_000 }));
    await vi.advanceTimersByTimeAsync(950);
    calls.finishNext();
    expect(await late).toBe('RATE_LIMITED:1');
    await first;
    expect(calls.started).toBe(1);
    // With enough time left the call goes.
    const inTime = gate.run(never, calls.task, { deadlineAt: Date.now() + 1_000 });
    await flush();
    calls.finishNext();
    await expect(inTime).resolves.toBe('ok');
  });

  it('counts a 2xx answer that is not what the API promises toward the breaker, but not an oversized body', async () => {
    const gate = testGate('HOSTUP', { breaker: { failureThreshold: 2, openMs: 10_000 } });
    await outcome(gate.run(never, () => Promise.reject(garbage())));
    await outcome(gate.run(never, () => Promise.reject(garbage(200))));
    expect(await gate.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 1 });
    await outcome(gate.run(never, () => Promise.reject(garbage(200))));
    expect(await gate.state()).toMatchObject({ circuit: 'OPEN', consecutiveFailures: 2 });
    // An undocumented non-2xx status (a 302 to a login page) is an answer, not garbage.
    const other = testGate('HOSTUP', { breaker: { failureThreshold: 1, openMs: 10_000 } });
    await outcome(other.run(never, () => Promise.reject(garbage(302))));
    expect(await other.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0 });
  });

  it('admits with a local bucket when the budget store fails, and reports each failure', async () => {
    const failures: string[] = [];
    const down: BudgetStore = {
      admit: () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'budget', 'Redis is not answering')),
      pause: () => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'budget', 'Redis is not answering')),
      peek: () => Promise.reject(new StoreError('STORE_TIMEOUT', 'budget', 'Redis did not answer in time')),
    };
    const gate = testGate('HOSTUP', {
      store: down,
      bucket: { ratePerSecond: 10, burst: 10 },
      fallbackBucket: { ratePerSecond: 1, burst: 1 },
      onStoreError: (error) => failures.push(error.code),
    });
    await expect(gate.run(never, async () => 'ok')).resolves.toBe('ok');
    // The fallback bucket (1/s) holds the second call back for a second.
    let second = 'pending';
    void gate.run(never, async () => 'ok').then((value) => (second = value));
    await vi.advanceTimersByTimeAsync(999);
    expect(second).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(second).toBe('ok');
    // One failure per admit attempt: the first call, the second's refusal and its retry.
    expect(failures).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
    failures.length = 0;
    // A pause still holds locally while the store is down.
    gate.observe(429, { 'retry-after': '30' });
    await flush();
    expect(await outcome(gate.run(never, async () => 'ok'))).toBe('RATE_LIMITED:30');
    expect(await gate.state()).toMatchObject({ cooldownUntil: Date.now() + 30_000 });
    // The pause that could not be stored, then the peek of `state`.
    expect(failures).toEqual(['STORE_UNAVAILABLE', 'STORE_TIMEOUT']);
  });
});
