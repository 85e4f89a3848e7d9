/**
 * Reading one ticket (its ref already checked: `CheckedRef`), for every caller of the gateway:
 * single flight → cache →
 * the flight lease (one caller per ticket across replicas) → the provider's connector through
 * its gate, under its time budget. What the GraphQL layer sees is a `TicketRead` (ticket +
 * fetchedAt + cacheStatus) or a `DeskGraphError`.
 *
 * - Concurrent reads of one ref share one flight, joined before anything is awaited (a slow
 *   store cannot let a second read slip past).
 * - A fresh cached copy is a HIT and asks no vendor; a remembered NOT_FOUND is NOT_FOUND.
 * - Otherwise one caller leads (`FlightCoordinator`); the others wait for its fill and read it.
 * - A vendor call goes through the provider's gate and is retried on transient failures, all
 *   inside one `timeoutMs` budget; the answer is stored under every ref it reveals.
 * - A vendor failure a stale copy can cover (unavailable, rate limited, bad answer) serves the
 *   copy as STALE; NOT_FOUND never does (the ticket is gone) and is remembered briefly.
 * - A store failure (`StoreError`) never fails a read and never hides the stale copy
 *   (store-fallbacks.ts).
 *
 * `refresh` reads the vendor now, replaces the copy and tells the other replicas (`ChangeFeed`).
 */
import { DeskGraphError, isDeskGraphError, ticketLabel, type ErrorCode } from '../domain/errors.js';
import type { TicketRead } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import { ticketRefs, type CheckedRef } from '../domain/refs.js';
import type { Connector } from '../connectors/connector.js';
import type { AttachmentDownloader } from '../connectors/downloads.js';
import type { ProviderGate } from '../governance/provider-gate.js';
import { withRetries, type RetryPolicy } from '../governance/retry.js';
import { deadline } from '../governance/timers.js';
import { MemoryFlightCoordinator } from '../stores/memory-flight-coordinator.js';
import type { ChangeFeed, FlightCoordinator, Lease, LocalTicketStore, StoreError, StoredTicket, TicketStore } from '../stores/types.js';
import { traceVendorCall } from '../telemetry/vendor-span.js';
import { LOOKUP_FAILED, StoreFallbacks } from './store-fallbacks.js';

export interface ProviderRuntime {
  connector: Connector;
  /** Every vendor request of this provider passes here. */
  gate: ProviderGate;
  retry: RetryPolicy;
  /** Whole-call budget for one read: waiting for a slot, every attempt and backoff. */
  timeoutMs: number;
  /** Freshness of this provider's tickets in the cache. */
  ttlSeconds: number;
  /** Opens attachments, where the vendor documents a download (`server/attachments-route.ts`). */
  downloader?: AttachmentDownloader | undefined;
}

/** What a read is counted as: its cache status, or SHARED when it was served by another read's vendor call. */
export type ReadResult = TicketRead['cacheStatus'] | 'SHARED';

export interface TicketServiceOptions {
  providers: ReadonlyMap<Provider, ProviderRuntime>;
  /** The cache; a `LocalTicketStore`'s synchronous `lookupNow` serves fresh hits without a flight. */
  cache: TicketStore & Pick<Partial<LocalTicketStore>, 'lookupNow'>;
  /** One caller per ticket across replicas. @default in-process (`MemoryFlightCoordinator`) */
  flights?: FlightCoordinator | undefined;
  /** Where `refresh` tells the other replicas a ticket changed. @default none (one replica) */
  changes?: ChangeFeed | undefined;
  /** How long past freshness a copy is kept to cover vendor failures. */
  staleSeconds: number;
  /** How long a NOT_FOUND is remembered. */
  notFoundSeconds: number;
  /** Told the result of every successful read (metrics). */
  onRead?: ((provider: Provider, result: ReadResult) => void) | undefined;
  /** Told of every store failure the service fell back from (metrics, logs). */
  onStoreError?: ((error: StoreError) => void) | undefined;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/** Failures a stale copy may stand in for. */
const STALE_COVERS: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'UPSTREAM_BAD_RESPONSE']);

interface Outcome {
  read: TicketRead;
  result: ReadResult;
}

