/**
 * The in-process ticket cache (`LocalTicketStore`): alone on one replica, the local tier in front
 * of a shared store on several. One entry per provider + nativeId, found by every ref the ticket
 * was read with or revealed (Headoni by number or id, HostUp by tkt_ id or number), so a second
 * read under another ref costs no vendor request. An entry is fresh for `freshMs`, then kept as a
 * stale fallback for `staleMs`; NOT_FOUND answers are remembered per ref.
 *
 * Backed by lru-cache, bounded by bytes (`heap-size.ts` estimates what a ticket occupies). A hit
 * hands out the very `Ticket` object that was stored, for as long as the entry lives, so callers
 * may memoize work on it by identity and `charge` the bytes that memo holds to the entry.
 */
import { LRUCache } from 'lru-cache';
import type { Ticket } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import { entrySize } from './heap-size.js';
import type { CacheLookup, CacheStats, CacheTtl, LocalTicketStore, StoredTicket } from './types.js';

export interface MemoryTicketStoreOptions {
  /**
   * Upper bound on the estimated in-memory size of all cached tickets. Required: an unbounded
   * cache of customer conversations is a memory leak waiting for a busy day.
   */
  maxBytes: number;
  /** Most remembered NOT_FOUND refs. @default 10000 */
  maxMissing?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface Slot {
  entry: StoredTicket;
  /** This store's clock: until when the entry is fresh. */
  freshUntil: number;
  /** Bytes callers charged to the entry (memoized renderings). */
  extraBytes: number;
}

const NONE: CacheLookup = { kind: 'none' };
const MISSING: CacheLookup = { kind: 'missing' };

export class MemoryTicketStore implements LocalTicketStore {
  private readonly entries: LRUCache<string, Slot>;
  /** `provider:ref` → `provider:nativeId`. */
  private readonly aliases: LRUCache<string, string>;
  private readonly missing: LRUCache<string, true>;
  private readonly maxBytes: number;
  private readonly now: () => number;
  /** Entries and bytes per provider, kept in step by lru-cache's insert and dispose hooks. */
  private readonly shares = new Map<Provider, { entries: number; bytes: number }>();
  /** Each slot's size, worked out once (plus what `charge` adds). */
  private readonly sizes = new WeakMap<Slot, number>();
  /** The live slot of each stored ticket, for `charge`. */
  private readonly slots = new WeakMap<Ticket, Slot>();

  constructor(options: MemoryTicketStoreOptions) {
    const now = options.now ?? (() => Date.now());
    this.now = now;
    this.maxBytes = options.maxBytes;
    this.entries = new LRUCache<string, Slot>({
      maxSize: options.maxBytes,
      sizeCalculation: (slot) => this.sizeOf(slot),
      ttlAutopurge: false,
      // Ask the clock at every check rather than caching it for a millisecond behind a timer.
      ttlResolution: 0,
      perf: { now },
      // 'update' is the same slot set again; a replaced one (a new copy, a charge) is disposed first.
      onInsert: (slot, _key, reason) => {
        if (reason !== 'update') this.share(slot, +1);
      },
      dispose: (slot) => {
        this.share(slot, -1);
        this.slots.delete(slot.entry.ticket);
      },
    });
    // Aliases are tiny; bound them by count at a generous multiple of what fits in maxBytes.
    const maxAliases = Math.max(1000, Math.ceil(options.maxBytes / 1024));
    this.aliases = new LRUCache<string, string>({ max: maxAliases });
    this.missing = new LRUCache<string, true>({ max: options.maxMissing ?? 10_000, ttlResolution: 0, perf: { now } });
  }

  lookup(provider: Provider, ref: string): Promise<CacheLookup> {
    return Promise.resolve(this.lookupNow(provider, ref));
  }

  /** `lookup` without the promise, for a tier in front of a shared store. */
  lookupNow(provider: Provider, ref: string): CacheLookup {
    const alias = `${provider}:${ref}`;
    const key = this.aliases.get(alias);
    const slot = key === undefined ? undefined : this.entries.get(key);
    if (slot) return { kind: 'entry', entry: slot.entry, freshForMs: slot.freshUntil - this.now() };
    return this.missing.has(alias) ? MISSING : NONE;
  }

  async put(entry: StoredTicket, refs: readonly string[], ttl: CacheTtl): Promise<void> {
    this.putNow(entry, refs, ttl);
  }

  putNow(entry: StoredTicket, refs: readonly string[], ttl: CacheTtl): void {
    const { provider, nativeId, ref } = entry.ticket;
    const key = `${provider}:${nativeId}`;
    const lifetime = Math.max(0, ttl.freshMs) + Math.max(0, ttl.staleMs);
    if (lifetime <= 0) return;
    const slot: Slot = { entry, freshUntil: this.now() + ttl.freshMs, extraBytes: 0 };
    this.entries.set(key, slot, { ttl: lifetime });
    // lru-cache refuses an entry larger than maxBytes: then there is no slot to charge.
    if (this.entries.has(key)) this.slots.set(entry.ticket, slot);
    for (const alias of new Set([ref, ...refs])) {
      this.aliases.set(`${provider}:${alias}`, key);
      this.missing.delete(`${provider}:${alias}`);
    }
  }

  async forget(provider: Provider, ref: string): Promise<void> {
    const key = this.aliases.get(`${provider}:${ref}`);
    if (key !== undefined) this.entries.delete(key);
  }

  evict(provider: Provider, nativeId: string): void {
    this.entries.delete(`${provider}:${nativeId}`);
  }

  async rememberMissing(provider: Provider, ref: string, ttlMs: number): Promise<void> {
    if (ttlMs > 0) this.missing.set(`${provider}:${ref}`, true, { ttl: ttlMs });
  }

  charge(ticket: Ticket, extraBytes: number): void {
    const slot = this.slots.get(ticket);
    if (!slot || !(extraBytes > 0)) return;
    const key = `${ticket.provider}:${ticket.nativeId}`;
    // Only the live slot: a replaced copy's memo no longer counts.
    if (this.entries.peek(key) !== slot) return;
    // A new slot for the same entry: lru-cache re-measures only a changed value. Its TTL is kept,
    // and it may evict others (never beyond maxBytes).
    const charged: Slot = { ...slot, extraBytes: slot.extraBytes + extraBytes };
    this.sizes.set(charged, this.sizeOf(slot) + extraBytes);
    this.entries.set(key, charged, { noUpdateTTL: true });
    if (this.entries.peek(key) === charged) this.slots.set(ticket, charged);
  }

  async stats(provider?: Provider): Promise<CacheStats> {
    return this.statsNow(provider);
  }

  statsNow(provider?: Provider): CacheStats {
    if (provider) return { ...(this.shares.get(provider) ?? { entries: 0, bytes: 0 }), maxBytes: this.maxBytes };
    return { entries: this.entries.size, bytes: this.entries.calculatedSize, maxBytes: this.maxBytes };
  }

  private share(slot: Slot, sign: 1 | -1): void {
    const { provider } = slot.entry.ticket;
    const share = this.shares.get(provider) ?? { entries: 0, bytes: 0 };
    share.entries += sign;
    share.bytes += sign * this.sizeOf(slot);
    this.shares.set(provider, share);
  }

  private sizeOf(slot: Slot): number {
    let size = this.sizes.get(slot);
    if (size === undefined) {
      size = entrySize(slot.entry.ticket) + slot.extraBytes;
      this.sizes.set(slot, size);
    }
    return size;
  }
}
