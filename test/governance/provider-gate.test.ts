import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskGraphError } from '../../src/domain/errors.js';
import type { ProviderGate } from '../../src/governance/provider-gate.js';
import { testGate } from '../helpers/gate.js';

const T0 = new Date('2026-06-04T15:00:00.000Z').getTime();

/** A vendor call the test finishes by hand, counting how many started. */
class Calls {
  started = 0;
  private readonly pending: Array<{ resolve(value: string): void; reject(error: unknown): void }> = [];
  task = () => {
    this.started += 1;
    return new Promise<string>((resolve, reject) => this.pending.push({ resolve, reject }));
  };
  finishNext(value = 'ok') {
    this.pending.shift()?.resolve(value);
  }
  failNext(error: unknown) {
    this.pending.shift()?.reject(error);
  }
}

const never = new AbortController().signal;
const unavailable = () => new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP failed (HTTP 500).', { provider: 'HOSTUP' });
const flush = () => vi.advanceTimersByTimeAsync(0);

/** Settles a promise into a value or the error's code, without an unhandled rejection. */
function outcome<T>(promise: Promise<T>): Promise<T | string> {
  return promise.catch((error: DeskGraphError) => `${error.code}${error.retryAfterSeconds ? `:${error.retryAfterSeconds}` : ''}`);
}

