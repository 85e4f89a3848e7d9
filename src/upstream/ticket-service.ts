/**
 * Reading one ticket, for every caller of the gateway: ref check → shared cache → single
 * flight → the provider's connector under its time budget. What the GraphQL layer sees is a
 * `TicketRead` (ticket + fetchedAt + cacheStatus) or a `DeskGraphError`.
 *
 * - A fresh cached copy is a HIT and asks no vendor.
 * - Concurrent reads of one ref share one vendor call (single flight).
 * - A vendor call goes through the provider's gate (cooldown, breaker, concurrency cap, token
 *   bucket) and is retried on transient failures, all inside one `timeoutMs` budget.
 * - A vendor failure that a stale copy can cover (unavailable, rate limited, bad answer) serves
 *   that copy as STALE; NOT_FOUND never does (the ticket is gone) and is remembered briefly.
 */
import { DeskGraphError, isDeskGraphError, ticketLabel, type ErrorCode } from '../domain/errors.js';
import type { TicketRead } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import { checkRef } from '../domain/refs.js';
import type { Connector } from '../connectors/connector.js';
import { traceVendorCall } from '../telemetry/vendor-span.js';
import type { ProviderGate } from './provider-gate.js';
import { withRetries, type RetryPolicy } from './retry.js';
import type { CachedTicket, TicketCache } from './ticket-cache.js';
import { deadline } from './timers.js';

export interface ProviderRuntime {
  connector: Connector;
  /** Every vendor request of this provider passes here. */
  gate: ProviderGate;
  retry: RetryPolicy;
  /** Whole-call budget for one read: waiting for a slot, every attempt and backoff. */
  timeoutMs: number;
  /** Freshness of this provider's tickets in the cache. */
  ttlSeconds: number;
}

export type ReadResult = TicketRead['cacheStatus'] | 'SHARED';

export interface TicketServiceOptions {
  providers: ReadonlyMap<Provider, ProviderRuntime>;
  cache: TicketCache;
  /** How long past freshness a copy is kept to cover vendor failures. */
  staleSeconds: number;
  /** How long a NOT_FOUND is remembered. */
  notFoundSeconds: number;
  /**
   * Told the result of every successful read (metrics): its cache status, or SHARED when it
   * joined a vendor call another read had started.
   */
  onRead?: ((provider: Provider, result: ReadResult) => void) | undefined;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/** Failures a stale copy may stand in for. */
const STALE_COVERS: ReadonlySet<ErrorCode> = new Set(['UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'UPSTREAM_BAD_RESPONSE']);

export class TicketService {
  private readonly inFlight = new Map<string, Promise<TicketRead>>();
  private readonly now: () => number;

  constructor(private readonly options: TicketServiceOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  isConfigured(provider: Provider): boolean {
    return this.options.providers.has(provider);
  }

  async read(provider: Provider, ref: string): Promise<TicketRead> {
    checkRef(provider, ref);
    const runtime = this.options.providers.get(provider);
    if (!runtime) {
      throw new DeskGraphError(
        'PROVIDER_NOT_CONFIGURED',
        `${provider} is not configured on this gateway, so ${ticketLabel(provider, ref)} cannot be read.`,
        { provider, ref },
      );
    }

    const cached = await this.options.cache.get(provider, ref);
    if (cached && cached.freshUntil > this.now()) {
      this.options.onRead?.(provider, 'HIT');
      return { ticket: cached.ticket, fetchedAt: cached.fetchedAt, cacheStatus: 'HIT' };
    }
    if (!cached && (await this.options.cache.isKnownMissing(provider, ref))) {
      throw notFound(provider, ref);
    }

    const key = `${provider}:${ref}`;
    const joined = this.inFlight.get(key);
    if (joined) {
      const read = await joined;
      this.options.onRead?.(provider, 'SHARED');
      return read;
    }
    const flight = traceVendorCall(provider, () => this.fetch(provider, ref, runtime, cached), (read) => read.cacheStatus).finally(() =>
      this.inFlight.delete(key),
    );
    this.inFlight.set(key, flight);
    const read = await flight;
    this.options.onRead?.(provider, read.cacheStatus);
    return read;
  }

  private async fetch(
    provider: Provider,
    ref: string,
    runtime: ProviderRuntime,
    cached: CachedTicket | undefined,
  ): Promise<TicketRead> {
    const { cache, staleSeconds, notFoundSeconds } = this.options;
    const budget = deadline(runtime.timeoutMs, this.now());
    try {
      const ticket = await withRetries(
        () => runtime.gate.run(budget.signal, () => runtime.connector.fetchTicket(ref, budget.signal)),
        { policy: runtime.retry, signal: budget.signal, deadlineAt: budget.at, now: this.now },
      );
      const fetchedAt = new Date(this.now()).toISOString();
      const freshUntil = this.now() + runtime.ttlSeconds * 1000;
      await cache.set({ ticket, fetchedAt, freshUntil }, [ref], freshUntil + staleSeconds * 1000);
      return { ticket, fetchedAt, cacheStatus: 'MISS' };
    } catch (error) {
      const failure = asDeskGraphError(error, provider, ref);
      if (failure.code === 'NOT_FOUND') {
        // The ticket is gone: its copy must not be served again, not even as STALE.
        await cache.forget(provider, ref);
        if (notFoundSeconds > 0) await cache.rememberMissing(provider, ref, this.now() + notFoundSeconds * 1000);
      }
      if (cached && STALE_COVERS.has(failure.code)) {
        return { ticket: cached.ticket, fetchedAt: cached.fetchedAt, cacheStatus: 'STALE' };
      }
      throw failure;
    } finally {
      budget.clear();
    }
  }
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
