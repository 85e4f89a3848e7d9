/**
 * TicketService on the stores seam: single flight that begins before the first await, every
 * revealed ref registered, the flight lease across "replicas" (two services over one store and
 * coordinator), the StoreError policy, and `refresh`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connector } from '../../src/connectors/connector.js';
import { DeskGraphError } from '../../src/domain/errors.js';
import type { Ticket } from '../../src/domain/model.js';
import type { Provider } from '../../src/domain/provider.js';
import { MemoryChangeFeed } from '../../src/stores/memory-change-feed.js';
import { MemoryFlightCoordinator } from '../../src/stores/memory-flight-coordinator.js';
import { MemoryTicketStore } from '../../src/stores/memory-ticket-store.js';
import { StoreError, type CacheLookup, type FlightCoordinator, type StoredTicket, type TicketStore } from '../../src/stores/types.js';
import { TicketService, type ReadResult } from '../../src/upstream/ticket-service.js';
import { testGate } from '../helpers/gate.js';
import { key, testTicket } from '../helpers/tickets.js';

const NO_RETRY = { retries: 0, baseDelayMs: 0, maxDelayMs: 0 };

class FakeConnector implements Connector {
  calls: string[] = [];
  next: (ref: string) => Promise<Ticket>;
  constructor(
    readonly provider: Provider,
    ticket: () => Ticket,
  ) {
    this.next = async () => ticket();
  }
  fetchTicket(ref: string): Promise<Ticket> {
    this.calls.push(ref);
    return this.next(ref);
  }
}

const headoniTicket = () =>
  testTicket({ provider: 'HEADONI', ref: '1490375649312800768', nativeId: '1490375649312800768', number: '1247', subject: 'Login broken' });

/** A store that answers after `delayMs`, with what the inner store held when it was asked (as a remote store does). */
class SlowStore implements TicketStore {
  constructor(
    private readonly inner: TicketStore,
    private readonly delayMs: number,
  ) {}
  lookup(provider: Provider, ref: string): Promise<CacheLookup> {
    const answer = this.inner.lookup(provider, ref);
    return new Promise((resolve) => setTimeout(() => resolve(answer), this.delayMs));
  }
  put(...args: Parameters<TicketStore['put']>): Promise<void> {
    return new Promise((resolve) => setTimeout(() => resolve(this.inner.put(...args)), this.delayMs));
  }
  forget(provider: Provider, ref: string) {
    return this.inner.forget(provider, ref);
  }
  rememberMissing(provider: Provider, ref: string, ttlMs: number) {
    return this.inner.rememberMissing(provider, ref, ttlMs);
  }
  stats(provider?: Provider) {
    return this.inner.stats(provider);
  }
}

/** A store whose chosen operations fail as a shared store does when it is down. */
class FailingStore implements TicketStore {
  failing = new Set<keyof TicketStore>();
  raw = false;
  constructor(readonly inner: MemoryTicketStore) {}
  private check(operation: keyof TicketStore): void {
    if (!this.failing.has(operation)) return;
    if (this.raw) throw new Error('ECONNREFUSED 127.0.0.1:6379');
    throw new StoreError('STORE_UNAVAILABLE', 'cache', 'Redis is not answering');
  }
  async lookup(provider: Provider, ref: string) {
    this.check('lookup');
    return this.inner.lookup(provider, ref);
  }
  async put(entry: StoredTicket, refs: readonly string[], ttl: { freshMs: number; staleMs: number }) {
    this.check('put');
    return this.inner.put(entry, refs, ttl);
  }
  async forget(provider: Provider, ref: string) {
    this.check('forget');
    return this.inner.forget(provider, ref);
  }
  async rememberMissing(provider: Provider, ref: string, ttlMs: number) {
    this.check('rememberMissing');
    return this.inner.rememberMissing(provider, ref, ttlMs);
  }
  stats(provider?: Provider) {
    return this.inner.stats(provider);
  }
}