describe('ProviderGate', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  describe('concurrency cap', () => {
    it('never lets more than maxConcurrency calls run, and serves the queue in order', async () => {
      const gate = testGate('HOSTUP', { maxConcurrency: 2 });
      const calls = new Calls();
      const order: number[] = [];
      const runs = [0, 1, 2, 3, 4].map((i) => gate.run(never, calls.task).then(() => order.push(i)));
      await flush();
      expect(calls.started).toBe(2);
      expect(await gate.state()).toMatchObject({ inFlight: 2, queued: 3 });

      calls.finishNext();
      await flush();
      expect(calls.started).toBe(3);
      expect(await gate.state()).toMatchObject({ inFlight: 2, queued: 2 });

      for (let i = 0; i < 4; i += 1) {
        calls.finishNext();
        await flush();
      }
      await Promise.all(runs);
      expect(order).toEqual([0, 1, 2, 3, 4]);
      expect(await gate.state()).toMatchObject({ inFlight: 0, queued: 0 });
    });

    it('fails at once as RATE_LIMITED when the queue is full', async () => {
      const gate = testGate('HOSTUP', { maxConcurrency: 1, maxQueue: 1 });
      const calls = new Calls();
      void gate.run(never, calls.task);
      const queued = gate.run(never, calls.task);
      await expect(gate.run(never, calls.task)).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        provider: 'HOSTUP',
        retryAfterSeconds: 1,
        message: 'DeskGraph is holding back requests to HOSTUP to stay within its limits: 1 requests are already waiting.',
      });
      calls.finishNext();
      calls.finishNext();
      await flush();
      calls.finishNext();
      await expect(queued).resolves.toBe('ok');
      expect(calls.started).toBe(2);
    });

    it('fails a queued call as RATE_LIMITED after queueTimeoutMs, without calling the vendor', async () => {
      const gate = testGate('HOSTUP', { maxConcurrency: 1, queueTimeoutMs: 500 });
      const calls = new Calls();
      void gate.run(never, calls.task);
      const waiting = outcome(gate.run(never, calls.task));
      await vi.advanceTimersByTimeAsync(499);
      expect(await gate.state()).toMatchObject({ queued: 1 });
      await vi.advanceTimersByTimeAsync(1);
      expect(await waiting).toBe('RATE_LIMITED:1');
      expect(calls.started).toBe(1);
      expect(await gate.state()).toMatchObject({ inFlight: 1, queued: 0 });
    });

    it("stops waiting when the caller's deadline passes", async () => {
      const gate = testGate('HOSTUP', { maxConcurrency: 1 });
      const calls = new Calls();
      void gate.run(never, calls.task);
      const deadline = new AbortController();
      const waiting = outcome(gate.run(deadline.signal, calls.task));
      await flush();
      expect(await gate.state()).toMatchObject({ queued: 1 });
      deadline.abort();
      expect(await waiting).toBe('RATE_LIMITED:1');
      expect(await gate.state()).toMatchObject({ queued: 0 });

      // A deadline already spent when the call arrives never joins the queue.
      expect(await outcome(gate.run(deadline.signal, calls.task))).toBe('RATE_LIMITED:1');
      expect(calls.started).toBe(1);
    });
  });

  describe('token bucket', () => {
    it('lets a burst through, then one call per 1/requestsPerSecond', async () => {
      const gate = testGate('HOSTUP', { bucket: { ratePerSecond: 2, burst: 3 } });
      const calls = new Calls();
      const runs = Array.from({ length: 5 }, () => gate.run(never, calls.task));
      await flush();
      expect(calls.started).toBe(3);
      await vi.advanceTimersByTimeAsync(499);
      expect(calls.started).toBe(3);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.started).toBe(4);
      await vi.advanceTimersByTimeAsync(500);
      expect(calls.started).toBe(5);
      for (let i = 0; i < 5; i += 1) calls.finishNext();
      await Promise.all(runs);
    });

    it('shows calls waiting for a token as queued, not in flight', async () => {
      const gate = testGate('HOSTUP', { bucket: { ratePerSecond: 1, burst: 1 } });
      const calls = new Calls();
      const runs = [gate.run(never, calls.task), gate.run(never, calls.task)];
      await flush();
      expect(calls.started).toBe(1);
      expect(await gate.state()).toMatchObject({ inFlight: 1, queued: 1 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(await gate.state()).toMatchObject({ inFlight: 2, queued: 0 });
      calls.finishNext();
      calls.finishNext();
      await Promise.all(runs);
    });

    it('fails as RATE_LIMITED at once when the next token comes after queueTimeoutMs', async () => {
      const gate = testGate('HOSTUP', { bucket: { ratePerSecond: 0.2, burst: 1 }, queueTimeoutMs: 2000 });
      const calls = new Calls();
      void gate.run(never, calls.task);
      expect(await outcome(gate.run(never, calls.task))).toBe('RATE_LIMITED:5');
      expect(calls.started).toBe(1);
    });
  });

  describe('cooldown', () => {
    async function expectCooldown(gate: ProviderGate, calls: Calls, seconds: number) {
      expect(await outcome(gate.run(never, calls.task))).toBe(`RATE_LIMITED:${seconds}`);
      expect(calls.started).toBe(0);
      await vi.advanceTimersByTimeAsync(seconds * 1000 - 1);
      expect(await outcome(gate.run(never, calls.task))).toBe('RATE_LIMITED:1');
      expect(calls.started).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      const run = gate.run(never, calls.task);
      await flush();
      expect(calls.started).toBe(1);
      calls.finishNext();
      await run;
    }

    it('calls nothing until a 429 Retry-After in seconds has passed', async () => {
      const gate = testGate('HOSTUP');
      gate.observe(429, { 'retry-after': '30' });
      expect(await gate.state()).toMatchObject({ cooldownUntil: T0 + 30_000 });
      await expectCooldown(gate, new Calls(), 30);
    });

    it('reads a Retry-After given as an HTTP date', async () => {
      const gate = testGate('HOSTUP');
      gate.observe(429, { 'retry-after': new Date(T0 + 12_000).toUTCString() });
      await expectCooldown(gate, new Calls(), 12);
    });

    it('pauses on X-RateLimit-Remaining: 0 until an epoch-seconds X-RateLimit-Reset', async () => {
      const gate = testGate('HOSTUP');
      gate.observe(200, {
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(T0 / 1000 + 20),
      });
      expect(await gate.state()).toMatchObject({ vendor: { limit: 100, remaining: 0, resetAt: T0 + 20_000 } });
      await expectCooldown(gate, new Calls(), 20);
    });

    it('reads an X-RateLimit-Reset given as seconds from now', async () => {
      const gate = testGate('HOSTUP');
      gate.observe(200, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' });
      await expectCooldown(gate, new Calls(), 7);
    });

    it('keeps calling while the vendor budget has requests left, and shows the budget', async () => {
      const gate = testGate('HOSTUP');
      gate.observe(200, { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '41', 'x-ratelimit-reset': '7' });
      expect(await gate.state()).toMatchObject({ cooldownUntil: null, vendor: { limit: 100, remaining: 41, resetAt: T0 + 7000 } });
      await expect(gate.run(never, async () => 'ok')).resolves.toBe('ok');
    });

    it('turns away queued calls as soon as a cooldown starts', async () => {
      const gate = testGate('HOSTUP', { maxConcurrency: 1 });
      const calls = new Calls();
      const first = outcome(gate.run(never, calls.task));
      const queued = [outcome(gate.run(never, calls.task)), outcome(gate.run(never, calls.task))];
      await flush();
      gate.observe(429, { 'retry-after': '60' });
      expect(await Promise.all(queued)).toEqual(['RATE_LIMITED:60', 'RATE_LIMITED:60']);
      calls.failNext(new DeskGraphError('RATE_LIMITED', 'spent', { retryAfterSeconds: 60 }));
      expect(await first).toBe('RATE_LIMITED:60');
      expect(calls.started).toBe(1);
    });

    it('never shortens a running cooldown', async () => {
      const gate = testGate('HOSTUP');
      gate.observe(429, { 'retry-after': '60' });
      gate.observe(429, { 'retry-after': '5' });
      expect(await gate.state()).toMatchObject({ cooldownUntil: T0 + 60_000 });
    });
  });

  describe('circuit breaker', () => {
    async function fail(gate: ProviderGate, times: number) {
      for (let i = 0; i < times; i += 1) {
        await outcome(gate.run(never, () => Promise.reject(unavailable())));
      }
    }

    it('opens after failureThreshold consecutive failures and then refuses at once', async () => {
      const gate = testGate('HOSTUP', { breaker: { failureThreshold: 3, openMs: 10_000 } });
      await fail(gate, 2);
      expect(await gate.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 2 });
      await fail(gate, 1);
      expect(await gate.state()).toMatchObject({ circuit: 'OPEN', consecutiveFailures: 3, circuitOpenUntil: T0 + 10_000 });

      const calls = new Calls();
      await expect(gate.run(never, calls.task)).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'HOSTUP failed repeatedly, so DeskGraph stopped calling it for now; it is tried again in 10s.',
      });
      expect(calls.started).toBe(0);
    });

    it('lets one probe through after openMs; its success closes the circuit', async () => {
      const gate = testGate('HOSTUP', { breaker: { failureThreshold: 1, openMs: 10_000 } });
      await fail(gate, 1);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await gate.state()).toMatchObject({ circuit: 'HALF_OPEN' });

      const calls = new Calls();
      const probe = gate.run(never, calls.task);
      await flush();
      expect(await outcome(gate.run(never, calls.task))).toBe('UPSTREAM_UNAVAILABLE');
      expect(calls.started).toBe(1);
      calls.finishNext();
      await probe;
      expect(await gate.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0 });
      await expect(gate.run(never, async () => 'again')).resolves.toBe('again');
    });

    it('reopens when the probe fails', async () => {
      const gate = testGate('HOSTUP', { breaker: { failureThreshold: 2, openMs: 10_000 } });
      await fail(gate, 2);
      await vi.advanceTimersByTimeAsync(10_000);
      await fail(gate, 1);
      expect(await gate.state()).toMatchObject({ circuit: 'OPEN', circuitOpenUntil: T0 + 20_000 });
    });

    it('keeps a circuit that an earlier call closed, when the probe then fails', async () => {
      const gate = testGate('HOSTUP', { breaker: { failureThreshold: 3, openMs: 10_000 } });
      const late = new Calls();
      const slow = gate.run(never, late.task);
      await flush();
      await fail(gate, 3);
      await vi.advanceTimersByTimeAsync(10_000);
      const probe = new Calls();
      const probing = outcome(gate.run(never, probe.task));
      await flush();
      // The call from before the circuit opened succeeds: the vendor is back.
      late.finishNext();
      await slow;
      expect(await gate.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 0 });
      probe.failNext(unavailable());
      expect(await probing).toBe('UPSTREAM_UNAVAILABLE');
      expect(await gate.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 1 });
    });

    it('counts only unavailability: a vendor that answers, even with an error, resets the count', async () => {
      const gate = testGate('HOSTUP', { breaker: { failureThreshold: 2, openMs: 10_000 } });
      await fail(gate, 1);
      await outcome(gate.run(never, () => Promise.reject(new DeskGraphError('NOT_FOUND', 'gone'))));
      await fail(gate, 1);
      expect(await gate.state()).toMatchObject({ circuit: 'CLOSED', consecutiveFailures: 1 });
    });
  });
});
