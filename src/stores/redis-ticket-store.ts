/**
 * The ticket cache shared by every replica: Redis behind a small local tier (`LocalTicketStore`,
 * this replica's memory) in front.
 *
 * Keys (all under `redis.keyPrefix`; provider and refs are validated before they get here):
 * - `t:<PROVIDER>:<nativeId>`: the entry, `<staleMs>|<value>` (`redis-codec.ts`: JSON, sealed
 *   when `redis.encryptionKey` is set), expiring after fresh + stale (PX), so Redis drops it by
 *   itself and freshness is Redis's own clock: freshness left = PTTL − staleMs;
 * - `a:<PROVIDER>:<ref>` → nativeId, one per ref the answer revealed, with the entry's TTL;
 * - `m:<PROVIDER>:<ref>`: a remembered NOT_FOUND, for its own TTL.
 *
 * A lookup is one round trip (the `LOOKUP` script follows the alias to the entry, or finds the
 * NOT_FOUND memory), and none at all while the local tier holds a fresh copy. The local tier is
 * filled with what Redis said is left of the entry's life, so it is never fresher than the
 * shared entry; `refreshTicket` on another replica evicts it through the ChangeFeed.
 *
 * Redis failing never fails a read: a lookup answers from the local tier (a stale copy stays
 * servable) and reports the failure it absorbed (`RedisConnection.onAbsorbedFailure`); writes
 * reach the local tier first, then reject with the `StoreError` for the service to report.
 */
import type { Redis } from 'ioredis';
import type { Ticket } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import { ticketRefs } from '../domain/refs.js';
import type { ValueCodec } from './redis-codec.js';
import type { RedisConnection } from './redis-connection.js';
import {
  StoreError,
  type CacheLookup,
  type CacheStats,
  type CacheTtl,
  type ChangeFeed,
  type LocalTicketStore,
  type StoredTicket,
} from './types.js';

/** KEYS: alias, missing; ARGV: entry key prefix. → {1, value, pttl, nativeId} | {2, pttl} | {0} */
const LOOKUP = `
local id = redis.call('GET', KEYS[1])
if id then
  local key = ARGV[1] .. id
  local value = redis.call('GET', key)
  if value then return {1, value, redis.call('PTTL', key), id} end
end
local missing = redis.call('PTTL', KEYS[2])
if missing > 0 then return {2, missing} end
return {0}
`;

/** KEYS: alias; ARGV: entry key prefix. Drops the entry the alias finds. */
const FORGET = `
local id = redis.call('GET', KEYS[1])
if id then redis.call('DEL', ARGV[1] .. id) end
return 1
`;

/**
 * A cached value larger than this is not one this gateway wrote (vendor answers are capped at
 * 4 MiB; sealing adds a third): a miss, never a parse that holds the event loop.
 */
const MAX_VALUE_CHARS = 16 * 1024 * 1024;

type LookupReply = [1, string, number, string] | [2, number] | [0];

interface ScriptedRedis extends Redis {
  deskgraphLookup(alias: string, missing: string, entryPrefix: string): Promise<LookupReply>;
  deskgraphForget(alias: string, entryPrefix: string): Promise<number>;
}

export interface RedisTicketStoreOptions {
  connection: RedisConnection;
  /** This replica's tier in front of Redis (bounded by `cache.maxBytes`). */
  local: LocalTicketStore;
  codec: ValueCodec;
  /** Change notices from other replicas evict the local copy. */
  feed?: ChangeFeed | undefined;
}

export class RedisTicketStore implements LocalTicketStore {
  private readonly connection: RedisConnection;
  private readonly local: LocalTicketStore;
  private readonly codec: ValueCodec;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(options: RedisTicketStoreOptions) {
    this.connection = options.connection;
    this.local = options.local;
    this.codec = options.codec;
    const client = this.connection.client;
    client.defineCommand('deskgraphLookup', { numberOfKeys: 2, lua: LOOKUP });
    client.defineCommand('deskgraphForget', { numberOfKeys: 1, lua: FORGET });
    this.unsubscribe = options.feed?.subscribe((provider, nativeId) => this.local.evict(provider, nativeId));
  }

  /** A fresh local copy or a remembered NOT_FOUND, with no promise; undefined: ask `lookup`. */
  lookupNow(provider: Provider, ref: string): CacheLookup | undefined {
    const near = this.local.lookupNow?.(provider, ref);
    if (near?.kind === 'missing' || (near?.kind === 'entry' && near.freshForMs > 0)) return near;
    return undefined;
  }

