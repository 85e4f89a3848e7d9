/**
 * MemoryTicketStore's size accounting: `maxBytes` bounds the memory cached tickets hold, so an
 * entry is charged what it occupies on the heap, not the length of some serialised form.
 */
import { describe, expect, it } from 'vitest';
import type { Message, Ticket } from '../../src/domain/model.js';
import { MemoryTicketStore } from '../../src/stores/memory-ticket-store.js';
import type { StoredTicket } from '../../src/stores/types.js';
import { testTicket } from '../helpers/tickets.js';

function message(bodyText: string): Message {
  return {
    id: 'msg-1',
    nativeId: '1',
    authorKind: 'CUSTOMER',
    author: null,
    visibility: 'PUBLIC',
    pinned: false,
    bodyFormat: 'TEXT',
    body: { source: bodyText, vendorText: null },
    createdAt: '2026-06-04T15:21:09.000Z',
    updatedAt: null,
    attachments: [],
  };
}

function entry(nativeId: string, overrides: Partial<Ticket> = {}): StoredTicket {
  const ticket = testTicket({ ref: nativeId, nativeId, ...overrides });
  return { ticket, fetchedAt: '2026-06-04T15:21:09.000Z' };
}

const MINUTE = { freshMs: 0, staleMs: 60_000 };

/** What the cache charges for one entry. */
async function charged(cached: StoredTicket): Promise<number> {
  const cache = new MemoryTicketStore({ maxBytes: 1 << 24 });
  await cache.put(cached, [], MINUTE);
  return (await cache.stats()).bytes;
}

describe('MemoryTicketStore size accounting', () => {
  it('charges Latin-1 text one byte a character and other text two, as V8 stores them', async () => {
    const ascii = await charged(entry('tkt_a', { messages: [message('a'.repeat(1000))] }));
    const latin1 = await charged(entry('tkt_a', { messages: [message('é'.repeat(1000))] }));
    const wide = await charged(entry('tkt_a', { messages: [message('€'.repeat(1000))] }));
    expect(latin1).toBe(ascii);
    expect(wide - ascii).toBe(1000);
  });

  it('charges nothing for enum values: every ticket shares those literals', async () => {
    const open = await charged(entry('tkt_a', { status: 'OPEN', priority: 'LOW' }));
    const resolved = await charged(entry('tkt_a', { status: 'WAITING_ON_CUSTOMER', priority: 'CRITICAL' }));
    expect(resolved).toBe(open);
  });

  it('charges a thread by its content, well under twice its JSON text', async () => {
    const thread = entry('tkt_a', { messages: Array.from({ length: 10 }, (_, i) => message(`Reply ${i}: ${'text '.repeat(80)}`)) });
    const bytes = await charged(thread);
    const json = JSON.stringify(thread.ticket).length;
    expect(bytes).toBeGreaterThan(json);
    expect(bytes).toBeLessThan(json * 1.5);
  });

  it('keeps the total under maxBytes by dropping the least recently used ticket', async () => {
    const size = await charged(entry('tkt_a'));
    const cache = new MemoryTicketStore({ maxBytes: size * 2 });
    await cache.put(entry('tkt_a'), [], MINUTE);
    await cache.put(entry('tkt_b'), [], MINUTE);
    await cache.lookup('HOSTUP', 'tkt_a');
    await cache.put(entry('tkt_c'), [], MINUTE);
    expect(await cache.lookup('HOSTUP', 'tkt_b')).toEqual({ kind: 'none' });
    expect(await cache.lookup('HOSTUP', 'tkt_a')).toMatchObject({ kind: 'entry' });
    expect(await cache.stats()).toEqual({ entries: 2, bytes: size * 2, maxBytes: size * 2 });
  });
});

describe('MemoryTicketStore per-provider shares', () => {
  const of = (provider: Ticket['provider'], nativeId: string) => {
    const cached = entry(nativeId);
    return { ...cached, ticket: { ...cached.ticket, provider, ref: nativeId } };
  };

  it('keeps each provider’s entries and bytes in step through replace, evict, forget and expiry', async () => {
    const size = await charged(entry('tkt_a'));
    let now = 1_000_000;
    const cache = new MemoryTicketStore({ maxBytes: size * 3, now: () => now });
    await cache.put(of('HOSTUP', 'tkt_a'), [], MINUTE);
    await cache.put(of('HOSTUP', 'tkt_b'), [], MINUTE);
    await cache.put(of('HEADONI', 'tkt_c'), ['1247'], { freshMs: 0, staleMs: 10_000 });
    expect(await cache.stats('HOSTUP')).toEqual({ entries: 2, bytes: size * 2, maxBytes: size * 3 });
    expect(await cache.stats('HEADONI')).toEqual({ entries: 1, bytes: size, maxBytes: size * 3 });

    // Replacing a ticket with a new copy counts it once.
    await cache.put(of('HOSTUP', 'tkt_a'), [], MINUTE);
    expect((await cache.stats('HOSTUP')).entries).toBe(2);

    // A fourth ticket evicts the least recently used one (tkt_b).
    await cache.lookup('HOSTUP', 'tkt_a');
    await cache.lookup('HEADONI', '1247');
    await cache.put(of('TICKITI', 'tkt_d'), [], MINUTE);
    expect([(await cache.stats('HOSTUP')).entries, (await cache.stats('HEADONI')).entries, (await cache.stats('TICKITI')).entries]).toEqual([1, 1, 1]);

    // Forgetting by any alias drops the ticket.
    await cache.forget('HEADONI', '1247');
    expect(await cache.lookup('HEADONI', 'tkt_c')).toEqual({ kind: 'none' });
    expect(await cache.stats('HEADONI')).toEqual({ entries: 0, bytes: 0, maxBytes: size * 3 });

    now += 61_000;
    expect(await cache.lookup('HOSTUP', 'tkt_a')).toEqual({ kind: 'none' });
    expect(await cache.stats('HOSTUP')).toEqual({ entries: 0, bytes: 0, maxBytes: size * 3 });
    expect((await cache.stats()).entries).toBe(1);
  });
});

