/** Each governance policy on its own, and the chain that composes them. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskGraphError } from '../../src/domain/errors.js';
import { CircuitBreaker } from '../../src/governance/breaker.js';
import { Budget } from '../../src/governance/budget.js';
import { Bulkhead } from '../../src/governance/bulkhead.js';
import { compose, timeLeft, type GuardedCall, type Policy } from '../../src/governance/policy.js';
import { MemoryBudgetStore } from '../../src/stores/memory-budget-store.js';

const T0 = new Date('2026-06-04T15:00:00.000Z').getTime();
const now = () => Date.now();
const never = new AbortController().signal;

function call(overrides: Partial<GuardedCall> = {}): GuardedCall {
  return { provider: 'HOSTUP', signal: never, deadlineAt: Infinity, waitUntil: Date.now() + 2_000, probe: false, sent: true, ...overrides };
}

function code(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: DeskGraphError) => error.code,
  );
}

describe('governance policies', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  describe('compose', () => {
    it('runs the policies outermost first, marks the call sent just before the task, and returns its result', async () => {
      const order: string[] = [];
      const named = (name: string): Policy => ({
        run: async (_call, next) => {
          order.push(`${name}>`);
          const result = await next();
          order.push(`<${name}`);
          return result;
        },
      });
      const chain = compose(named('a'), named('b'));
      const guarded = call({ sent: false });
      await expect(
        chain(guarded, async () => {
          order.push(`task sent=${guarded.sent}`);
          return 42;
        }),
      ).resolves.toBe(42);
      expect(order).toEqual(['a>', 'b>', 'task sent=true', '<b', '<a']);
    });

    it('timeLeft refuses a call with less than minMs to its deadline', async () => {
      const chain = compose(timeLeft(100, now));
      expect(await code(chain(call({ deadlineAt: T0 + 99 }), async () => 'sent'))).toBe('RATE_LIMITED');
      expect(await code(chain(call({ deadlineAt: T0 + 100 }), async () => 'sent'))).toBe('ok');
    });
  });

  describe('CircuitBreaker', () => {
    it('opens after the threshold, refuses, probes once after openMs and closes on success', async () => {
      const breaker = new CircuitBreaker('HOSTUP', { failureThreshold: 2, openMs: 1_000 }, now);
      const fail = () => breaker.run(call(), () => Promise.reject(new DeskGraphError('UPSTREAM_UNAVAILABLE', 'down')));
      await code(fail());
      await code(fail());
      expect(breaker.state()).toEqual({ circuit: 'OPEN', consecutiveFailures: 2, openUntil: T0 + 1_000 });
      expect(await code(breaker.run(call(), async () => 'ok'))).toBe('UPSTREAM_UNAVAILABLE');
      vi.advanceTimersByTime(1_000);
      expect(breaker.state().circuit).toBe('HALF_OPEN');
      let finish!: () => void;
      const probe = breaker.run(call(), () => new Promise<void>((resolve) => (finish = resolve)));
      expect(await code(breaker.run(call(), async () => 'ok'))).toBe('UPSTREAM_UNAVAILABLE');
      finish();
      await probe;
      expect(breaker.state()).toEqual({ circuit: 'CLOSED', consecutiveFailures: 0, openUntil: null });
    });

    it('does not count a call that was never sent, and frees the probe it held', async () => {
      const breaker = new CircuitBreaker('HOSTUP', { failureThreshold: 1, openMs: 1_000 }, now);
      await code(breaker.run(call(), () => Promise.reject(new DeskGraphError('UPSTREAM_UNAVAILABLE', 'down'))));
      vi.advanceTimersByTime(1_000);
      const unsent = call({ sent: false });
      await code(breaker.run(unsent, () => Promise.reject(new DeskGraphError('RATE_LIMITED', 'queue full'))));
      expect(breaker.state()).toMatchObject({ circuit: 'HALF_OPEN', consecutiveFailures: 1 });
      await expect(breaker.run(call(), async () => 'probe')).resolves.toBe('probe');
    });

    it('recheck refuses a call admitted while closed once the circuit has opened', async () => {
      const breaker = new CircuitBreaker('HOSTUP', { failureThreshold: 1, openMs: 1_000 }, now);
      const queued = call();
      const chain = compose(breaker, breaker.recheck);
      // Opened by another call while this one was past the first check.
      await code(breaker.run(call(), () => Promise.reject(new DeskGraphError('UPSTREAM_UNAVAILABLE', 'down'))));
      expect(await code(breaker.recheck.run(queued, async () => 'sent'))).toBe('UPSTREAM_UNAVAILABLE');
      expect(await code(chain(call(), async () => 'sent'))).toBe('UPSTREAM_UNAVAILABLE');
    });
  });

  describe('Bulkhead', () => {
    it('holds maxConcurrency slots, queues FIFO up to maxQueue, and times a waiter out', async () => {
      const bulkhead = new Bulkhead('HOSTUP', { maxConcurrency: 1, maxQueue: 1, queueTimeoutMs: 500 }, now);
      let finish!: () => void;
      const first = bulkhead.run(call(), () => new Promise<void>((resolve) => (finish = resolve)));
      const second = code(bulkhead.run(call({ waitUntil: T0 + 500 }), async () => 'ok'));
      expect(await code(bulkhead.run(call(), async () => 'ok'))).toBe('RATE_LIMITED');
      expect([bulkhead.inFlight, bulkhead.queued]).toEqual([1, 1]);
      await vi.advanceTimersByTimeAsync(500);
      expect(await second).toBe('RATE_LIMITED');
      finish();
      await first;
      expect([bulkhead.inFlight, bulkhead.queued]).toEqual([0, 0]);
    });

    it('turns every waiter away on rejectWaiting', async () => {
      const bulkhead = new Bulkhead('HOSTUP', { maxConcurrency: 1, maxQueue: 10, queueTimeoutMs: 5_000 }, now);
      let finish!: () => void;
      const first = bulkhead.run(call(), () => new Promise<void>((resolve) => (finish = resolve)));
      const waiting = [code(bulkhead.run(call(), async () => 'ok')), code(bulkhead.run(call(), async () => 'ok'))];
      bulkhead.rejectWaiting(new DeskGraphError('RATE_LIMITED', 'pause'));
      expect(await Promise.all(waiting)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      finish();
      await first;
    });
  });

  describe('Budget', () => {
    it('admits through its store, waits for a token within the call’s wait budget, refuses past it', async () => {
      const budget = new Budget({ provider: 'HOSTUP', store: new MemoryBudgetStore(), rule: { ratePerSecond: 2, burst: 1 }, now });
      await expect(budget.run(call(), async () => 'first')).resolves.toBe('first');
      const second = budget.run(call(), async () => 'second');
      await vi.advanceTimersByTimeAsync(500);
      await expect(second).resolves.toBe('second');
      expect(await code(budget.run(call({ waitUntil: Date.now() + 100 }), async () => 'third'))).toBe('RATE_LIMITED');
    });

    it('pauses on a 429 through its store, refuses at once in `cooldown`, and tells onPause', async () => {
      const store = new MemoryBudgetStore();
      const paused: number[] = [];
      const budget = new Budget({
        provider: 'HOSTUP',
        store,
        rule: { ratePerSecond: 10, burst: 10 },
        now,
        onPause: (error) => paused.push(error.retryAfterSeconds ?? 0),
      });
      budget.observe(429, { 'retry-after': '12' });
      expect(paused).toEqual([12]);
      expect(await store.peek('HOSTUP', { ratePerSecond: 10, burst: 10 })).toEqual({ cooldownMs: 12_000, tokens: 10 });
      expect(await code(budget.cooldown.run(call(), async () => 'sent'))).toBe('RATE_LIMITED');
      // Another replica's pause, known only to the shared store, is refused by `run`'s admit.
      const other = new Budget({ provider: 'HOSTUP', store, rule: { ratePerSecond: 10, burst: 10 }, now });
      expect(await code(other.cooldown.run(call(), async () => 'sent'))).toBe('ok');
      expect(await code(other.run(call(), async () => 'sent'))).toBe('RATE_LIMITED');
      expect(await other.state()).toMatchObject({ cooldownUntil: T0 + 12_000, tokens: 10 });
    });
  });
});
