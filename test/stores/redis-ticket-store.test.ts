/**
 * RedisTicketStore against real Redis: two stores on two connections stand for two replicas.
 * Freshness lives in Redis's TTLs, so the tests read PTTL instead of waiting for time to pass.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { createLogger } from '../../src/telemetry/logger.js';
import { MemoryTicketStore } from '../../src/stores/memory-ticket-store.js';
import { createValueCodec, parseEncryptionKey } from '../../src/stores/redis-codec.js';
import type { RedisConnection } from '../../src/stores/redis-connection.js';
import { RedisChangeFeed } from '../../src/stores/redis-feed.js';
import { RedisTicketStore } from '../../src/stores/redis-ticket-store.js';
import type { StoredTicket } from '../../src/stores/types.js';
import { connect, deletePrefix, inspector, randomPrefix, startPrivateRedis } from '../helpers/redis.js';
import { testTicket } from '../helpers/tickets.js';

const PREFIX = randomPrefix();
const KEY = parseEncryptionKey('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff')!;
let raw: Redis;
const opened: { connection: RedisConnection; store: RedisTicketStore }[] = [];

beforeAll(() => {
  raw = inspector();
});
afterEach(async () => {
  for (const { connection, store } of opened.splice(0)) {
    store.close();
    await connection.close();
  }
});
afterAll(async () => {
  await deletePrefix(raw, PREFIX);
  raw.disconnect();
});

async function replica(options: { prefix?: string; url?: string; encrypted?: boolean; feed?: boolean } = {}) {
  const connection = await connect(options.prefix ?? PREFIX, { url: options.url, commandTimeoutMs: 100 });
  const local = new MemoryTicketStore({ maxBytes: 1 << 20 });
  const feed = options.feed ? new RedisChangeFeed(connection) : undefined;
  const store = new RedisTicketStore({ connection, local, codec: createValueCodec(options.encrypted ? KEY : undefined), feed });
  opened.push({ connection, store });
  return { connection, local, store, feed };
}

let serial = 0;
function hostupTicket(subject = 'Printer on fire'): StoredTicket {
  serial += 1;
  const nativeId = `tkt_${serial}x${Date.now().toString(36)}`;
  return {
    ticket: testTicket({ provider: 'HOSTUP', ref: nativeId, nativeId, number: String(9000 + serial), subject }),
    fetchedAt: '2026-06-04T15:21:09.000Z',
  };
}

const TTL = { freshMs: 60_000, staleMs: 3_600_000 };

/** The failures a connection's stores absorbed, as "store CODE". */
function watch(connection: RedisConnection): string[] {
  const seen: string[] = [];
  connection.onAbsorbedFailure((error) => seen.push(`${error.store} ${error.code}`));
  return seen;
}

