/**
 * MemoryTicketCache's size accounting: `maxBytes` bounds the memory cached tickets hold, so an
 * entry is charged what it occupies on the heap, not the length of some serialised form.
 */
import { describe, expect, it } from 'vitest';
import type { Message, Ticket } from '../../src/domain/model.js';
import { MemoryTicketCache, type CachedTicket } from '../../src/upstream/ticket-cache.js';

function message(bodyText: string): Message {
  return {
    id: 'msg-1',
    nativeId: '1',
    authorKind: 'CUSTOMER',
    author: null,
    visibility: 'PUBLIC',
    pinned: false,
    bodyFormat: 'TEXT',
    bodyText,
    bodyHtml: null,
    createdAt: '2026-06-04T15:21:09.000Z',
    updatedAt: null,
    attachments: [],
  };
}

function entry(nativeId: string, overrides: Partial<Ticket> = {}): CachedTicket {
  const ticket: Ticket = {
    provider: 'HOSTUP',
    ref: nativeId,
    nativeId,
    number: '930734',
    subject: 'Question about my domain',
    description: null,
    status: 'OPEN',
    vendorStatus: 'open',
    statusLabel: null,
    priority: 'LOW',
    vendorPriority: 'low',
    requester: null,
    assignee: null,
    group: null,
    category: null,
    createdAt: null,
    updatedAt: null,
    resolvedAt: null,
    closedAt: null,
    messages: [],
    attachments: [],
    ...overrides,
  };
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