function serviceOver(
  connectors: FakeConnector[],
  cache: TicketStore,
  extra: Partial<ConstructorParameters<typeof TicketService>[0]> = {},
): TicketService {
  return new TicketService({
    providers: new Map(
      connectors.map((connector) => [
        connector.provider,
        { connector, gate: testGate(connector.provider), retry: NO_RETRY, timeoutMs: 1000, ttlSeconds: 60 },
      ]),
    ),
    cache,
    staleSeconds: 3600,
    notFoundSeconds: 5,
    ...extra,
  });
}

const unavailable = () => new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP failed (HTTP 503).', { provider: 'HOSTUP' });

describe('TicketService on the stores seam', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-06-04T15:00:00.000Z') }));
  afterEach(() => vi.useRealTimers());

  it('joins the first read before awaiting the cache: a 20 ms store, two reads 30 ms apart, one vendor call', async () => {
    const hostup = new FakeConnector('HOSTUP', () => testTicket());
    const service = serviceOver([hostup], new SlowStore(new MemoryTicketStore({ maxBytes: 1 << 20 }), 20));
    const first = service.read(...key('HOSTUP', 'tkt_abc'));
    await vi.advanceTimersByTimeAsync(30);
    const second = service.read(...key('HOSTUP', 'tkt_abc'));
    await vi.advanceTimersByTimeAsync(100);
    expect((await first).cacheStatus).toBe('MISS');
    expect((await second).cacheStatus).toBe('MISS');
    expect(hostup.calls).toEqual(['tkt_abc']);
  });

  it('registers every ref an answer reveals: HostUp by tkt_ id then by number, Headoni by id then by number, one call each', async () => {
    const hostup = new FakeConnector('HOSTUP', () => testTicket());
    const headoni = new FakeConnector('HEADONI', headoniTicket);
    const service = serviceOver([hostup, headoni], new MemoryTicketStore({ maxBytes: 1 << 20 }));
    expect((await service.read(...key('HOSTUP', 'tkt_abc'))).cacheStatus).toBe('MISS');
    expect((await service.read(...key('HOSTUP', '930734'))).cacheStatus).toBe('HIT');
    expect((await service.read(...key('HEADONI', '1490375649312800768'))).cacheStatus).toBe('MISS');
    expect((await service.read(...key('HEADONI', '1247'))).cacheStatus).toBe('HIT');
    expect([hostup.calls, headoni.calls]).toEqual([['tkt_abc'], ['1490375649312800768']]);
  });

  it('does not register a display number its API does not accept (Intercom), nor a Tickiti id', async () => {
    const intercom = new FakeConnector('INTERCOM', () => testTicket({ provider: 'INTERCOM', ref: '215', nativeId: '215', number: '7' }));
    const tickiti = new FakeConnector('TICKITI', () => testTicket({ provider: 'TICKITI', ref: '1001', nativeId: '88', number: '1001' }));
    const service = serviceOver([intercom, tickiti], new MemoryTicketStore({ maxBytes: 1 << 20 }));
    await service.read(...key('INTERCOM', '215'));
    await service.read(...key('INTERCOM', '7'));
    await service.read(...key('TICKITI', '1001'));
    await service.read(...key('TICKITI', '88'));
    expect([intercom.calls, tickiti.calls]).toEqual([
      ['215', '7'],
      ['1001', '88'],
    ]);
  });

  describe('when the store fails', () => {
    let hostup: FakeConnector;
    let store: FailingStore;
    let errors: string[];
    let service: TicketService;

    beforeEach(() => {
      hostup = new FakeConnector('HOSTUP', () => testTicket());
      store = new FailingStore(new MemoryTicketStore({ maxBytes: 1 << 20 }));
      errors = [];
      service = serviceOver([hostup], store, { onStoreError: (error) => errors.push(`${error.store}:${error.code}`) });
    });

    it('reads through a failing lookup and a failing write, and reports both', async () => {
      store.failing = new Set(['lookup', 'put']);
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'MISS', ticket: { subject: 'Question about my domain' } });
      expect(errors).toEqual(['cache:STORE_UNAVAILABLE', 'cache:STORE_UNAVAILABLE']);
      expect(hostup.calls).toEqual(['tkt_abc']);
    });

    it('treats a raw client error from a store as a store failure, never as the read failing', async () => {
      store.failing = new Set(['lookup']);
      store.raw = true;
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'MISS' });
      expect(errors).toEqual(['cache:STORE_UNAVAILABLE']);
    });

    it('still serves the stale copy when the vendor fails and the store fails to write', async () => {
      await service.read(...key('HOSTUP', 'tkt_abc'));
      vi.advanceTimersByTime(61_000);
      store.failing = new Set(['put', 'forget', 'rememberMissing']);
      hostup.next = async () => {
        throw unavailable();
      };
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'STALE', fetchedAt: '2026-06-04T15:00:00.000Z' });
    });

    it('answers NOT_FOUND even when the NOT_FOUND cannot be remembered', async () => {
      store.failing = new Set(['forget', 'rememberMissing']);
      hostup.next = async (ref) => {
        throw new DeskGraphError('NOT_FOUND', `HOSTUP ticket "${ref}" does not exist.`, { provider: 'HOSTUP', ref });
      };
      await expect(service.read(...key('HOSTUP', 'tkt_gone'))).rejects.toMatchObject({ code: 'NOT_FOUND', ref: 'tkt_gone' });
      expect(errors).toEqual(['cache:STORE_UNAVAILABLE', 'cache:STORE_UNAVAILABLE']);
    });

    it('leads locally when the flight coordinator fails', async () => {
      const flights: FlightCoordinator = {
        lead: () => Promise.reject(new StoreError('STORE_TIMEOUT', 'flight', 'Redis did not answer in time')),
        awaitFill: () => Promise.reject(new StoreError('STORE_TIMEOUT', 'flight', 'Redis did not answer in time')),
      };
      service = serviceOver([hostup], store, { flights, onStoreError: (error) => errors.push(`${error.store}:${error.code}`) });
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'MISS' });
      expect(errors).toEqual(['flight:STORE_TIMEOUT']);
    });
  });

  describe('across replicas (two services over one store and one coordinator)', () => {
    it('makes one vendor call for concurrent reads on both; the follower is served the leader’s fill', async () => {
      const cache = new MemoryTicketStore({ maxBytes: 1 << 20 });
      const flights = new MemoryFlightCoordinator();
      const a = new FakeConnector('HOSTUP', () => testTicket());
      const b = new FakeConnector('HOSTUP', () => testTicket());
      let release!: (ticket: Ticket) => void;
      a.next = () => new Promise((resolve) => (release = resolve));
      const results: ReadResult[] = [];
      const replicaA = serviceOver([a], cache, { flights });
      const replicaB = serviceOver([b], cache, { flights, onRead: (_provider, result) => results.push(result) });
      const onA = replicaA.read(...key('HOSTUP', 'tkt_abc'));
      await vi.advanceTimersByTimeAsync(0);
      const onB = replicaB.read(...key('HOSTUP', 'tkt_abc'));
      await vi.advanceTimersByTimeAsync(0);
      release(testTicket());
      expect((await onA).cacheStatus).toBe('MISS');
      expect((await onB).cacheStatus).toBe('HIT');
      expect(results).toEqual(['SHARED']);
      expect([a.calls, b.calls]).toEqual([['tkt_abc'], []]);
    });

    it('replaces a leader that never fills once its lease lapses', async () => {
      const cache = new MemoryTicketStore({ maxBytes: 1 << 20 });
      const flights = new MemoryFlightCoordinator();
      const a = new FakeConnector('HOSTUP', () => testTicket());
      const b = new FakeConnector('HOSTUP', () => testTicket());
      // Replica A dies holding the lease: its call never returns and its lease is never released.
      a.next = () => new Promise(() => {});
      const lease = flights.lead('HOSTUP:tkt_abc', 1000);
      expect(await lease).toBeDefined();
      const replicaB = serviceOver([b], cache, { flights });
      const onB = replicaB.read(...key('HOSTUP', 'tkt_abc'));
      await vi.advanceTimersByTimeAsync(999);
      expect(b.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await expect(onB).resolves.toMatchObject({ cacheStatus: 'MISS' });
      expect(b.calls).toEqual(['tkt_abc']);
    });
  });

  describe('refresh', () => {
    it('reads the vendor now, replaces the copy under every ref, and tells the other replicas', async () => {
      let subject = 'Question about my domain';
      const hostup = new FakeConnector('HOSTUP', () => testTicket({ subject }));
      const hub = new Set<MemoryChangeFeed>();
      const changes = new MemoryChangeFeed(hub);
      const heard: string[] = [];
      new MemoryChangeFeed(hub).subscribe((provider, nativeId) => heard.push(`${provider}:${nativeId}`));
      const service = serviceOver([hostup], new MemoryTicketStore({ maxBytes: 1 << 20 }), { changes });
      await service.read(...key('HOSTUP', 'tkt_abc'));
      subject = 'Domain transferred';
      vi.advanceTimersByTime(1000);
      const refreshed = await service.refresh(...key('HOSTUP', '930734'));
      expect([refreshed.cacheStatus, refreshed.ticket.subject, refreshed.fetchedAt]).toEqual(['MISS', 'Domain transferred', '2026-06-04T15:00:01.000Z']);
      const after = await service.read(...key('HOSTUP', 'tkt_abc'));
      expect([after.cacheStatus, after.ticket.subject]).toEqual(['HIT', 'Domain transferred']);
      expect(hostup.calls).toEqual(['tkt_abc', '930734']);
      expect(heard).toEqual(['HOSTUP:tkt_abc']);
    });

    it('joins a vendor read already under way instead of making a second call', async () => {
      const hostup = new FakeConnector('HOSTUP', () => testTicket());
      let release!: (ticket: Ticket) => void;
      hostup.next = () => new Promise((resolve) => (release = resolve));
      const service = serviceOver([hostup], new MemoryTicketStore({ maxBytes: 1 << 20 }));
      const read = service.read(...key('HOSTUP', 'tkt_abc'));
      await vi.advanceTimersByTimeAsync(0);
      const refresh = service.refresh(...key('HOSTUP', 'tkt_abc'));
      release(testTicket());
      await Promise.all([read, refresh]);
      expect(hostup.calls).toEqual(['tkt_abc']);
    });

    it('asks the vendor despite a remembered NOT_FOUND, and serves the copy as STALE when the vendor fails', async () => {
      const hostup = new FakeConnector('HOSTUP', () => testTicket());
      const service = serviceOver([hostup], new MemoryTicketStore({ maxBytes: 1 << 20 }));
      hostup.next = async (ref) => {
        throw new DeskGraphError('NOT_FOUND', 'gone', { provider: 'HOSTUP', ref });
      };
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      hostup.next = async () => testTicket();
      await expect(service.refresh(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'MISS' });
      hostup.next = async () => {
        throw unavailable();
      };
      await expect(service.refresh(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'STALE' });
      expect(hostup.calls).toEqual(['tkt_abc', 'tkt_abc', 'tkt_abc']);
    });

    it('is PROVIDER_NOT_CONFIGURED for a provider without configuration, before any vendor call', async () => {
      const hostup = new FakeConnector('HOSTUP', () => testTicket());
      const service = serviceOver([hostup], new MemoryTicketStore({ maxBytes: 1 << 20 }));
      await expect(service.refresh(...key('HEADONI', '1247'))).rejects.toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED' });
      expect(hostup.calls).toEqual([]);
    });
  });
});
