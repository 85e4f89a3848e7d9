import { describe, expect, it } from 'vitest';
import { MemoryBudgetStore } from '../../src/stores/memory-budget-store.js';

const RULE = { ratePerSecond: 2, burst: 2 };

describe('MemoryBudgetStore', () => {
  it('admits a burst, then refuses with the wait until the next token, taking nothing', async () => {
    let now = 1_000_000;
    const store = new MemoryBudgetStore({ now: () => now });
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: true });
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: true });
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: false, reason: 'tokens', retryAfterMs: 500 });
    expect((await store.peek('HOSTUP', RULE)).tokens).toBe(0);
    now += 500;
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: true });
    // Providers have their own buckets.
    expect(await store.admit('HEADONI', RULE)).toEqual({ admitted: true });
  });

  it('refuses every call during a pause, whatever tokens are left, and never shortens a pause', async () => {
    let now = 1_000_000;
    const store = new MemoryBudgetStore({ now: () => now });
    await store.pause('HOSTUP', 30_000);
    await store.pause('HOSTUP', 5_000);
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: false, reason: 'cooldown', retryAfterMs: 30_000 });
    expect(await store.peek('HOSTUP', RULE)).toEqual({ cooldownMs: 30_000, tokens: 2 });
    now += 29_999;
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: false, reason: 'cooldown', retryAfterMs: 1 });
    now += 1;
    expect(await store.admit('HOSTUP', RULE)).toEqual({ admitted: true });
    expect(await store.peek('HOSTUP', RULE)).toEqual({ cooldownMs: 0, tokens: 1 });
    // A longer pause extends a running one.
    await store.pause('HOSTUP', 1_000);
    await store.pause('HOSTUP', 2_000);
    expect((await store.peek('HOSTUP', RULE)).cooldownMs).toBe(2_000);
  });
});
