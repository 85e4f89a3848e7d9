/**
 * The per-ticket bounds on vendor arrays (README "Vendor payload bounds"): at most 1000 messages
 * and 100 attachments per message, counted before any element is validated, so an array of a
 * million elements fails at once as UPSTREAM_BAD_RESPONSE instead of being walked.
 */
import { describe, expect, it } from 'vitest';
import { headoniTicketResponse } from '../../src/connectors/headoni/wire.js';
import { hostUpTicket } from '../../src/connectors/hostup/wire.js';
import { parseWire } from '../../src/connectors/responses.js';
import { teamBattlesTicket } from '../../src/connectors/teambattles/wire.js';
import { tickitiShowResponse } from '../../src/connectors/tickiti/wire.js';
import { MAX_ATTACHMENTS_PER_MESSAGE, MAX_MESSAGES_PER_TICKET } from '../../src/connectors/wire-limits.js';
import { DeskGraphError } from '../../src/domain/errors.js';
import type { Provider } from '../../src/domain/provider.js';
import type { z } from 'zod';

const headoniMessage = (i: number) => ({ id: String(i), authorKind: 'agent', bodyMd: 'hi', createdAt: '2026-06-04T15:21:09.000Z' });
const tickitiResponse = (i: number) => ({ id: String(i), is_internal: false, is_pinned: false, staff_response: true, html: '<p>hi</p>' });
const hostUpMessage = (i: number) => ({ id: `tmsg_${i}`, sentAt: null, body: 'hi', sender: 'staff', encrypted: false, attachments: [] });
const teamBattlesMessage = (i: number) => ({ id: `m${i}`, content: 'hi', isSystem: false, isOwnMessage: true, createdAt: null });
const tickitiFile = (i: number) => ({ id: String(i), name: 'a.txt', is_inline: false, file_size: 1 });
const hostUpFile = (i: number) => ({ id: `tatt_${i}`, filename: 'a.txt', mimeType: 'text/plain', downloadUrl: `/a/${i}` });

interface Case {
  provider: Provider;
  schema: z.ZodType;
  /** A valid payload whose message list is `messages`. */
  withMessages(messages: unknown[]): unknown;
  /** Where the message list sits, as the error names it. */
  path: string;
  message(i: number): unknown;
}

const CASES: Case[] = [
  {
    provider: 'HEADONI',
    schema: headoniTicketResponse,
    withMessages: (messages) => ({ ticket: { id: '1', number: 1, status: { internalType: 'open' }, messages } }),
    path: 'ticket.messages',
    message: headoniMessage,
  },
  {
    provider: 'TICKITI',
    schema: tickitiShowResponse,
    withMessages: (responses) => ({ ok: true, data: { ticket: { id: '1', number: '220009', status: 'open' }, responses } }),
    path: 'data.responses',
    message: tickitiResponse,
  },
  {
    provider: 'HOSTUP',
    schema: hostUpTicket,
    withMessages: (messages) => ({ id: 'tkt_abc', messages }),
    path: 'messages',
    message: hostUpMessage,
  },
  {
    provider: 'TEAMBATTLES',
    schema: teamBattlesTicket,
    withMessages: (messages) => ({ id: 'abc', ticketNumber: 1, status: 'open', messages }),
    path: 'messages',
    message: teamBattlesMessage,
  },
];

function read(provider: Provider, schema: z.ZodType, json: unknown): unknown {
  return parseWire(schema, provider, 'r1', { status: 200, headers: {}, json, jsonError: false });
}

function rejection(provider: Provider, schema: z.ZodType, json: unknown): { code: string; message: string } {
  try {
    read(provider, schema, json);
  } catch (error) {
    expect(error).toBeInstanceOf(DeskGraphError);
    return { code: (error as DeskGraphError).code, message: (error as DeskGraphError).message };
  }
  throw new Error('expected the payload to be refused');
}

describe.each(CASES)('$provider message bound', ({ provider, schema, withMessages, path, message }) => {
  const list = (length: number) => Array.from({ length }, (_, i) => message(i));

  it(`accepts ${MAX_MESSAGES_PER_TICKET} messages`, () => {
    expect(() => read(provider, schema, withMessages(list(MAX_MESSAGES_PER_TICKET)))).not.toThrow();
  });

  it(`refuses ${MAX_MESSAGES_PER_TICKET + 1} messages as UPSTREAM_BAD_RESPONSE`, () => {
    expect(rejection(provider, schema, withMessages(list(MAX_MESSAGES_PER_TICKET + 1)))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: `${provider} answered ${provider} ticket "r1" with a payload its API does not promise: ${path}: more than 1000 messages, over DeskGraph's bound.`,
    });
  });

  it('refuses a 10⁶-element array without reading a single element', () => {
    // An array that throws on any element read: only its length may be looked at.
    const untouchable = new Proxy([], {
      get: (target, key) => {
        if (key === 'length') return 1_000_000;
        if (typeof key === 'string' && /^\d+$/.test(key)) throw new Error(`element ${key} was read`);
        return Reflect.get(target, key) as unknown;
      },
    });
    expect(rejection(provider, schema, withMessages(untouchable))).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('refuses a real 10⁶-element array at once', () => {
    const huge = new Array<unknown>(1_000_000).fill(0);
    const started = performance.now();
    const result = rejection(provider, schema, withMessages(huge));
    const elapsed = performance.now() - started;
    expect(result.message).toContain(`${path}: more than 1000 messages`);
    // Generous for a busy machine; walking a million elements with zod takes seconds.
    expect(elapsed).toBeLessThan(1000);
  });
});

describe.each([
  {
    provider: 'TICKITI' as Provider,
    schema: tickitiShowResponse as z.ZodType,
    withFiles: (attachments: unknown[]) => ({
      ok: true,
      data: { ticket: { id: '1', number: 220009, status: 'open' }, responses: [{ ...tickitiResponse(1), attachments }] },
    }),
    path: 'data.responses.0.attachments',
    file: tickitiFile,
  },
  {
    provider: 'HOSTUP' as Provider,
    schema: hostUpTicket as z.ZodType,
    withFiles: (attachments: unknown[]) => ({ id: 'tkt_abc', messages: [{ ...hostUpMessage(1), attachments }] }),
    path: 'messages.0.attachments',
    file: hostUpFile,
  },
  {
    provider: 'HOSTUP' as Provider,
    schema: hostUpTicket as z.ZodType,
    withFiles: (attachments: unknown[]) => ({ id: 'tkt_abc', attachments }),
    path: 'attachments',
    file: hostUpFile,
  },
])('$provider attachment bound at $path', ({ provider, schema, withFiles, path, file }) => {
  it(`accepts ${MAX_ATTACHMENTS_PER_MESSAGE} and refuses ${MAX_ATTACHMENTS_PER_MESSAGE + 1} or 10⁶`, () => {
    const files = (length: number) => Array.from({ length }, (_, i) => file(i));
    expect(() => read(provider, schema, withFiles(files(MAX_ATTACHMENTS_PER_MESSAGE)))).not.toThrow();
    expect(rejection(provider, schema, withFiles(files(MAX_ATTACHMENTS_PER_MESSAGE + 1)))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: `${provider} answered ${provider} ticket "r1" with a payload its API does not promise: ${path}: more than 100 attachments, over DeskGraph's bound.`,
    });
    expect(rejection(provider, schema, withFiles(new Array<unknown>(1_000_000).fill(0))).message).toContain(
      `${path}: more than 100 attachments`,
    );
  });
});
