import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryChangeFeed } from '../../src/stores/memory-change-feed.js';
import { MemoryFlightCoordinator } from '../../src/stores/memory-flight-coordinator.js';

describe('MemoryFlightCoordinator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('elects one leader per key; waiters hear "filled" when it releases', async () => {
    const flights = new MemoryFlightCoordinator();
    const lease = await flights.lead('HOSTUP:tkt_a', 1_000);
    expect(lease).toBeDefined();
    expect(await flights.lead('HOSTUP:tkt_a', 1_000)).toBeUndefined();
    expect(await flights.lead('HOSTUP:tkt_b', 1_000)).toBeDefined();
    const waiting = flights.awaitFill('HOSTUP:tkt_a', 5_000);
    await lease!.release('filled');
    expect(await waiting).toBe('filled');
    expect(await flights.lead('HOSTUP:tkt_a', 1_000)).toBeDefined();
  });

  it('frees the key when the lease lapses, and waiters hear "expired"', async () => {
    const flights = new MemoryFlightCoordinator();
    const lease = await flights.lead('k', 1_000);
    const waiting = flights.awaitFill('k', 5_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await waiting).toBe('expired');
    // A late release of the lapsed lease does not end a newer leader's.
    const next = await flights.lead('k', 1_000);
    await lease!.release('filled');
    expect(await flights.lead('k', 1_000)).toBeUndefined();
    await next!.release('failed');
    expect(flights.size).toBe(0);
  });

  it('stops waiting at its own timeout or signal', async () => {
    const flights = new MemoryFlightCoordinator();
    await flights.lead('k', 10_000);
    const timed = flights.awaitFill('k', 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(await timed).toBe('expired');
    const controller = new AbortController();
    const aborted = flights.awaitFill('k', 5_000, controller.signal);
    controller.abort();
    expect(await aborted).toBe('expired');
    // No leader at all: nothing to wait for.
    expect(await flights.awaitFill('other', 5_000)).toBe('expired');
  });
});

describe('MemoryChangeFeed', () => {
  it('tells the other feeds of its hub, never itself', async () => {
    const hub = new Set<MemoryChangeFeed>();
    const a = new MemoryChangeFeed(hub);
    const b = new MemoryChangeFeed(hub);
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.subscribe((provider, id) => heardA.push(`${provider}:${id}`));
    const stop = b.subscribe((provider, id) => heardB.push(`${provider}:${id}`));
    await a.publish('HOSTUP', 'tkt_a');
    stop();
    await a.publish('HOSTUP', 'tkt_b');
    expect([heardA, heardB]).toEqual([[], ['HOSTUP:tkt_a']]);
  });
});