describe('RedisTicketStore', () => {
  it('shares an entry: what A stored is a fresh entry on B, by id and by number', async () => {
    const a = await replica();
    const b = await replica();
    const entry = hostupTicket();
    await a.store.put(entry, [entry.ticket.ref, entry.ticket.number!], TTL);

    const byNumber = await b.store.lookup('HOSTUP', entry.ticket.number!);
    expect(byNumber.kind).toBe('entry');
    if (byNumber.kind !== 'entry') throw new Error('unreachable');
    expect(byNumber.entry).toEqual(entry);
    expect(byNumber.freshForMs).toBeGreaterThan(TTL.freshMs - 2000);
    expect(byNumber.freshForMs).toBeLessThanOrEqual(TTL.freshMs);
    const run = vi.spyOn(b.connection, 'run');
    const byId = await b.store.lookup('HOSTUP', entry.ticket.ref);
    // The second read, under the other ref, is B's local tier: the very same object, no round trip.
    expect(byId.kind === 'entry' && byId.entry.ticket).toBe(byNumber.entry.ticket);
    expect(run).not.toHaveBeenCalled();

    const pttl = await raw.pttl(`${PREFIX}t:HOSTUP:${entry.ticket.nativeId}`);
    expect(pttl).toBeGreaterThan(TTL.freshMs + TTL.staleMs - 2000);
    expect(await raw.pttl(`${PREFIX}a:HOSTUP:${entry.ticket.number}`)).toBeGreaterThan(TTL.freshMs + TTL.staleMs - 2000);
  });

  it('makes a lookup one round trip, and none while the local copy is fresh', async () => {
    const a = await replica();
    const b = await replica();
    const entry = hostupTicket();
    await a.store.put(entry, [entry.ticket.ref], TTL);
    const run = vi.spyOn(b.connection, 'run');
    await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(run).toHaveBeenCalledTimes(1);
    await b.store.lookup('HOSTUP', entry.ticket.ref);
    await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(run).toHaveBeenCalledTimes(1);
    await b.store.lookup('HOSTUP', 'tkt_neverseen');
    expect(run).toHaveBeenCalledTimes(2);
    // The synchronous fast path answers a fresh local copy, and leaves everything else to lookup.
    const near = await b.local.lookup('HOSTUP', entry.ticket.ref);
    const now = b.store.lookupNow('HOSTUP', entry.ticket.ref);
    expect(now).toMatchObject({ kind: 'entry', freshForMs: expect.any(Number) });
    expect(now?.kind === 'entry' && near.kind === 'entry' && now.entry.ticket === near.entry.ticket).toBe(true);
    expect(b.store.lookupNow('HOSTUP', 'tkt_neverseen')).toBeUndefined();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('never keeps a local copy fresher than the shared entry', async () => {
    const a = await replica();
    const b = await replica();
    const entry = hostupTicket();
    // Stale in Redis from the start: B's local copy must be stale too, so B asks Redis each time.
    await a.store.put(entry, [entry.ticket.ref], { freshMs: 0, staleMs: 60_000 });
    const run = vi.spyOn(b.connection, 'run');
    const first = await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(first.kind === 'entry' && first.freshForMs).toBeLessThanOrEqual(0);
    const near = await b.local.lookup('HOSTUP', entry.ticket.ref);
    expect(near.kind === 'entry' && near.freshForMs).toBeLessThanOrEqual(0);
    await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('shares NOT_FOUND memory and forgetting', async () => {
    const a = await replica();
    const b = await replica();
    await a.store.rememberMissing('HOSTUP', 'tkt_gone', 5000);
    expect(await b.store.lookup('HOSTUP', 'tkt_gone')).toEqual({ kind: 'missing' });
    expect(await raw.pttl(`${PREFIX}m:HOSTUP:tkt_gone`)).toBeGreaterThan(4000);

    const entry = hostupTicket();
    await a.store.put(entry, [entry.ticket.ref], TTL);
    await a.store.forget('HOSTUP', entry.ticket.ref);
    expect(await b.store.lookup('HOSTUP', entry.ticket.ref)).toEqual({ kind: 'none' });

    // B holds a stale copy; A hears NOT_FOUND: B drops its copy instead of serving it as STALE.
    const gone = hostupTicket();
    await a.store.put(gone, [gone.ticket.ref], { freshMs: 0, staleMs: 60_000 });
    expect((await b.store.lookup('HOSTUP', gone.ticket.ref)).kind).toBe('entry');
    await a.store.forget('HOSTUP', gone.ticket.ref);
    await a.store.rememberMissing('HOSTUP', gone.ticket.ref, 5000);
    expect(await b.store.lookup('HOSTUP', gone.ticket.ref)).toEqual({ kind: 'missing' });
    expect(await b.local.lookup('HOSTUP', gone.ticket.ref)).toEqual({ kind: 'missing' });
  });

  it('drops a local copy whose shared entry is gone', async () => {
    const a = await replica();
    const entry = hostupTicket();
    await a.store.put(entry, [entry.ticket.ref], { freshMs: 0, staleMs: 60_000 });
    await raw.del(`${PREFIX}t:HOSTUP:${entry.ticket.nativeId}`);
    expect(await a.store.lookup('HOSTUP', entry.ticket.ref)).toEqual({ kind: 'none' });
    expect(await a.local.lookup('HOSTUP', entry.ticket.ref)).toEqual({ kind: 'none' });
  });

  it('seals values with redis.encryptionKey: a dump holds no readable ticket', async () => {
    const a = await replica({ encrypted: true });
    const b = await replica({ encrypted: true });
    const entry = hostupTicket('Quarterly invoice dispute with ACME');
    await a.store.put(entry, [entry.ticket.ref], TTL);
    const value = (await raw.get(`${PREFIX}t:HOSTUP:${entry.ticket.nativeId}`))!;
    expect(value).toMatch(/^\d+\|e1\.[0-9a-f]{8}\./);
    expect(value).not.toContain('Quarterly');
    expect(value).not.toContain('ACME');
    const seen = await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(seen.kind === 'entry' && seen.entry).toEqual(entry);
  });

  it('treats values it cannot open as misses: another key, no key, planted plain text, another entry', async () => {
    const sealed = await replica({ encrypted: true });
    const plain = await replica();
    const entry = hostupTicket();
    await sealed.store.put(entry, [entry.ticket.ref], TTL);
    expect(await plain.store.lookup('HOSTUP', entry.ticket.ref)).toEqual({ kind: 'none' });

    const other = hostupTicket();
    await plain.store.put(other, [other.ticket.ref], TTL);
    const fresh = await replica({ encrypted: true });
    expect(await fresh.store.lookup('HOSTUP', other.ticket.ref)).toEqual({ kind: 'none' });

    // A sealed value moved under another entry's key does not open (the key name is bound in).
    const moved = hostupTicket();
    await sealed.store.put(moved, [moved.ticket.ref], TTL);
    const value = await raw.get(`${PREFIX}t:HOSTUP:${entry.ticket.nativeId}`);
    await raw.set(`${PREFIX}t:HOSTUP:${moved.ticket.nativeId}`, value!, 'PX', 60_000);
    expect(await fresh.store.lookup('HOSTUP', moved.ticket.ref)).toEqual({ kind: 'none' });

    await raw.set(`${PREFIX}t:HOSTUP:${other.ticket.nativeId}`, '12|p1.{not json', 'PX', 60_000);
    const reader = await replica();
    const absorbed = watch(reader.connection);
    expect(await reader.store.lookup('HOSTUP', other.ticket.ref)).toEqual({ kind: 'none' });
    expect(absorbed).toEqual(['cache STORE_BAD_DATA']);
  });

  it('evicts the local copy when another replica publishes a change', async () => {
    const a = await replica({ feed: true });
    const b = await replica({ feed: true });
    const entry = hostupTicket('old subject');
    await a.store.put(entry, [entry.ticket.ref], TTL);
    const before = await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(before.kind === 'entry' && before.entry.ticket.subject).toBe('old subject');

    const renewed: StoredTicket = { ...entry, ticket: { ...entry.ticket, subject: 'new subject' } };
    await a.store.put(renewed, [entry.ticket.ref], TTL);
    await a.feed!.publish('HOSTUP', entry.ticket.nativeId);
    await vi.waitFor(async () => expect(await b.local.lookup('HOSTUP', entry.ticket.ref)).toEqual({ kind: 'none' }));
    const after = await b.store.lookup('HOSTUP', entry.ticket.ref);
    expect(after.kind === 'entry' && after.entry.ticket.subject).toBe('new subject');
    // A's own notice does not evict A's copy.
    expect((await a.local.lookup('HOSTUP', entry.ticket.ref)).kind).toBe('entry');
  });

  it('keeps answering from the local tier while Redis is down, then shares again', async () => {
    const server = await startPrivateRedis({ password: 's3cret-Redis-pass' });
    expect(server.url).toContain('s3cret-Redis-pass@');
    const logs: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => void logs.push(line) });
    const connection = await connect(PREFIX, { url: server.url, commandTimeoutMs: 100, logger });
    const local = new MemoryTicketStore({ maxBytes: 1 << 20 });
    const store = new RedisTicketStore({ connection, local, codec: createValueCodec() });
    opened.push({ connection, store });
    const absorbed = watch(connection);
    try {
      const entry = hostupTicket();
      await store.put(entry, [entry.ticket.ref], { freshMs: 0, staleMs: 60_000 });
      await server.kill();
      const during = await store.lookup('HOSTUP', entry.ticket.ref);
      expect(during.kind === 'entry' && during.entry).toEqual(entry);
      expect(await store.lookup('HOSTUP', 'tkt_other')).toEqual({ kind: 'none' });
      expect(absorbed).toEqual(['cache STORE_UNAVAILABLE', 'cache STORE_UNAVAILABLE']);
      // A write reaches the local tier, then says Redis failed (the service reports it).
      const written = hostupTicket();
      await expect(store.put(written, [written.ticket.ref], TTL)).rejects.toMatchObject({ name: 'StoreError', store: 'cache', code: 'STORE_UNAVAILABLE' });
      expect((await store.lookup('HOSTUP', written.ticket.ref)).kind).toBe('entry');
      expect(connection.status()).toMatchObject({ mode: 'DEGRADED', lastError: expect.stringMatching(/^Redis (closed the connection|refused the connection|is not connected)$/) });

      await server.restart();
      await vi.waitFor(() => expect(connection.status().mode).toBe('SHARED'), { timeout: 5000, interval: 50 });
      const shared = hostupTicket();
      await store.put(shared, [shared.ticket.ref], TTL);
      const probe = inspector(server.url);
      expect(await probe.exists(`${PREFIX}t:HOSTUP:${entry.ticket.nativeId}`)).toBe(0);
      expect(await probe.exists(`${PREFIX}t:HOSTUP:${shared.ticket.nativeId}`)).toBe(1);
      probe.disconnect();
      const warnings = logs.map((line) => JSON.parse(line) as { msg: string }).filter((line) => /unreachable/.test(line.msg));
      expect(warnings).toHaveLength(1);
      expect(logs.join('\n')).not.toContain('s3cret-Redis-pass');
      expect(logs.join('\n')).toContain(`redis://127.0.0.1:${server.port}`);
    } finally {
      await server.kill();
    }
  });

  it('answers within its command timeout when Redis hangs', async () => {
    const server = await startPrivateRedis();
    const { connection, store } = await replica({ url: server.url });
    const absorbed = watch(connection);
    try {
      const entry = hostupTicket();
      await store.put(entry, [entry.ticket.ref], { freshMs: 0, staleMs: 60_000 });
      server.freeze();
      const started = performance.now();
      const during = await store.lookup('HOSTUP', entry.ticket.ref);
      expect(performance.now() - started).toBeLessThan(600);
      expect(during.kind === 'entry' && during.entry).toEqual(entry);
      expect(absorbed).toEqual(['cache STORE_TIMEOUT']);
      // One timeout may be this process's own busy moment: still SHARED. A second of them is not.
      expect(connection.status().mode).toBe('SHARED');
      await vi.waitFor(
        async () => {
          await store.lookup('HOSTUP', entry.ticket.ref);
          expect(connection.status()).toMatchObject({ mode: 'DEGRADED', lastError: 'Redis did not answer in time' });
        },
        { timeout: 4000, interval: 50 },
      );
      // Then Redis is not asked at all (but for one probe a second): a lookup answers at once.
      const skipped = performance.now();
      await store.lookup('HOSTUP', entry.ticket.ref);
      expect(performance.now() - skipped).toBeLessThan(50);
      server.thaw();
      // One call a second probes a Redis that timed out; the first answer in time ends the spell.
      await vi.waitFor(
        async () => {
          await store.lookup('HOSTUP', 'tkt_probe');
          expect(connection.status().mode).toBe('SHARED');
        },
        { timeout: 4000, interval: 200 },
      );
    } finally {
      server.thaw();
      await server.kill();
    }
  });
});