interface Flight {
  promise: Promise<Outcome>;
  /** Set once the flight asks the vendor (a refresh may join it then, not before). */
  toVendor: boolean;
  /** A refresh: skips the cache and tells the other replicas of the new copy. */
  refresh: boolean;
}

export class TicketService {
  private readonly inFlight = new Map<string, Flight>();
  private readonly now: () => number;
  private readonly stores: StoreFallbacks;

  constructor(private readonly options: TicketServiceOptions) {
    this.now = options.now ?? (() => Date.now());
    this.stores = new StoreFallbacks(options.cache, options.flights ?? new MemoryFlightCoordinator(), options.onStoreError);
  }

  isConfigured(provider: Provider): boolean {
    return this.options.providers.has(provider);
  }

  /** The ticket from cache when fresh, else from the vendor (see above). */
  read(provider: Provider, ref: CheckedRef): Promise<TicketRead> {
    return this.join(provider, ref, false);
  }

  /**
   * Reads the vendor now (through the budget and single flight), replaces the cached copy under
   * every ref and tells the other replicas. A vendor failure a stale copy covers serves it as
   * STALE, as a read would: the caller sees from `cacheStatus` that nothing was refreshed.
   */
  refresh(provider: Provider, ref: CheckedRef): Promise<TicketRead> {
    return this.join(provider, ref, true);
  }

