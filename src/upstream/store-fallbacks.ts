/**
 * The stores as a ticket read uses them: a store failure (`StoreError`) never fails a read and
 * never hides a stale copy. A lookup that fails is a miss (`LOOKUP_FAILED`, told apart from a
 * real miss by identity), a lease that cannot be taken is led locally, a wait that fails counts
 * as expired, a write that fails is skipped; each failure is reported (`onStoreError`).
 */
import {
  isStoreError,
  StoreError,
  type CacheLookup,
  type FlightCoordinator,
  type Lease,
  type StoreName,
  type TicketStore,
} from '../stores/types.js';
import type { Provider } from '../domain/provider.js';

/** What a lookup that failed answers (a miss), told apart by identity from a real miss. */
export const LOOKUP_FAILED: CacheLookup = { kind: 'none' };

export class StoreFallbacks {
  constructor(
    private readonly cache: Pick<TicketStore, 'lookup'>,
    private readonly flights: FlightCoordinator,
    private readonly onStoreError?: ((error: StoreError) => void) | undefined,
  ) {}

  async lookup(provider: Provider, ref: string): Promise<CacheLookup> {
    try {
      return await this.cache.lookup(provider, ref);
    } catch (error) {
      this.failed('cache', error);
      return LOOKUP_FAILED;
    }
  }

  /** The lease, undefined when another caller leads, or null when the coordinator failed (lead locally). */
  async lead(key: string, ttlMs: number): Promise<Lease | null | undefined> {
    try {
      return await this.flights.lead(key, ttlMs);
    } catch (error) {
      this.failed('flight', error);
      return null;
    }
  }

  async awaitFill(key: string, timeoutMs: number): Promise<'filled' | 'expired'> {
    try {
      return await this.flights.awaitFill(key, timeoutMs);
    } catch (error) {
      this.failed('flight', error);
      return 'expired';
    }
  }

  /** Runs a store write; true when it succeeded. A store failure is reported, never thrown. */
  async quietly(store: StoreName, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      this.failed(store, error);
      return false;
    }
  }

  private failed(store: StoreName, error: unknown): void {
    // A store that breaks its contract (a raw client error) is still only a store failure here.
    const failure = isStoreError(error) ? error : new StoreError('STORE_UNAVAILABLE', store, `the ${store} store failed`, { cause: error });
    this.onStoreError?.(failure);
  }
}