  async lookup(provider: Provider, ref: string): Promise<CacheLookup> {
    const near = await this.local.lookup(provider, ref);
    if (near.kind === 'entry' && near.freshForMs > 0) return near;
    if (near.kind === 'missing') return near;
    let reply: LookupReply;
    try {
      reply = await this.connection.run('cache', (redis) =>
        (redis as ScriptedRedis).deskgraphLookup(this.alias(provider, ref), this.missing(provider, ref), this.entryPrefix(provider)),
      );
    } catch (error) {
      this.connection.absorbed(asStoreError(error));
      return near;
    }
    if (reply[0] === 2) {
      // Another replica heard NOT_FOUND: a copy held here must not be served, not even as STALE.
      if (near.kind === 'entry') await this.local.forget(provider, ref);
      await this.local.rememberMissing(provider, ref, reply[1]);
      return { kind: 'missing' };
    }
    if (reply[0] !== 1) {
      // The shared entry is gone (expired or forgotten): a local copy must not outlive it.
      if (near.kind === 'entry') await this.local.forget(provider, ref);
      return { kind: 'none' };
    }
    const [, value, ttlMs, nativeId] = reply;
    let stored: { entry: StoredTicket; staleMs: number };
    try {
      stored = this.decode(provider, this.entryPrefix(provider) + nativeId, value);
    } catch (error) {
      this.connection.absorbed(asStoreError(error));
      return { kind: 'none' };
    }
    const freshForMs = ttlMs - stored.staleMs;
    // The local copy lives exactly as long as what is left of the shared one.
    const ttl: CacheTtl = freshForMs > 0 ? { freshMs: freshForMs, staleMs: stored.staleMs } : { freshMs: 0, staleMs: ttlMs };
    await this.local.put(stored.entry, [...new Set([ref, ...ticketRefs(stored.entry.ticket)])], ttl);
    const settled = await this.local.lookup(provider, ref);
    // The local tier may refuse an entry larger than it holds: answer with the decoded copy.
    return settled.kind === 'entry' ? settled : { kind: 'entry', entry: stored.entry, freshForMs };
  }

  async put(entry: StoredTicket, refs: readonly string[], ttl: CacheTtl): Promise<void> {
    await this.local.put(entry, refs, ttl);
    const { provider, nativeId } = entry.ticket;
    const lifeMs = Math.max(1, Math.ceil(ttl.freshMs + ttl.staleMs));
    const key = this.entryPrefix(provider) + nativeId;
    const value = `${Math.max(0, Math.floor(ttl.staleMs))}|${this.codec.seal(key, JSON.stringify(entry))}`;
    await this.connection.run('cache', async (redis) => {
      const batch = redis.multi().set(key, value, 'PX', lifeMs);
      for (const ref of new Set([entry.ticket.ref, ...refs])) {
        batch.set(this.alias(provider, ref), nativeId, 'PX', lifeMs).del(this.missing(provider, ref));
      }
      const results = await batch.exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
    });
  }

  async forget(provider: Provider, ref: string): Promise<void> {
    await this.local.forget(provider, ref);
    await this.connection.run('cache', (redis) => (redis as ScriptedRedis).deskgraphForget(this.alias(provider, ref), this.entryPrefix(provider)));
  }

  async rememberMissing(provider: Provider, ref: string, ttlMs: number): Promise<void> {
    await this.local.rememberMissing(provider, ref, ttlMs);
    const ms = Math.ceil(ttlMs);
    if (ms <= 0) return;
    await this.connection.run('cache', (redis) => redis.set(this.missing(provider, ref), '1', 'PX', ms));
  }

  /** This replica's tier: counting the shared entries would take a scan of Redis. */
  stats(provider?: Provider): Promise<CacheStats> {
    return this.local.stats(provider);
  }

  charge(ticket: Ticket, extraBytes: number): void {
    this.local.charge(ticket, extraBytes);
  }

  evict(provider: Provider, nativeId: string): void {
    this.local.evict(provider, nativeId);
  }

  close(): void {
    this.unsubscribe?.();
  }

  /** The entry stored under `key`; STORE_BAD_DATA for anything this gateway did not write. */
  private decode(provider: Provider, key: string, raw: string): { entry: StoredTicket; staleMs: number } {
    const bar = raw.indexOf('|');
    const staleMs = Number(raw.slice(0, bar));
    if (bar <= 0 || !Number.isSafeInteger(staleMs) || raw.length > MAX_VALUE_CHARS) throw badData('a malformed entry');
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.codec.open(key, raw.slice(bar + 1)));
    } catch (error) {
      throw error instanceof StoreError ? error : badData('an entry that is not JSON');
    }
    if (!isStoredTicket(parsed, provider)) throw badData('an entry that is not a ticket');
    return { entry: parsed, staleMs };
  }

  private entryPrefix(provider: Provider): string {
    return this.connection.key('t', provider, '');
  }

  private alias(provider: Provider, ref: string): string {
    return this.connection.key('a', provider, ref);
  }

  private missing(provider: Provider, ref: string): string {
    return this.connection.key('m', provider, ref);
  }
}

function isStoredTicket(value: unknown, provider: Provider): value is StoredTicket {
  if (typeof value !== 'object' || value === null) return false;
  const { ticket, fetchedAt } = value as Record<string, unknown>;
  if (typeof fetchedAt !== 'string' || typeof ticket !== 'object' || ticket === null) return false;
  const t = ticket as Record<string, unknown>;
  return t['provider'] === provider && typeof t['nativeId'] === 'string' && typeof t['ref'] === 'string' && Array.isArray(t['messages']);
}

function asStoreError(error: unknown): StoreError {
  return error instanceof StoreError ? error : new StoreError('STORE_BAD_DATA', 'cache', 'Redis answered the lookup with something else', { cause: error });
}

function badData(what: string): StoreError {
  return new StoreError('STORE_BAD_DATA', 'cache', `Redis holds ${what}; it is treated as a miss`);
}