  /** Everything up to the flight is synchronous: a second read finds the first one's flight. */
  private async join(provider: Provider, ref: CheckedRef, refresh: boolean): Promise<TicketRead> {
    const runtime = this.runtime(provider, ref);
    if (!refresh) {
      // A fresh copy in this process answers at once: nothing to share a flight for.
      const local = this.options.cache.lookupNow?.(provider, ref);
      if (local?.kind === 'entry' && local.freshForMs > 0) {
        this.options.onRead?.(provider, 'HIT');
        return hit(local.entry, 'HIT').read;
      }
      if (local?.kind === 'missing') throw notFound(provider, ref);
    }
    const key = `${provider}:${ref}`;
    const joined = this.inFlight.get(key);
    if (joined && (!refresh || joined.toVendor)) {
      const { read } = await joined.promise;
      // Joining a read that was a cache hit is a hit too; joining a vendor call is SHARED.
      this.options.onRead?.(provider, read.cacheStatus === 'HIT' ? 'HIT' : 'SHARED');
      return read;
    }
    const flight: Flight = { promise: undefined as unknown as Promise<Outcome>, toVendor: refresh, refresh };
    flight.promise = traceVendorCall(provider, () => this.load(provider, ref, runtime, key, flight), (outcome) => outcome.read.cacheStatus).finally(() => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    });
    this.inFlight.set(key, flight);
    const { read, result } = await flight.promise;
    this.options.onRead?.(provider, result);
    return read;
  }

  private runtime(provider: Provider, ref: string): ProviderRuntime {
    const runtime = this.options.providers.get(provider);
    if (runtime) return runtime;
    throw new DeskGraphError(
      'PROVIDER_NOT_CONFIGURED',
      `${provider} is not configured on this gateway, so ${ticketLabel(provider, ref)} cannot be read.`,
      { provider, ref },
    );
  }

  private async load(provider: Provider, ref: CheckedRef, runtime: ProviderRuntime, key: string, flight: Flight): Promise<Outcome> {
    let stale: StoredTicket | undefined;
    const found = await this.stores.lookup(provider, ref);
    if (!flight.toVendor) {
      if (found.kind === 'entry' && found.freshForMs > 0) return hit(found.entry, 'HIT');
      if (found.kind === 'missing') throw notFound(provider, ref);
    }
    if (found.kind === 'entry') stale = found.entry;

    const lease = await this.stores.lead(key, runtime.timeoutMs);
    if (lease && !flight.refresh && found !== LOOKUP_FAILED) {
      // Another replica may have filled and let go between the lookup and the lead: read again
      // (one more lookup for a caller about to ask the vendor, against a second vendor call).
      const again = await this.stores.lookup(provider, ref);
      if (again.kind === 'entry' && again.freshForMs > 0) {
        void this.stores.quietly('flight', () => lease.release('filled'));
        return hit(again.entry, 'SHARED');
      }
    }
    if (lease === undefined) {
      // Another replica is asking the vendor: wait for its fill (at most one lease), then read it.
      const outcome = await this.stores.awaitFill(key, runtime.timeoutMs);
      const filled = await this.stores.lookup(provider, ref);
      if (filled.kind === 'entry' && (filled.freshForMs > 0 || outcome === 'filled')) {
        if (flight.refresh) await this.publish(provider, filled.entry.ticket.nativeId);
        return hit(filled.entry, 'SHARED');
      }
      if (filled.kind === 'missing') throw notFound(provider, ref);
      if (filled.kind === 'entry') stale = filled.entry;
      // The leader failed or died: this replica asks the vendor itself, with a budget of its own.
    }
    flight.toVendor = true;
    return this.fetch(provider, ref, runtime, stale, lease, flight);
  }

  private async fetch(
    provider: Provider,
    ref: CheckedRef,
    runtime: ProviderRuntime,
    stale: StoredTicket | undefined,
    lease: Lease | null | undefined,
    flight: Flight,
  ): Promise<Outcome> {
    const { cache, staleSeconds, notFoundSeconds } = this.options;
    const budget = deadline(runtime.timeoutMs, this.now());
    let filled = false;
    try {
      const ticket = await withRetries(
        () => runtime.gate.run(budget.signal, (signal) => runtime.connector.fetchTicket(ref, signal), { deadlineAt: budget.at }),
        { policy: runtime.retry, signal: budget.signal, deadlineAt: budget.at, minAttemptMs: runtime.gate.minCallMs, now: this.now },
      );
      const entry: StoredTicket = { ticket, fetchedAt: new Date(this.now()).toISOString() };
      const refs = [...new Set([ref, ...ticketRefs(ticket)])];
      const ttl = { freshMs: runtime.ttlSeconds * 1000, staleMs: staleSeconds * 1000 };
      filled = await this.stores.quietly('cache', () => cache.put(entry, refs, ttl));
      if (flight.refresh) await this.publish(provider, ticket.nativeId);
      return { read: { ...entry, cacheStatus: 'MISS' }, result: 'MISS' };
    } catch (error) {
      const failure = asDeskGraphError(error, provider, ref);
      if (failure.code === 'NOT_FOUND') {
        // The ticket is gone: its copy must not be served again, not even as STALE.
        await this.stores.quietly('cache', () => cache.forget(provider, ref));
        if (notFoundSeconds > 0) {
          filled = await this.stores.quietly('cache', () => cache.rememberMissing(provider, ref, notFoundSeconds * 1000));
        }
      }
      if (stale && STALE_COVERS.has(failure.code)) return hit(stale, 'STALE');
      throw failure;
    } finally {
      budget.clear();
      if (lease) void this.stores.quietly('flight', () => lease.release(filled ? 'filled' : 'failed'));
    }
  }

  private async publish(provider: Provider, nativeId: string): Promise<void> {
    const { changes } = this.options;
    if (changes) await this.stores.quietly('feed', () => changes.publish(provider, nativeId));
  }

}

function hit(entry: StoredTicket, result: 'HIT' | 'SHARED' | 'STALE'): Outcome {
  const cacheStatus = result === 'STALE' ? 'STALE' : 'HIT';
  return { read: { ticket: entry.ticket, fetchedAt: entry.fetchedAt, cacheStatus }, result };
}

function notFound(provider: Provider, ref: string): DeskGraphError {
  return new DeskGraphError('NOT_FOUND', `${ticketLabel(provider, ref)} does not exist or is not visible to DeskGraph.`, {
    provider,
    ref,
  });
}

/**
 * Names the ticket in failures raised below the connector (the transport does not know refs).
 * Anything that is not a DeskGraphError is a bug, not a vendor failure: it propagates as is and
 * the server masks it.
 */
function asDeskGraphError(error: unknown, provider: Provider, ref: string): DeskGraphError {
  if (!isDeskGraphError(error)) throw error;
  if (error.ref !== undefined) return error;
  return new DeskGraphError(error.code, `${ticketLabel(provider, ref)} could not be read: ${error.message}`, {
    provider,
    ref,
    retryAfterSeconds: error.retryAfterSeconds,
    upstreamStatus: error.upstreamStatus,
    cause: error.cause,
  });
}
