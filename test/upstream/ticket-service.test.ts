import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connector } from '../../src/connectors/connector.js';
import { DeskGraphError } from '../../src/domain/errors.js';
import type { Ticket } from '../../src/domain/model.js';
import { MemoryTicketStore } from '../../src/stores/memory-ticket-store.js';
import type { ProviderGate } from '../../src/governance/provider-gate.js';
import { TicketService } from '../../src/upstream/ticket-service.js';
import { testGate } from '../helpers/gate.js';
import { key, testTicket } from '../helpers/tickets.js';

const ONE_RETRY = { retries: 1, baseDelayMs: 0, maxDelayMs: 0 };

const ticket = testTicket;

class FakeConnector implements Connector {
  readonly provider = 'HOSTUP' as const;
  calls: string[] = [];
  next: (ref: string) => Promise<Ticket> = async () => ticket();
  signals: AbortSignal[] = [];
  fetchTicket(ref: string, signal: AbortSignal): Promise<Ticket> {
    this.calls.push(ref);
    this.signals.push(signal);
    return this.next(ref);
  }
}

describe('TicketService', () => {
  let connector: FakeConnector;
  let service: TicketService;
  let gate: ProviderGate;

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-06-04T15:00:00.000Z') });
    connector = new FakeConnector();
    gate = testGate('HOSTUP');
    service = new TicketService({
      providers: new Map([['HOSTUP', { connector, gate, retry: ONE_RETRY, timeoutMs: 1000, ttlSeconds: 60 }]]),
      cache: new MemoryTicketStore({ maxBytes: 1024 * 1024 }),
      staleSeconds: 3600,
      notFoundSeconds: 5,
    });
  });
  afterEach(() => vi.useRealTimers());

  it('is PROVIDER_NOT_CONFIGURED for a provider without configuration', async () => {
    await expect(service.read(...key('HEADONI', '1247'))).rejects.toMatchObject({
      code: 'PROVIDER_NOT_CONFIGURED',
      message: 'HEADONI is not configured on this gateway, so HEADONI ticket "1247" cannot be read.',
    });
  });

  it('serves MISS, then HIT from cache until the TTL passes, then MISS again', async () => {
    const first = await service.read(...key('HOSTUP', 'tkt_abc'));
    expect([first.cacheStatus, first.fetchedAt]).toEqual(['MISS', '2026-06-04T15:00:00.000Z']);
    vi.advanceTimersByTime(59_000);
    const second = await service.read(...key('HOSTUP', 'tkt_abc'));
    expect([second.cacheStatus, second.fetchedAt]).toEqual(['HIT', '2026-06-04T15:00:00.000Z']);
    vi.advanceTimersByTime(2_000);
    const third = await service.read(...key('HOSTUP', 'tkt_abc'));
    expect([third.cacheStatus, third.fetchedAt]).toEqual(['MISS', '2026-06-04T15:01:01.000Z']);
    expect(connector.calls).toEqual(['tkt_abc', 'tkt_abc']);
  });

  it('makes a ticket read by number and by id one cache entry', async () => {
    await service.read(...key('HOSTUP', '930734'));
    const byId = await service.read(...key('HOSTUP', 'tkt_abc'));
    expect(byId.cacheStatus).toBe('HIT');
    expect(connector.calls).toEqual(['930734']);
  });

  it('shares one vendor call among concurrent reads of a ref', async () => {
    let release!: (value: Ticket) => void;
    connector.next = () => new Promise((resolve) => (release = resolve));
    const reads = Array.from({ length: 50 }, () => service.read(...key('HOSTUP', 'tkt_abc')));
    await vi.advanceTimersByTimeAsync(0);
    release(ticket());
    const results = await Promise.all(reads);
    expect(connector.calls).toEqual(['tkt_abc']);
    expect(new Set(results.map((read) => read.ticket.subject))).toEqual(new Set(['Question about my domain']));
  });

  it('serves a stale copy marked STALE when the vendor is unavailable', async () => {
    await service.read(...key('HOSTUP', 'tkt_abc'));
    vi.advanceTimersByTime(120_000);
    connector.next = async () => {
      throw new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP failed (HTTP 503).', { provider: 'HOSTUP' });
    };
    const read = await service.read(...key('HOSTUP', 'tkt_abc'));
    expect([read.cacheStatus, read.fetchedAt]).toEqual(['STALE', '2026-06-04T15:00:00.000Z']);
  });

  it('does not serve stale for NOT_FOUND, and remembers the miss briefly', async () => {
    connector.next = async (ref) => {
      throw new DeskGraphError('NOT_FOUND', `HOSTUP ticket "${ref}" does not exist.`, { provider: 'HOSTUP', ref });
    };
    await expect(service.read(...key('HOSTUP', 'tkt_gone'))).rejects.toMatchObject({ code: 'NOT_FOUND', ref: 'tkt_gone' });
    await expect(service.read(...key('HOSTUP', 'tkt_gone'))).rejects.toMatchObject({ code: 'NOT_FOUND', ref: 'tkt_gone' });
    expect(connector.calls).toEqual(['tkt_gone']);
    vi.advanceTimersByTime(5_001);
    await expect(service.read(...key('HOSTUP', 'tkt_gone'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(connector.calls).toEqual(['tkt_gone', 'tkt_gone']);
  });

  it('names the ticket in failures the transport raised without a ref', async () => {
    connector.next = async () => {
      throw new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP did not answer in time.', { provider: 'HOSTUP' });
    };
    await expect(service.read(...key('HOSTUP', 'tkt_abc'))).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      ref: 'tkt_abc',
      message: 'HOSTUP ticket "tkt_abc" could not be read: HOSTUP did not answer in time.',
    });
  });

  it('lets a bug in a connector through unchanged (the server masks it)', async () => {
    connector.next = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    await expect(service.read(...key('HOSTUP', 'tkt_abc'))).rejects.toBeInstanceOf(TypeError);
  });

  describe('under the provider gate', () => {
    it('fails UPSTREAM_UNAVAILABLE once the whole timeoutMs budget has passed', async () => {
      connector.next = () =>
        new Promise((_resolve, reject) =>
          connector.signals.at(-1)!.addEventListener('abort', () =>
            reject(new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP did not answer in time.', { provider: 'HOSTUP' })),
          ),
        );
      const read = service.read(...key('HOSTUP', 'tkt_abc')).catch((error: DeskGraphError) => error);
      await vi.advanceTimersByTimeAsync(999);
      expect(connector.signals[0]!.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await read).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'HOSTUP ticket "tkt_abc" could not be read: HOSTUP did not answer in time.',
      });
      // A spent deadline is not retried.
      expect(connector.calls).toEqual(['tkt_abc']);
    });

    it('retries a dropped connection once and serves the answer', async () => {
      let failures = 1;
      connector.next = async () => {
        if (failures-- > 0) throw new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP could not be reached.', { retryable: true });
        return ticket();
      };
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'MISS' });
      expect(connector.calls).toEqual(['tkt_abc', 'tkt_abc']);
    });

    it('serves a stale copy during a cooldown without calling the vendor', async () => {
      await service.read(...key('HOSTUP', 'tkt_abc'));
      vi.advanceTimersByTime(61_000);
      gate.observe(429, { 'retry-after': '30' });
      const read = await service.read(...key('HOSTUP', 'tkt_abc'));
      expect([read.cacheStatus, read.fetchedAt]).toEqual(['STALE', '2026-06-04T15:00:00.000Z']);
      expect(connector.calls).toEqual(['tkt_abc']);
    });

    it('is RATE_LIMITED with retryAfterSeconds during a cooldown when nothing is cached', async () => {
      gate.observe(429, { 'retry-after': '30' });
      vi.advanceTimersByTime(10_000);
      await expect(service.read(...key('HOSTUP', 'tkt_new'))).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        provider: 'HOSTUP',
        ref: 'tkt_new',
        retryAfterSeconds: 20,
        message: 'HOSTUP ticket "tkt_new" could not be read: HOSTUP asked DeskGraph to pause; it is called again in 20s.',
      });
      expect(connector.calls).toEqual([]);
    });

    it('serves a stale copy while the circuit is open', async () => {
      await service.read(...key('HOSTUP', 'tkt_abc'));
      vi.advanceTimersByTime(61_000);
      connector.next = async () => {
        throw new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP failed (HTTP 500).', { upstreamStatus: 500 });
      };
      for (let i = 0; i < 5; i += 1) await expect(service.read(...key('HOSTUP', `tkt_x${i}`))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      expect((await gate.state()).circuit).toBe('OPEN');
      const calls = connector.calls.length;
      await expect(service.read(...key('HOSTUP', 'tkt_abc'))).resolves.toMatchObject({ cacheStatus: 'STALE' });
      expect(connector.calls).toHaveLength(calls);
    });
  });

  it('drops the copy of a ticket the vendor says is gone, and never serves it as STALE', async () => {
    await service.read(...key('HOSTUP', 'tkt_abc'));
    vi.advanceTimersByTime(61_000);
    connector.next = async (ref) => {
      throw new DeskGraphError('NOT_FOUND', `HOSTUP ticket "${ref}" does not exist.`, { provider: 'HOSTUP', ref });
    };
    await expect(service.read(...key('HOSTUP', 'tkt_abc'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Remembered: no vendor call for notFoundSeconds.
    await expect(service.read(...key('HOSTUP', 'tkt_abc'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(connector.calls).toEqual(['tkt_abc', 'tkt_abc']);
    // Later the vendor is down: the deleted ticket does not come back as STALE.
    vi.advanceTimersByTime(5_001);
    connector.next = async () => {
      throw new DeskGraphError('UPSTREAM_UNAVAILABLE', 'HOSTUP failed (HTTP 500).', { upstreamStatus: 500 });
    };
    await expect(service.read(...key('HOSTUP', 'tkt_abc'))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('reports each read: MISS for the one that called the vendor, SHARED for those that joined it, then HIT', async () => {
    const results: string[] = [];
    service = new TicketService({
      providers: new Map([['HOSTUP', { connector, gate, retry: ONE_RETRY, timeoutMs: 1000, ttlSeconds: 60 }]]),
      cache: new MemoryTicketStore({ maxBytes: 1024 * 1024 }),
      staleSeconds: 3600,
      notFoundSeconds: 5,
      onRead: (_provider, result) => results.push(result),
    });
    await Promise.all([service.read(...key('HOSTUP', 'tkt_abc')), service.read(...key('HOSTUP', 'tkt_abc')), service.read(...key('HOSTUP', 'tkt_abc'))]);
    await service.read(...key('HOSTUP', 'tkt_abc'));
    expect(results).toEqual(['MISS', 'SHARED', 'SHARED', 'HIT']);
    expect(connector.calls).toEqual(['tkt_abc']);
  });
});
