/**
 * RedisBudgetStore against real Redis: two stores on two connections stand for two replicas
 * spending one vendor budget. Refill follows Redis's clock, so the rules here refill slowly
 * (0.001/s) and a test never depends on how long it took.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { localShare, RedisBudgetStore } from '../../src/stores/redis-budget.js';
import type { RedisConnection } from '../../src/stores/redis-connection.js';
import { connect, deletePrefix, inspector, randomPrefix, startPrivateRedis } from '../helpers/redis.js';

const PREFIX = randomPrefix();
let raw: Redis;
const connections: RedisConnection[] = [];

beforeAll(() => {
  raw = inspector();
});
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
});
afterAll(async () => {
  await deletePrefix(raw, PREFIX);
  raw.disconnect();
});

let serial = 0;
async function replicas(count: number, options: { url?: string; prefix?: string } = {}) {
  serial += 1;
  const prefix = options.prefix ?? `${PREFIX}${serial}:`;
  const stores: RedisBudgetStore[] = [];
  for (let i = 0; i < count; i += 1) {
    const connection = await connect(prefix, { url: options.url, commandTimeoutMs: 100 });
    connections.push(connection);
    stores.push(new RedisBudgetStore(connection));
  }
  return { stores, prefix };
}

const SLOW = { ratePerSecond: 0.001, burst: 3 };

describe('RedisBudgetStore', () => {
  it('spends one bucket across replicas: burst 3 over two replicas admits exactly 3', async () => {
    const { stores } = await replicas(2);
    const [a, b] = stores as [RedisBudgetStore, RedisBudgetStore];
    const outcomes = await Promise.all([a, b, a, b, a, b].map((store) => store.admit('HOSTUP', SLOW)));
    expect(outcomes.filter((outcome) => outcome.admitted)).toHaveLength(3);
    const refused = outcomes.find((outcome) => !outcome.admitted);
    expect(refused).toMatchObject({ admitted: false, reason: 'tokens' });
    // One token at 0.001/s is 1000 s away (less what refilled meanwhile).
    expect(refused!.admitted === false && refused!.retryAfterMs).toBeGreaterThan(990_000);
    expect((await b.peek('HOSTUP', SLOW)).tokens).toBeLessThan(0.01);
    // Other providers have their own bucket.
    expect(await b.admit('HEADONI', SLOW)).toEqual({ admitted: true });
  });

  it('pauses every replica after one saw a 429, and never shortens a longer pause', async () => {
    const { stores, prefix } = await replicas(3);
    const [a, b, c] = stores as [RedisBudgetStore, RedisBudgetStore, RedisBudgetStore];
    await a.pause('HOSTUP', 3000);
    const refused = await b.admit('HOSTUP', SLOW);
    expect(refused).toMatchObject({ admitted: false, reason: 'cooldown' });
    expect(refused.admitted === false && refused.retryAfterMs).toBeGreaterThan(2500);
    expect(refused.admitted === false && refused.retryAfterMs).toBeLessThanOrEqual(3000);

    await b.pause('HOSTUP', 1000);
    expect(await raw.pttl(`${prefix}c:HOSTUP`)).toBeGreaterThan(2500);
    await b.pause('HOSTUP', 60_000);
    expect(await raw.pttl(`${prefix}c:HOSTUP`)).toBeGreaterThan(59_000);
    expect((await a.peek('HOSTUP', SLOW)).cooldownMs).toBeGreaterThan(59_000);

    // The pause ending (its key expiring) lets calls through again, with no token spent meanwhile
    // (C never saw the pause itself; A and B keep the one they set until it ends locally too).
    expect(await c.admit('HOSTUP', SLOW)).toMatchObject({ admitted: false, reason: 'cooldown' });
    await raw.del(`${prefix}c:HOSTUP`);
    expect(await c.admit('HOSTUP', SLOW)).toEqual({ admitted: true });
    expect((await c.peek('HOSTUP', SLOW)).tokens).toBeGreaterThan(1.99);
  });

  it('fails fast with a StoreError while Redis is down, and works again once it is back', async () => {
    const server = await startPrivateRedis();
    try {
      const { stores } = await replicas(1, { url: server.url });
      const store = stores[0]!;
      expect(await store.admit('HOSTUP', SLOW)).toEqual({ admitted: true });
      await server.kill();
      const started = performance.now();
      await expect(store.admit('HOSTUP', SLOW)).rejects.toMatchObject({ name: 'StoreError', store: 'budget', code: 'STORE_UNAVAILABLE' });
      await expect(store.pause('HOSTUP', 1000)).rejects.toMatchObject({ name: 'StoreError', store: 'budget' });
      await expect(store.peek('HOSTUP', SLOW)).rejects.toMatchObject({ name: 'StoreError', store: 'budget' });
      expect(performance.now() - started).toBeLessThan(100);

      await server.restart();
      await vi.waitFor(() => expect(connections[0]!.status().mode).toBe('SHARED'), { timeout: 5000, interval: 50 });
      // A new server: a new, full bucket.
      expect(await store.admit('HOSTUP', SLOW)).toEqual({ admitted: true });
      expect((await store.peek('HOSTUP', SLOW)).tokens).toBeGreaterThan(1.99);
    } finally {
      await server.kill();
    }
  });

  it('gives each replica requestsPerSecond / replicas and burst / replicas (at least 1) on its own', () => {
    expect(localShare({ ratePerSecond: 6, burst: 6 }, 3)).toEqual({ ratePerSecond: 2, burst: 2 });
    expect(localShare({ ratePerSecond: 2, burst: 2 }, 3)).toEqual({ ratePerSecond: 2 / 3, burst: 1 });
    expect(localShare({ ratePerSecond: 10, burst: 20 }, 1)).toEqual({ ratePerSecond: 10, burst: 20 });
  });
});
