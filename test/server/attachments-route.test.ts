/**
 * The attachment route over real HTTP with a fake vendor downloader: what happens once bytes
 * flow (the cap cutting an undeclared file, a caller leaving, the vendor failing mid-file), the
 * per-provider download limit, HEAD, and headers built from hostile names and types.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentDownloader, AttachmentFile } from '../../src/connectors/downloads.js';
import { encodeAttachmentFileId } from '../../src/domain/attachment-file.js';
import type { Attachment, Message } from '../../src/domain/model.js';
import { createCallerCheck } from '../../src/server/auth.js';
import { createAttachmentRoute } from '../../src/server/attachments-route.js';
import { createLogger } from '../../src/telemetry/logger.js';
import type { ProviderGate } from '../../src/governance/provider-gate.js';
import { testGate } from '../helpers/gate.js';
import { testTicket } from '../helpers/tickets.js';

const MAX_BYTES = 64 * 1024;
const attachment: Attachment = {
  id: 'a1',
  nativeId: 'tatt_01file',
  name: 'report.pdf',
  contentType: 'application/pdf',
  size: null,
  sha256: null,
  inline: false,
  url: null,
};
const message: Message = {
  id: 'm1',
  nativeId: 'tmsg_1',
  authorKind: 'CUSTOMER',
  author: null,
  visibility: 'PUBLIC',
  pinned: false,
  bodyFormat: 'TEXT',
  body: { source: null, vendorText: null },
  createdAt: null,
  updatedAt: null,
  attachments: [attachment],
};
const ticket = testTicket({ provider: 'HOSTUP', ref: 'tkt_01abc', nativeId: 'tkt_01abc', messages: [message] });
const link = (nativeId = attachment.nativeId!) => `/attachments/${encodeAttachmentFileId({ provider: 'HOSTUP', ref: 'tkt_01abc', nativeId })}`;

/** What the fake vendor hands over for the next download. */
let next: () => AttachmentFile;
let opened = 0;
let gate: ProviderGate;
let server: Server;
let origin: string;