describe('MemoryTicketStore lookups', () => {
  it('answers one lookup with the entry and its freshness left, by any registered ref, then stale, then none', async () => {
    let now = 1_000_000;
    const cache = new MemoryTicketStore({ maxBytes: 1 << 20, now: () => now });
    const stored = entry('tkt_a', { number: '930734' });
    await cache.put(stored, ['tkt_a', '930734'], { freshMs: 60_000, staleMs: 30_000 });
    expect(await cache.lookup('HOSTUP', '930734')).toEqual({ kind: 'entry', entry: stored, freshForMs: 60_000 });
    now += 70_000;
    expect(await cache.lookup('HOSTUP', 'tkt_a')).toEqual({ kind: 'entry', entry: stored, freshForMs: -10_000 });
    now += 20_001;
    expect(await cache.lookup('HOSTUP', 'tkt_a')).toEqual({ kind: 'none' });
  });

  it('hands out the same Ticket object on every hit', async () => {
    const cache = new MemoryTicketStore({ maxBytes: 1 << 20 });
    const stored = entry('tkt_a');
    await cache.put(stored, [], MINUTE);
    const first = await cache.lookup('HOSTUP', 'tkt_a');
    const second = await cache.lookup('HOSTUP', 'tkt_a');
    expect(first.kind === 'entry' && second.kind === 'entry' && first.entry.ticket === second.entry.ticket).toBe(true);
    expect(first).toMatchObject({ entry: { ticket: stored.ticket } });
  });

  it('remembers a NOT_FOUND per ref for its ttl, and a put of that ref clears it', async () => {
    let now = 1_000_000;
    const cache = new MemoryTicketStore({ maxBytes: 1 << 20, now: () => now });
    await cache.rememberMissing('HOSTUP', 'tkt_gone', 5_000);
    expect(await cache.lookup('HOSTUP', 'tkt_gone')).toEqual({ kind: 'missing' });
    expect(await cache.lookup('HOSTUP', 'tkt_other')).toEqual({ kind: 'none' });
    now += 5_001;
    expect(await cache.lookup('HOSTUP', 'tkt_gone')).toEqual({ kind: 'none' });
    await cache.rememberMissing('HOSTUP', 'tkt_gone', 5_000);
    await cache.put(entry('tkt_gone'), [], MINUTE);
    expect(await cache.lookup('HOSTUP', 'tkt_gone')).toMatchObject({ kind: 'entry' });
  });

  it('charges memoized bytes to the live entry without extending its life, and evicts by nativeId', async () => {
    let now = 1_000_000;
    const cache = new MemoryTicketStore({ maxBytes: 1 << 20, now: () => now });
    const stored = entry('tkt_a');
    await cache.put(stored, [], { freshMs: 0, staleMs: 10_000 });
    const before = (await cache.stats()).bytes;
    now += 9_000;
    cache.charge(stored.ticket, 5_000);
    expect(await cache.stats()).toMatchObject({ entries: 1, bytes: before + 5_000 });
    expect(await cache.stats('HOSTUP')).toMatchObject({ entries: 1, bytes: before + 5_000 });
    // A ticket object the cache does not hold is charged nothing.
    cache.charge(entry('tkt_b').ticket, 5_000);
    expect((await cache.stats()).bytes).toBe(before + 5_000);
    now += 1_001;
    expect(await cache.lookup('HOSTUP', 'tkt_a')).toEqual({ kind: 'none' });

    await cache.put(stored, ['930734'], MINUTE);
    cache.evict('HOSTUP', 'tkt_a');
    expect(await cache.lookup('HOSTUP', '930734')).toEqual({ kind: 'none' });
    expect(await cache.stats()).toEqual({ entries: 0, bytes: 0, maxBytes: 1 << 20 });
  });
});
