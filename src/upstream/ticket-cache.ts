/**
 * The shared ticket cache: one entry per provider + nativeId, found by any ref the ticket was
 * read with (Headoni by number or id, HostUp by tkt_ id or number), so a second read under
 * another ref costs no vendor request. An entry is fresh for the provider's TTL, then kept as a
 * stale fallback for `staleSeconds` (served when the vendor fails or is cooling down).
 *
 * `TicketCache` is the small interface the service needs; `MemoryTicketCache` backs it with
 * lru-cache, bounded by bytes. A shared (Redis) implementation plugs in behind the same shape.
 */
import { LRUCache } from 'lru-cache';
import type { IsoDateTime, Ticket } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';

export interface CachedTicket {
  ticket: Ticket;
  fetchedAt: IsoDateTime;
  /** Epoch ms until which the entry is served without asking the vendor. */
  freshUntil: number;
}

export interface TicketCache {
  get(provider: Provider, ref: string): Promise<CachedTicket | undefined>;
  /** Stores a ticket under its nativeId, reachable by its canonical ref and `refs`. */
  set(entry: CachedTicket, refs: string[], staleUntil: number): Promise<void>;
  /** Drops the ticket this ref finds (the vendor says it is gone). */
  forget(provider: Provider, ref: string): Promise<void>;
  /** A remembered NOT_FOUND for this ref, while it lasts. */
  isKnownMissing(provider: Provider, ref: string): Promise<boolean>;
  rememberMissing(provider: Provider, ref: string, until: number): Promise<void>;
  /** The whole cache, or one provider's share of it. */
  stats(provider?: Provider): CacheStats;
  /**
   * Adds `bytes` memoized for this cached ticket (its rendered bodies) to its entry's size, so
   * `maxBytes` counts them; nothing when the ticket is no longer the cached copy.
   */
  charge(ticket: Ticket, bytes: number): void;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
}

export interface MemoryTicketCacheOptions {
  /**
   * Upper bound on the estimated in-memory size of all cached tickets. Required: an unbounded
   * cache of customer conversations is a memory leak waiting for a busy day.
   */
  maxBytes: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * Per-entry cost beyond the ticket itself: the entry object with its `fetchedAt`, the key,
 * lru-cache's bookkeeping (map slot, list links, ttl and start times, size) and one or two
 * aliases. Measured at ~360 bytes; rounded up.
 */
const ENTRY_OVERHEAD_BYTES = 384;

/*
 * What a ticket occupies on V8's heap (64-bit, no pointer compression: Node's default build).
 * `maxBytes` bounds memory, so this counts what the heap holds rather than a serialised form:
 * JSON text ×2 overstated a typical ticket by ~60% (V8 keeps Latin-1 strings one byte a
 * character, and JSON's repeated keys live once, in the object's hidden class). The estimate is
 * within 2% of the heap measured per entry, for short and long threads alike
 * (`npm run bench` fills a cache to maxBytes with 100k tickets and reports the process's RSS).
 */
const POINTER_BYTES = 8;
/** Hidden class, properties and elements pointers. */
const OBJECT_HEADER_BYTES = 3 * POINTER_BYTES;
/** JSArray: map, properties, elements, length. */
const ARRAY_BYTES = 4 * POINTER_BYTES;
/** The elements' FixedArray: map and length (an empty array shares one). */
const ELEMENTS_HEADER_BYTES = 2 * POINTER_BYTES;
/** Map, hash and length. */
const STRING_HEADER_BYTES = 16;
const HEAP_NUMBER_BYTES = 16;
const WIDE_CHARACTER = /[^\u0000-\u00ff]/;
/** The model's enum values (`OPEN`, `PUBLIC`, `MARKDOWN`…): string literals every ticket shares. */
const ENUM_VALUE = /^[A-Z][A-Z_]{0,31}$/;

function entrySize(entry: CachedTicket): number {
  return heapBytes(entry.ticket) + ENTRY_OVERHEAD_BYTES;
}

/** Bytes `value` allocates beyond the pointer-sized slot that holds it. */
function heapBytes(value: unknown): number {
  switch (typeof value) {
    case 'string': {
      if (ENUM_VALUE.test(value)) return 0;
      const width = WIDE_CHARACTER.test(value) ? 2 : 1;
      return align(STRING_HEADER_BYTES + value.length * width);
    }
    case 'number':
      // Small integers live in the slot itself; anything else is a boxed double.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : HEAP_NUMBER_BYTES;
    case 'object': {
      if (value === null) return 0;
      let bytes = 0;
      if (Array.isArray(value)) {
        if (value.length === 0) return ARRAY_BYTES;
        for (const item of value) bytes += POINTER_BYTES + heapBytes(item);
        return ARRAY_BYTES + ELEMENTS_HEADER_BYTES + bytes;
      }
      for (const key in value) bytes += POINTER_BYTES + heapBytes((value as Record<string, unknown>)[key]);
      return OBJECT_HEADER_BYTES + bytes;
    }
    default:
      // Booleans and undefined are shared constants.
      return 0;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / POINTER_BYTES) * POINTER_BYTES;
}

export class MemoryTicketCache implements TicketCache {
  private readonly entries: LRUCache<string, CachedTicket>;
  /** `provider:ref` → `provider:nativeId`. */
  private readonly aliases: LRUCache<string, string>;
  private readonly missing: LRUCache<string, true>;
  private readonly maxBytes: number;
  private readonly now: () => number;
  /** Entries and bytes per provider, kept in step by lru-cache's insert and dispose hooks. */
  private readonly shares = new Map<Provider, { entries: number; bytes: number }>();
  /** Each entry's size, worked out once. */
  private readonly sizes = new WeakMap<CachedTicket, number>();
  /** Bytes memoized beside a cached ticket (rendered bodies), charged to its entry. */
  private readonly extra = new WeakMap<Ticket, number>();

