/**
 * The attachment downloaders against servers that answer as the vendors' pages say, byte by
 * byte: HostUp's binary download and Tickiti's base64-in-JSON envelope, split at awkward
 * places, escaped, malformed and refused.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHostUpDownloader } from '../../src/connectors/hostup/attachments.js';
import { createTickitiDownloader } from '../../src/connectors/tickiti/attachments.js';
import type { AttachmentFile } from '../../src/connectors/downloads.js';
import type { Attachment, Ticket } from '../../src/domain/model.js';
import { HttpTransport } from '../../src/upstream/http.js';
import { testTicket } from '../helpers/tickets.js';

const TOKEN = 'vendor-token-5d2c9e1a7b';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** What the fake vendor answers: status, headers and the body in pieces (written one by one). */
let answer: { status: number; headers: Record<string, string>; pieces: (string | Buffer)[] };
const seen: Seen[] = [];
let server: Server;
let baseUrl: string;
const dispatcher = new Agent({ keepAliveTimeout: 1000 });

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
    res.writeHead(answer.status, answer.headers);
    for (const piece of answer.pieces) {
      res.write(piece);
      // Most likely separate packets: the client sees the body in (about) these pieces.
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await dispatcher.close();
});

const transport = () => new HttpTransport({ provider: 'TICKITI', baseUrl, dispatcher });

function file(overrides: Partial<Attachment> = {}): Attachment {
  return { id: 'a1', nativeId: '14494', name: 'diag.zip', contentType: null, size: null, sha256: null, inline: false, url: null, ...overrides };
}

async function bytesOf(opened: AttachmentFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of opened.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failureOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a failure');
}

/** Splits text into pieces of `size` characters. */
const split = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('Tickiti download (POST /api/v1/tickets/attachment)', () => {
  const ticket: Ticket = testTicket({ provider: 'TICKITI', ref: '220009', nativeId: '1' });
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
  const envelope = (data: Record<string, unknown>) => JSON.stringify({ ok: true, data });

  it('asks by ticket number and attachment id with the bearer token', async () => {
    answer = { status: 200, headers: { 'content-type': 'application/json' }, pieces: [envelope({ id: '14494', mime_type: 'application/zip', content_base64: 'AAEC' })] };
    const opened = await createTickitiDownloader(transport(), { token: TOKEN }).open(ticket, file(), AbortSignal.timeout(5000));
    expect(await bytesOf(opened)).toEqual(Buffer.from([0, 1, 2]));
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/api/v1/tickets/attachment',
        authorization: `Bearer ${TOKEN}`,
        body: JSON.stringify({ ticket_number: '220009', response_attachment_id: '14494' }),
      },
    ]);
  });

  it.each([1, 3, 7, 64])('decodes the file split into %i-character pieces, slashes escaped, with the mime_type sent before it', async (size) => {
    const text = envelope({
      id: '14494',
      response_id: '42',
      name: 'UPDD Diag.zip',
      mime_type: 'application/zip',
      sha256: 'cc9b',
      file_size: bytes.length,
      is_inline: false,
      nested: { content_base64: 'not this one', list: [{ mime_type: 'text/plain' }] },
      content_base64: bytes.toString('base64'),
    }).replace(/\//g, '\\/');
    expect(text).toContain('\\/');
    answer = { status: 200, headers: { 'content-type': 'application/json' }, pieces: split(text, size) };
    const opened = await createTickitiDownloader(transport(), { token: TOKEN }).open(ticket, file(), AbortSignal.timeout(10_000));
    expect(opened.contentType).toBe('application/zip');
    expect(opened.size).toBeUndefined();
    expect((await bytesOf(opened)).equals(bytes)).toBe(true);
  });

  it('has no content type when mime_type comes after the file (the route falls back)', async () => {
    answer = { status: 200, headers: {}, pieces: [JSON.stringify({ ok: true, data: { content_base64: 'AAEC', mime_type: 'image/png' } })] };
    const opened = await createTickitiDownloader(transport(), { token: TOKEN }).open(ticket, file(), AbortSignal.timeout(5000));
    expect(opened.contentType).toBeUndefined();
    expect(await bytesOf(opened)).toEqual(Buffer.from([0, 1, 2]));
  });

  it.each([
    ['not JSON', '<html>502</html>', 'it is not JSON'],
    ['ok false', JSON.stringify({ ok: false, data: { content_base64: 'AAEC' } }), 'the answer is not ok'],
    ['no file', JSON.stringify({ ok: true, data: { id: '1' } }), 'the answer ended before the file'],
    ['a huge preamble', JSON.stringify({ ok: true, data: { name: 'x'.repeat(70_000), content_base64: 'AAEC' } }), 'the answer holds too much before the file'],
  ])('is UPSTREAM_BAD_RESPONSE for %s', async (_what, body, why) => {
    answer = { status: 200, headers: {}, pieces: [body] };
    expect(await failureOf(createTickitiDownloader(transport(), { token: TOKEN }).open(ticket, file(), AbortSignal.timeout(5000)))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: `TICKITI answered attachment "14494" of TICKITI ticket "220009" with a body its API does not promise: ${why}.`,
    });
  });

  it('fails the body with UPSTREAM_BAD_RESPONSE when the file is not base64', async () => {
    answer = { status: 200, headers: {}, pieces: [envelope({ content_base64: 'AAEC<script>' })] };
    const opened = await createTickitiDownloader(transport(), { token: TOKEN }).open(ticket, file(), AbortSignal.timeout(5000));
    expect(await failureOf(bytesOf(opened))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: 'TICKITI answered attachment "14494" of TICKITI ticket "220009" with a body its API does not promise: the file is not valid base64.',
    });
  });

  it.each([
    [404, 'NOT_FOUND'],
    [401, 'UPSTREAM_UNAUTHORIZED'],
    [403, 'UPSTREAM_FORBIDDEN'],
    [422, 'UPSTREAM_BAD_RESPONSE'],
    [429, 'RATE_LIMITED'],
    [503, 'UPSTREAM_UNAVAILABLE'],
  ])('maps HTTP %i to %s', async (status, code) => {
    answer = { status, headers: { 'content-type': 'application/json' }, pieces: [JSON.stringify({ ok: false, error: { code: 'x', message: 'y' } })] };
    expect((await failureOf(createTickitiDownloader(transport(), { token: TOKEN }).open(ticket, file(), AbortSignal.timeout(5000)))).code).toBe(code);
  });
});

