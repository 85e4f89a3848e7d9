/**
 * RedisFlightCoordinator and RedisChangeFeed against real Redis: leases across "replicas"
 * (connections), fills heard over pub/sub or found by polling, a dead leader replaced when its
 * lease lapses (the lapse is done by deleting the key, as Redis's expiry would), and change notices.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import type { RedisConnection } from '../../src/stores/redis-connection.js';
import { RedisChangeFeed } from '../../src/stores/redis-feed.js';
import { RedisFlightCoordinator } from '../../src/stores/redis-flight.js';
import { connect, deletePrefix, inspector, randomPrefix, startPrivateRedis } from '../helpers/redis.js';

const PREFIX = randomPrefix();
let raw: Redis;
const connections: RedisConnection[] = [];
const closers: (() => void)[] = [];

beforeAll(() => {
  raw = inspector();
});
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  for (const connection of connections.splice(0)) await connection.close();
});
afterAll(async () => {
  await deletePrefix(raw, PREFIX);
  raw.disconnect();
});

async function coordinator(url?: string) {
  const connection = await connect(PREFIX, { url, commandTimeoutMs: 100 });
  connections.push(connection);
  const flight = new RedisFlightCoordinator(connection);
  closers.push(() => flight.close());
  // Let the SUBSCRIBE reach the server before a test publishes.
  await connection.subscriber.ping().catch(() => undefined);
  return { connection, flight };
}

let serial = 0;
const nextKey = () => `HOSTUP:tkt_flight${(serial += 1)}`;

describe('RedisFlightCoordinator', () => {
  it('grants one lease per key across replicas, bounded by its ttl', async () => {
    const a = await coordinator();
    const b = await coordinator();
    const key = nextKey();
    const leases = await Promise.all([a, b, a, b].map(({ flight }) => flight.lead(key, 5000)));
    expect(leases.filter((lease) => lease !== undefined)).toHaveLength(1);
    const pttl = await raw.pttl(`${PREFIX}f:${key}`);
    expect(pttl).toBeGreaterThan(4000);
    expect(pttl).toBeLessThanOrEqual(5000);
  });

  it('wakes the waiters of every replica when the leader filled', async () => {
    const a = await coordinator();
    const b = await coordinator();
    const key = nextKey();
    const lease = (await a.flight.lead(key, 5000))!;
    const waits = [a.flight.awaitFill(key, 5000), b.flight.awaitFill(key, 5000), b.flight.awaitFill(key, 5000)];
    await lease.release('filled');
    expect(await Promise.all(waits)).toEqual(['filled', 'filled', 'filled']);
    // The lease is free for the next flight, whose waiters do not see the old outcome.
    const next = await b.flight.lead(key, 5000);
    expect(next).toBeDefined();
    expect(await raw.exists(`${PREFIX}d:${key}`)).toBe(0);
  });

  it('tells waiters that arrive after the fill, through the outcome note', async () => {
    const a = await coordinator();
    const b = await coordinator();
    const key = nextKey();
    const lease = (await a.flight.lead(key, 5000))!;
    // B lost the race a moment ago but starts waiting only after the message went out.
    await lease.release('filled');
    expect(await b.flight.awaitFill(key, 5000)).toBe('filled');
  });

  it('answers expired when the leader failed, or died and its lease lapsed', async () => {
    const a = await coordinator();
    const b = await coordinator();
    const failing = nextKey();
    const lease = (await a.flight.lead(failing, 5000))!;
    const waiting = b.flight.awaitFill(failing, 5000);
    await lease.release('failed');
    expect(await waiting).toBe('expired');

    const dying = nextKey();
    expect(await a.flight.lead(dying, 5000)).toBeDefined();
    const started = performance.now();
    const orphaned = b.flight.awaitFill(dying, 5000);
    await raw.del(`${PREFIX}f:${dying}`);
    expect(await orphaned).toBe('expired');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await b.flight.lead(dying, 5000)).toBeDefined();
  });

  it('stops waiting at its timeout or its signal', async () => {
    const a = await coordinator();
    const key = nextKey();
    await a.flight.lead(key, 60_000);
    expect(await a.flight.awaitFill(key, 50)).toBe('expired');
    const controller = new AbortController();
    const waiting = a.flight.awaitFill(key, 60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe('expired');
  });

  it('stops waiting and refuses leases with a StoreError while Redis is down', async () => {
    const server = await startPrivateRedis();
    try {
      const { connection, flight } = await coordinator(server.url);
      const absorbed: string[] = [];
      connection.onAbsorbedFailure((error) => absorbed.push(`${error.store} ${error.code}`));
      const key = nextKey();
      const lease = await flight.lead(key, 5000);
      expect(lease).toBeDefined();
      const waiting = flight.awaitFill(key, 5000);
      await server.kill();
      expect(await waiting).toBe('expired');
      expect(absorbed).toEqual(['flight STORE_UNAVAILABLE']);
      await expect(flight.lead(key, 5000)).rejects.toMatchObject({ name: 'StoreError', store: 'flight', code: 'STORE_UNAVAILABLE' });
      await expect(lease!.release('filled')).rejects.toMatchObject({ name: 'StoreError', store: 'flight' });
    } finally {
      await server.kill();
    }
  });
});

describe('RedisChangeFeed', () => {
  it('tells the other replicas, never the publisher, and drops foreign messages', async () => {
    const a = await coordinator();
    const b = await coordinator();
    const feedA = new RedisChangeFeed(a.connection);
    const feedB = new RedisChangeFeed(b.connection);
    closers.push(() => feedA.close(), () => feedB.close());
    await Promise.all([a.connection.subscriber.ping(), b.connection.subscriber.ping()]);
    const heardA: string[] = [];
    const heardB: string[] = [];
    feedA.subscribe((provider, nativeId) => heardA.push(`${provider} ${nativeId}`));
    feedB.subscribe((provider, nativeId) => heardB.push(`${provider} ${nativeId}`));

    await raw.publish(`${PREFIX}change`, 'someone NOT_A_PROVIDER 1');
    await raw.publish(`${PREFIX}change`, 'garbage');
    await feedA.publish('HEADONI', '1234567890123456789');
    await feedA.publish('HOSTUP', 'tkt_with space');
    await vi.waitFor(() => expect(heardB).toEqual(['HEADONI 1234567890123456789', 'HOSTUP tkt_with space']));
    expect(heardA).toEqual([]);
  });
});
