/**
 * The shared-state seam: everything one replica would otherwise keep to itself and several
 * replicas must share — the ticket cache, the vendor budget (token bucket + cooldown), single
 * flight per ticket and change notices. `memory-*.ts` implement it for one replica, `redis-*.ts`
 * for many; the service and the gate only see these interfaces.
 *
 * Rules every implementation keeps (a shared store is another process on another clock):
 * - time is RELATIVE (TTLs and waits in ms, measured by the store's own clock), never an epoch
 *   from the writer's clock;
 * - one operation is one round trip and atomic (`lookup`, `admit`, `pause`);
 * - every failure of the store itself (refused, timed out, unreadable reply) rejects with a
 *   `StoreError`, never a raw client error, so the service can apply its policy: a store failure
 *   never fails a read and never hides the stale copy.
 */
import type { IsoDateTime, Ticket } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';

// ---------------------------------------------------------------------------------------------
// Ticket cache

export interface StoredTicket {
  ticket: Ticket;
  /** When the vendor answered (informational: freshness is the store's TTL, not this). */
  fetchedAt: IsoDateTime;
}

export interface CacheTtl {
  /** How long the entry is served without asking the vendor. */
  freshMs: number;
  /** How long it is kept AFTER freshness ends, as a fallback when the vendor fails. */
  staleMs: number;
}

export type CacheLookup =
  /** `freshForMs` is the freshness left; <= 0 means the entry is stale (still servable as STALE). */
  | { kind: 'entry'; entry: StoredTicket; freshForMs: number }
  /** A remembered NOT_FOUND for this ref. */
  | { kind: 'missing' }
  | { kind: 'none' };

export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
}

export interface TicketStore {
  /** ONE round trip: the entry any of its refs finds, or the NOT_FOUND memory for this ref. */
  lookup(provider: Provider, ref: string): Promise<CacheLookup>;
  /**
   * Stores the ticket under provider + nativeId for `freshMs + staleMs`, reachable by every ref
   * in `refs` (the caller passes all the refs the answer reveals: see `ticketRefs`), and clears
   * any NOT_FOUND memory for those refs.
   */
  put(entry: StoredTicket, refs: readonly string[], ttl: CacheTtl): Promise<void>;
  /** Drops the ticket this ref finds (the vendor says it is gone). */
  forget(provider: Provider, ref: string): Promise<void>;
  /** Remembers that this ref is NOT_FOUND for `ttlMs`. */
  rememberMissing(provider: Provider, ref: string, ttlMs: number): Promise<void>;
  /** The whole cache, or one provider's share of it. */
  stats(provider?: Provider): Promise<CacheStats>;
}

/**
 * The in-process tier (alone on one replica, in front of a shared store on several). It hands
 * out the SAME `Ticket` object on every hit while the entry lives (callers memoize by identity).
 */
export interface LocalTicketStore extends TicketStore {
  /** Adds `extraBytes` (memoized renderings) to the size of the entry holding `ticket`. */
  charge(ticket: Ticket, extraBytes: number): void;
  /** Drops the entry of provider + nativeId, whatever ref found it (a change notice). */
  evict(provider: Provider, nativeId: string): void;
  /**
   * Optional synchronous fast path: the answer when this tier alone can give it now (a fresh
   * entry, a remembered NOT_FOUND); undefined or `none` when `lookup` must be asked.
   */
  lookupNow?(provider: Provider, ref: string): CacheLookup | undefined;
}

// ---------------------------------------------------------------------------------------------
// Vendor budget

export interface BudgetRule {
  /** Tokens added per second (sustained requests per second). */
  ratePerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet spell. */
  burst: number;
}

export type Admission =
  | { admitted: true }
  /** Nothing was taken. `retryAfterMs` > 0: when a retry may succeed. */
  | { admitted: false; reason: 'cooldown' | 'tokens'; retryAfterMs: number };

export interface BudgetPeek {
  /** Ms left of a running pause; 0 when none. */
  cooldownMs: number;
  /** Tokens in the bucket now (nothing is taken). */
  tokens: number;
}

export interface BudgetStore {
  /** ONE atomic step: refused while a pause runs, else one token taken from the bucket. */
  admit(provider: Provider, rule: BudgetRule): Promise<Admission>;
  /** Pauses every call to the provider for `ms`; never shortens a longer pause already set. */
  pause(provider: Provider, ms: number): Promise<void>;
  /** For `providers` and metrics. */
  peek(provider: Provider, rule: BudgetRule): Promise<BudgetPeek>;
}

// ---------------------------------------------------------------------------------------------
// Single flight across replicas

export interface Lease {
  /** Ends the lease and wakes the waiters: 'filled' when the entry was stored, else 'failed'. */
  release(outcome: 'filled' | 'failed'): Promise<void>;
}

/** Elects one caller per key (a ticket ref) to ask the vendor while the others wait. */
export interface FlightCoordinator {
  /** Becomes the one caller for `key` for at most `ttlMs`; undefined when someone else leads. */
  lead(key: string, ttlMs: number): Promise<Lease | undefined>;
  /**
   * Waits for the leader of `key`: 'filled' when it stored the entry, 'expired' when it failed,
   * its lease lapsed (the leader died) or `timeoutMs` / `signal` ran out first.
   */
  awaitFill(key: string, timeoutMs: number, signal?: AbortSignal): Promise<'filled' | 'expired'>;
}

// ---------------------------------------------------------------------------------------------
// Change notices

/** Tells the other replicas' local tiers that a ticket changed (after `refreshTicket`). */
export interface ChangeFeed {
  publish(provider: Provider, nativeId: string): Promise<void>;
  /** Hears changes published by OTHER replicas (never its own); returns the unsubscribe. */
  subscribe(listener: (provider: Provider, nativeId: string) => void): () => void;
}

// ---------------------------------------------------------------------------------------------
// Health and failures

export type SharedStateMode =
  /** No shared store is configured: this replica keeps its own state. */
  | 'LOCAL'
  /** The shared store answers: state is shared by every replica. */
  | 'SHARED'
  /** The shared store is configured but failing: local cache and a conservative local budget. */
  | 'DEGRADED';

export interface SharedStateStatus {
  mode: SharedStateMode;
  /** Epoch ms when the current mode began (this replica's clock; for display only). */
  since: number;
  /** Plain-words reason of the last store failure while DEGRADED; never a URL or credential. */
  lastError: string | null;
}

/** What `providers` shows about shared state; `memory-*` stores report LOCAL. */
export interface SharedStateMonitor {
  status(): SharedStateStatus;
}

export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_TIMEOUT' | 'STORE_BAD_DATA';
export type StoreName = 'cache' | 'budget' | 'flight' | 'feed';

/**
 * A failure of a store itself. Deliberately NOT a DeskGraphError: it is never shown to a caller;
 * the service falls back (miss, local admission, lead locally) and counts it.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly store: StoreName;

  constructor(code: StoreErrorCode, store: StoreName, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.store = store;
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}