  constructor(options: MemoryTicketCacheOptions) {
    const now = options.now ?? (() => Date.now());
    this.now = now;
    this.maxBytes = options.maxBytes;
    this.entries = new LRUCache<string, CachedTicket>({
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => this.sizeOf(entry),
      ttlAutopurge: false,
      // Ask the clock at every check rather than caching it for a millisecond behind a timer.
      ttlResolution: 0,
      perf: { now },
      // 'update' is the same value set again; a replaced value is disposed first.
      onInsert: (entry, _key, reason) => {
        if (reason !== 'update') this.share(entry, +1);
      },
      dispose: (entry) => this.share(entry, -1),
    });
    // Aliases are tiny; bound them by count at a generous multiple of what fits in maxBytes.
    const maxAliases = Math.max(1000, Math.ceil(options.maxBytes / 1024));
    this.aliases = new LRUCache<string, string>({ max: maxAliases });
    this.missing = new LRUCache<string, true>({ max: 10_000, ttlResolution: 0, perf: { now } });
  }

  async get(provider: Provider, ref: string): Promise<CachedTicket | undefined> {
    const key = this.aliases.get(`${provider}:${ref}`);
    return key === undefined ? undefined : this.entries.get(key);
  }

  async set(entry: CachedTicket, refs: string[], staleUntil: number): Promise<void> {
    const { provider, nativeId, ref } = entry.ticket;
    const key = `${provider}:${nativeId}`;
    const ttl = Math.max(1, staleUntil - this.now());
    this.entries.set(key, entry, { ttl });
    for (const alias of new Set([ref, ...refs])) {
      this.aliases.set(`${provider}:${alias}`, key);
      this.missing.delete(`${provider}:${alias}`);
    }
  }

  async forget(provider: Provider, ref: string): Promise<void> {
    const key = this.aliases.get(`${provider}:${ref}`);
    if (key !== undefined) this.entries.delete(key);
  }

  async isKnownMissing(provider: Provider, ref: string): Promise<boolean> {
    return this.missing.has(`${provider}:${ref}`);
  }

  async rememberMissing(provider: Provider, ref: string, until: number): Promise<void> {
    const ttl = until - this.now();
    if (ttl > 0) this.missing.set(`${provider}:${ref}`, true, { ttl });
  }

  stats(provider?: Provider): CacheStats {
    if (provider) return { ...(this.shares.get(provider) ?? { entries: 0, bytes: 0 }), maxBytes: this.maxBytes };
    return { entries: this.entries.size, bytes: this.entries.calculatedSize, maxBytes: this.maxBytes };
  }

  charge(ticket: Ticket, bytes: number): void {
    const key = `${ticket.provider}:${ticket.nativeId}`;
    const entry = this.entries.peek(key);
    if (entry?.ticket !== ticket || bytes <= 0) return;
    this.extra.set(ticket, (this.extra.get(ticket) ?? 0) + bytes);
    // A new entry object for the same ticket: lru-cache re-sizes on replace (not on an
    // identical value), keeping the entry's TTL; the shares follow through dispose/onInsert.
    this.entries.set(key, { ...entry }, { noUpdateTTL: true });
  }

  private share(entry: CachedTicket, sign: 1 | -1): void {
    const { provider } = entry.ticket;
    const share = this.shares.get(provider) ?? { entries: 0, bytes: 0 };
    share.entries += sign;
    share.bytes += sign * this.sizeOf(entry);
    this.shares.set(provider, share);
  }

  private sizeOf(entry: CachedTicket): number {
    let size = this.sizes.get(entry);
    if (size === undefined) {
      size = entrySize(entry) + (this.extra.get(entry.ticket) ?? 0);
      this.sizes.set(entry, size);
    }
    return size;
  }
}