describe('HostUp download (GET /api/v2/support/attachments/{id})', () => {
  const ticket: Ticket = testTicket({ provider: 'HOSTUP', ref: 'tkt_01abc', nativeId: 'tkt_01abc' });

  it('builds the request from the ids, never from the downloadUrl the ticket carries', async () => {
    answer = { status: 200, headers: { 'content-type': 'image/png', 'content-length': '4' }, pieces: [Buffer.from([137, 80, 78, 71])] };
    // A drifted downloadUrl on another host must not receive the vendor token.
    const hostile = file({ nativeId: 'tatt_01xyz', url: 'https://evil.example/steal?ticketId=tkt_01abc' });
    const opened = await createHostUpDownloader(new HttpTransport({ provider: 'HOSTUP', baseUrl, dispatcher }), { token: TOKEN }).open(
      ticket,
      hostile,
      AbortSignal.timeout(5000),
    );
    expect(opened).toMatchObject({ contentType: 'image/png', size: 4 });
    expect(await bytesOf(opened)).toEqual(Buffer.from([137, 80, 78, 71]));
    expect(seen.map(({ method, url, authorization }) => ({ method, url, authorization }))).toEqual([
      { method: 'GET', url: '/api/v2/support/attachments/tatt_01xyz?ticketId=tkt_01abc', authorization: `Bearer ${TOKEN}` },
    ]);
  });

  it('is NOT_FOUND on HostUp 404, naming the attachment and ticket', async () => {
    answer = { status: 404, headers: { 'content-type': 'application/problem+json' }, pieces: ['{"code":"not_found"}'] };
    const downloader = createHostUpDownloader(new HttpTransport({ provider: 'HOSTUP', baseUrl, dispatcher }), { token: TOKEN });
    expect(await failureOf(downloader.open(ticket, file({ nativeId: 'tatt_01xyz' }), AbortSignal.timeout(5000)))).toEqual({
      code: 'NOT_FOUND',
      message: 'HOSTUP says attachment "tatt_01xyz" of HOSTUP ticket "tkt_01abc" does not exist or is not visible to DeskGraph.',
    });
  });
});