function start(options: { maxConcurrent?: number; name?: string | null } = {}) {
  const downloader: AttachmentDownloader = {
    open: async () => {
      opened += 1;
      return next();
    },
  };
  const served = options.name === undefined ? ticket : testTicket({ ...ticket, messages: [{ ...message, attachments: [{ ...attachment, name: options.name }] }] });
  gate = testGate('HOSTUP');
  const route = createAttachmentRoute({
    tickets: { read: async () => ({ ticket: served, fetchedAt: '2026-06-04T16:00:00.000Z', cacheStatus: 'HIT' }), isConfigured: () => true },
    sources: new Map([['HOSTUP', { downloader, gate, timeoutMs: 5000, maxConcurrent: options.maxConcurrent ?? 4 }]]),
    callers: createCallerCheck(),
    settings: { maxBytes: MAX_BYTES, transferTimeoutMs: 10_000 },
    logger: createLogger('silent'),
  });
  server = createServer(route);
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => {
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
}

beforeEach(() => {
  opened = 0;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A body that sends `total` bytes in 8 KiB chunks and records whether it was destroyed. */
function body(total: number, options: { failAfter?: number; hang?: boolean } = {}) {
  let sent = 0;
  const state = { destroyed: false };
  const stream = new Readable({
    read() {
      if (options.failAfter !== undefined && sent >= options.failAfter) {
        this.destroy(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
        return;
      }
      if (sent >= total) {
        if (!options.hang) this.push(null);
        return;
      }
      const size = Math.min(8192, total - sent);
      sent += size;
      this.push(Buffer.alloc(size, 0x61));
    },
    destroy(error, callback) {
      state.destroyed = true;
      callback(error);
    },
  });
  return { stream, state };
}

async function fetchAll(path: string, method: 'GET' | 'HEAD' = 'GET') {
  const response = await request(`${origin}${path}`, { method });
  const chunks: Buffer[] = [];
  let error: unknown;
  try {
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
  } catch (caught) {
    error = caught;
  }
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks), error };
}

describe('attachment route', () => {
  it('cuts a file that grows past maxBytes without declaring its size: the caller sees an incomplete transfer', async () => {
    await start();
    const vendor = body(MAX_BYTES * 4);
    next = () => ({ contentType: 'application/pdf', size: undefined, body: vendor.stream });
    const answer = await fetchAll(link());
    expect(answer.status).toBe(200);
    expect(answer.error).toBeInstanceOf(Error);
    expect(answer.body.length).toBeLessThanOrEqual(MAX_BYTES);
    expect(vendor.state.destroyed).toBe(true);
    // The vendor answered: a cut file does not count against its breaker.
    expect((await gate.state()).consecutiveFailures).toBe(0);
  });

  it('serves a file of exactly maxBytes whole', async () => {
    await start();
    next = () => ({ contentType: 'application/pdf', size: MAX_BYTES, body: body(MAX_BYTES).stream });
    const answer = await fetchAll(link());
    expect(answer).toMatchObject({ status: 200, error: undefined });
    expect(answer.headers['content-length']).toBe(String(MAX_BYTES));
    expect(answer.body.length).toBe(MAX_BYTES);
  });

  it('closes the connection and counts a failure when the vendor stops mid-file', async () => {
    await start();
    next = () => ({ contentType: 'application/pdf', size: undefined, body: body(MAX_BYTES, { failAfter: 16_384 }).stream });
    const answer = await fetchAll(link());
    expect(answer.status).toBe(200);
    expect(answer.error).toBeInstanceOf(Error);
    expect((await gate.state()).consecutiveFailures).toBe(1);
  });

  it('stops reading the vendor and frees the slot when the caller leaves', async () => {
    await start({ maxConcurrent: 1 });
    const vendor = body(MAX_BYTES, { hang: true });
    next = () => ({ contentType: 'application/pdf', size: undefined, body: vendor.stream });
    const response = await request(`${origin}${link()}`);
    expect(response.statusCode).toBe(200);
    response.body.destroy();
    await expect.poll(() => vendor.state.destroyed).toBe(true);
    await expect.poll(async () => (await gate.state()).inFlight).toBe(0);
    // The slot is free again: the next download is served.
    next = () => ({ contentType: 'application/pdf', size: 3, body: Readable.from([Buffer.from('abc')]) });
    const again = await fetchAll(link());
    expect(again.body.toString()).toBe('abc');
  });

  it('answers RATE_LIMITED with Retry-After past maxConcurrentPerProvider, without asking the vendor', async () => {
    await start({ maxConcurrent: 1 });
    const vendor = body(MAX_BYTES, { hang: true });
    next = () => ({ contentType: 'application/pdf', size: undefined, body: vendor.stream });
    const first = await request(`${origin}${link()}`);
    expect(first.statusCode).toBe(200);
    const second = await fetchAll(link());
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('1');
    expect(JSON.parse(second.body.toString()).errors[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      provider: 'HOSTUP',
      ref: 'tkt_01abc',
      retryAfterSeconds: 1,
      requestId: second.headers['x-request-id'],
    });
    expect(opened).toBe(1);
    first.body.destroy();
  });

  it('answers HEAD with the headers and no body', async () => {
    await start();
    const vendor = body(1000);
    next = () => ({ contentType: 'application/pdf', size: 1000, body: vendor.stream });
    const answer = await fetchAll(link(), 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('1000');
    expect(answer.body.length).toBe(0);
    expect(vendor.state.destroyed).toBe(true);
  });

  it.each([
    ['a path and quotes', '../../etc/"passwd".pdf', `attachment; filename="_passwd_.pdf"; filename*=UTF-8''%22passwd%22.pdf`],
    ['CR LF and a bidi override', 'invoice\r\nSet-Cookie: x\u202Efdp.exe', `attachment; filename="invoiceSet-Cookie: xfdp.exe"; filename*=UTF-8''invoiceSet-Cookie%3A%20xfdp.exe`],
    ['non-ASCII', 'Zoë résumé.pdf', `attachment; filename="Zo_ r_sum_.pdf"; filename*=UTF-8''Zo%C3%AB%20r%C3%A9sum%C3%A9.pdf`],
    ['no name', null, `attachment; filename="attachment"; filename*=UTF-8''attachment`],
  ])('encodes a file name with %s safely', async (_what, name, disposition) => {
    await start({ name });
    next = () => ({ contentType: 'application/pdf', size: 1, body: Readable.from([Buffer.from('x')]) });
    const answer = await fetchAll(link());
    expect(answer.headers['content-disposition']).toBe(disposition);
  });

  it.each([
    ['text/html', 'text/html'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['text/html\r\nX-Injected: 1', 'application/pdf'],
    ['not a type', 'application/pdf'],
  ])('sends vendor type %j as %j, always with nosniff and a sandbox', async (vendorType, sent) => {
    await start();
    next = () => ({ contentType: vendorType, size: 1, body: Readable.from([Buffer.from('x')]) });
    const answer = await fetchAll(link());
    expect(answer.headers['content-type']).toBe(sent);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  });

  it('is NOT_FOUND for an attachment the ticket does not hold, without asking the vendor', async () => {
    await start();
    const answer = await fetchAll(link('tatt_01other'));
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString()).errors[0].extensions).toEqual({ code: 'NOT_FOUND', provider: 'HOSTUP', ref: 'tkt_01abc' });
    expect(opened).toBe(0);
  });

  it('is 405 for other methods', async () => {
    await start();
    const response = await request(`${origin}${link()}`, { method: 'POST', body: '' });
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect(((await response.body.json()) as { errors: { extensions: object }[] }).errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });
});
