/**
 * MemoryTicketCache's size accounting: `maxBytes` bounds the memory cached tickets hold, so an
 * entry is charged what it occupies on the heap, not the length of some serialised form.
 */
import { describe, expect, it } from 'vitest';
import type { Message, Ticket } from '../../src/domain/model.js';
import { MemoryTicketCache, type CachedTicket } from '../../src/upstream/ticket-cache.js';
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

function entry(nativeId: string, overrides: Partial<Ticket> = {}): CachedTicket {
  const ticket = testTicket({ ref: nativeId, nativeId, ...overrides });
  return { ticket, fetchedAt: '2026-06-04T15:21:09.000Z', freshUntil: 0 };
}

/** What the cache charges for one entry. */
async function charged(cached: CachedTicket): Promise<number> {
  const cache = new MemoryTicketCache({ maxBytes: 1 << 24 });
  await cache.set(cached, [], Date.now() + 60_000);
  return cache.stats().bytes;
}

describe('MemoryTicketCache size accounting', () => {
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
    const cache = new MemoryTicketCache({ maxBytes: size * 2 });
    const staleUntil = Date.now() + 60_000;
    await cache.set(entry('tkt_a'), [], staleUntil);
    await cache.set(entry('tkt_b'), [], staleUntil);
    await cache.get('HOSTUP', 'tkt_a');
    await cache.set(entry('tkt_c'), [], staleUntil);
    expect(await cache.get('HOSTUP', 'tkt_b')).toBeUndefined();
    expect(await cache.get('HOSTUP', 'tkt_a')).toBeDefined();
    expect(cache.stats()).toEqual({ entries: 2, bytes: size * 2, maxBytes: size * 2 });
  });
});

describe('MemoryTicketCache per-provider shares', () => {
  const of = (provider: Ticket['provider'], nativeId: string) => {
    const cached = entry(nativeId);
    return { ...cached, ticket: { ...cached.ticket, provider, ref: nativeId } };
  };

  it('keeps each provider’s entries and bytes in step through replace, evict, forget and expiry', async () => {
    const size = await charged(entry('tkt_a'));
    let now = 1_000_000;
    const cache = new MemoryTicketCache({ maxBytes: size * 3, now: () => now });
    await cache.set(of('HOSTUP', 'tkt_a'), [], now + 60_000);
    await cache.set(of('HOSTUP', 'tkt_b'), [], now + 60_000);
    await cache.set(of('HEADONI', 'tkt_c'), ['1247'], now + 10_000);
    expect(cache.stats('HOSTUP')).toEqual({ entries: 2, bytes: size * 2, maxBytes: size * 3 });
    expect(cache.stats('HEADONI')).toEqual({ entries: 1, bytes: size, maxBytes: size * 3 });

    // Replacing a ticket with a new copy counts it once.
    await cache.set(of('HOSTUP', 'tkt_a'), [], now + 60_000);
    expect(cache.stats('HOSTUP').entries).toBe(2);

    // A fourth ticket evicts the least recently used one (tkt_b).
    await cache.get('HOSTUP', 'tkt_a');
    await cache.get('HEADONI', '1247');
    await cache.set(of('TICKITI', 'tkt_d'), [], now + 60_000);
    expect([cache.stats('HOSTUP').entries, cache.stats('HEADONI').entries, cache.stats('TICKITI').entries]).toEqual([1, 1, 1]);

    // Forgetting by any alias drops the ticket.
    await cache.forget('HEADONI', '1247');
    expect(await cache.get('HEADONI', 'tkt_c')).toBeUndefined();
    expect(cache.stats('HEADONI')).toEqual({ entries: 0, bytes: 0, maxBytes: size * 3 });

    now += 61_000;
    expect(await cache.get('HOSTUP', 'tkt_a')).toBeUndefined();
    expect(cache.stats('HOSTUP')).toEqual({ entries: 0, bytes: 0, maxBytes: size * 3 });
    expect(cache.stats().entries).toBe(1);
  });
});
