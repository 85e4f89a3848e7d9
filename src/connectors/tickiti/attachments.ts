/**
 * Tickiti attachment download (docs.tickiti.com, "Download attachment API"):
 * `POST /api/v1/tickets/attachment` with `{ ticket_number, response_attachment_id }` and the
 * bearer token. To keep its API uniformly JSON, Tickiti answers with the file base64-encoded
 * inside the envelope: `{ ok: true, data: { id, name, mime_type, sha256, file_size, …,
 * content_base64 } }`.
 *
 * A file of tens of MiB must not be held as one JSON string, so the answer is tokenized as it
 * arrives (stream-json): the fields before `data.content_base64` are read for `mime_type`, and
 * the base64 text is decoded chunk by chunk into the bytes handed to the route. Review-gated
 * types are not confirmed on the staff member's behalf (no `intent: "review_ok"`): Tickiti's
 * refusal is passed on.
 */
import { Readable } from 'node:stream';
import { parser, type Token } from 'stream-json/parser.js';
import { DeskGraphError } from '../../domain/errors.js';
import type { Attachment, Ticket } from '../../domain/model.js';
import { attachmentLabel, discard, downloadError, type DownloaderFactory } from '../downloads.js';

/** Characters the envelope may hold before the file starts (metadata only). */
const MAX_PREAMBLE_CHARS = 64 * 1024;
/** Longest metadata string kept (mime_type). */
const MAX_FIELD_CHARS = 256;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const createTickitiDownloader: DownloaderFactory = (transport, settings) => ({
  async open(ticket, attachment, signal) {
    const response = await transport.open(
      {
        method: 'POST',
        path: '/api/v1/tickets/attachment',
        headers: {
          authorization: `Bearer ${settings.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ ticket_number: ticket.ref, response_attachment_id: attachment.nativeId }),
      },
      signal,
    );
    if (response.status !== 200) {
      discard(response.body);
      throw downloadError('TICKITI', ticket, attachment, response.status, response.headers);
    }
    const tokens = parser.asStream({ packKeys: true, packNumbers: true, packStrings: false, streamStrings: true, streamKeys: false, streamNumbers: false });
    response.body.on('error', (error) => tokens.destroy(error));
    tokens.on('close', () => discard(response.body));
    response.body.pipe(tokens);
    const reader = tokens[Symbol.asyncIterator]() as AsyncIterator<Token>;
    try {
      const preamble = await readUntilContent(reader);
      return { contentType: preamble.mimeType, size: undefined, body: Readable.from(decodeContent(reader, tokens, ticket, attachment)) };
    } catch (error) {
      tokens.destroy();
      throw asBadResponse(error, ticket, attachment);
    }
  },
});

interface Preamble {
  mimeType: string | undefined;
}

/**
 * Reads the envelope up to the start of `data.content_base64`. `ok` must be true; `mime_type`
 * is kept if it comes first (Tickiti's example puts the bytes last).
 */
async function readUntilContent(reader: AsyncIterator<Token>): Promise<Preamble> {
  // The key each open container sits under, and the last key read at each depth.
  const path: (string | undefined)[] = [];
  const lastKey: (string | undefined)[] = [];
  let chars = 0;
  let ok: boolean | undefined;
  let mimeType: string | undefined;
  let collecting: string | undefined;
  for (;;) {
    const next = await reader.next();
    if (next.done) throw new Error('the answer ended before the file');
    const token = next.value;
    const depth = path.length;
    const inData = depth === 2 && path[1] === 'data';
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        path.push(lastKey[depth]);
        lastKey[depth + 1] = undefined;
        break;
      case 'endObject':
      case 'endArray':
        path.pop();
        break;
      case 'keyValue':
        chars += token.value.length;
        lastKey[depth] = token.value;
        break;
      case 'trueValue':
      case 'falseValue':
        if (depth === 1 && lastKey[1] === 'ok') ok = token.value;
        break;
      case 'startString':
        if (inData && lastKey[2] === 'content_base64') {
          if (ok !== true) throw new Error('the answer is not ok');
          return { mimeType };
        }
        collecting = inData && lastKey[2] === 'mime_type' ? '' : undefined;
        break;
      case 'stringChunk':
        chars += token.value.length;
        if (collecting !== undefined && collecting.length < MAX_FIELD_CHARS) collecting += token.value;
        break;
      case 'endString':
        if (collecting !== undefined) mimeType = collecting.slice(0, MAX_FIELD_CHARS);
        collecting = undefined;
        break;
      default:
        if ('value' in token && typeof token.value === 'string') chars += token.value.length;
    }
    if (chars > MAX_PREAMBLE_CHARS) throw new Error('the answer holds too much before the file');
  }
}

/** The bytes of `content_base64`, decoded as its text arrives; ends with the string. */
async function* decodeContent(
  reader: AsyncIterator<Token>,
  tokens: Readable,
  ticket: Ticket,
  attachment: Attachment,
): AsyncGenerator<Buffer> {
  let carry = '';
  try {
    for (;;) {
      const next = await reader.next().catch((error: unknown) => {
        throw asBadResponse(error, ticket, attachment);
      });
      if (next.done || next.value.name !== 'stringChunk') {
        if (next.done || next.value.name !== 'endString') throw badResponse(ticket, attachment, 'the file ended early');
        if (carry.length > 0) yield decode(carry, ticket, attachment);
        return;
      }
      const text = carry + next.value.value.replace(/\s+/g, '');
      const whole = text.length - (text.length % 4);
      carry = text.slice(whole);
      if (whole > 0) yield decode(text.slice(0, whole), ticket, attachment);
    }
  } finally {
    // The rest of the envelope is not needed: stop reading it.
    tokens.destroy();
  }
}

function decode(text: string, ticket: Ticket, attachment: Attachment): Buffer {
  // Padding may only end the whole string; a chunk boundary never falls inside a quartet.
  if (!BASE64.test(text) || text.length % 4 !== 0) throw badResponse(ticket, attachment, 'the file is not valid base64');
  return Buffer.from(text, 'base64');
}

function badResponse(ticket: Ticket, attachment: Attachment, why: string): DeskGraphError {
  return new DeskGraphError('UPSTREAM_BAD_RESPONSE', `TICKITI answered ${attachmentLabel(ticket, attachment)} with a body its API does not promise: ${why}.`, {
    provider: 'TICKITI',
    ref: ticket.ref,
  });
}

/**
 * What a failure while reading the envelope means: the connection failing or being aborted
 * (undici's errors carry a `UND_ERR_…` code) is the vendor being unavailable; anything else is
 * its answer being bad.
 */
function asBadResponse(error: unknown, ticket: Ticket, attachment: Attachment): DeskGraphError {
  if (error instanceof DeskGraphError) return error;
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if ((typeof code === 'string' && code.startsWith('UND_ERR')) || name === 'AbortError') {
    return new DeskGraphError('UPSTREAM_UNAVAILABLE', `TICKITI stopped sending ${attachmentLabel(ticket, attachment)} part-way.`, {
      provider: 'TICKITI',
      ref: ticket.ref,
      cause: error,
    });
  }
  return badResponse(ticket, attachment, error instanceof Error && /^the /.test(error.message) ? error.message : 'it is not JSON');
}
