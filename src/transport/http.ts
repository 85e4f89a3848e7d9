/**
 * The one way DeskGraph talks HTTP to a vendor: undici `request` over a dispatcher that is
 * passed in (the keep-alive pool composed with the provider's interceptors in production — see
 * `interceptors.ts` — anything in tests), with a hard cap on the body size and a JSON parse
 * that never throws past this module. Vendor semantics (which status means what) live in each
 * connector's client; this module only moves bytes.
 */
import { StringDecoder } from 'node:string_decoder';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { DeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import { noteVendorResponse } from '../telemetry/vendor-span.js';
import { JsonBoundsScanner } from './json-bounds.js';

/** Answers larger than this yield the event loop between joining their text and parsing it. */
const LARGE_ANSWER_BYTES = 512 * 1024;

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  /** Path and query, already encoded (see `encodePathSegment`). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** The parsed JSON body; `undefined` when the body was empty or not JSON (see `jsonError`). */
  json: unknown;
  /** True when a body was present but did not parse as JSON, or was refused unparsed (`jsonProblem`). */
  jsonError: boolean;
  /** Why a JSON body was refused before validation (too deep, an array too long). */
  jsonProblem?: string | undefined;
}

/** An answer whose body is handed over unread (`HttpTransport.open`). */
export interface UpstreamStream {
  status: number;
  headers: Record<string, string | undefined>;
  /** Read it or destroy it: an unread body holds its connection. */
  body: Dispatcher.ResponseData['body'];
}

export interface HttpTransportOptions {
  provider: Provider;
  baseUrl: string;
  dispatcher: Dispatcher;
  /**
   * Largest vendor body accepted, in bytes; a larger one is UPSTREAM_BAD_RESPONSE and is not
   * read further, so one huge answer cannot grow the gateway's memory.
   * @default 4 MiB
   */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A keep-alive connection pool suited to vendor APIs. One per gateway; closed on shutdown. Its
 * `maxResponseSize` caps every vendor body at the socket (the connection is closed as the limit
 * passes); each transport also counts its own `maxBodyBytes` as the body streams in.
 */
export function createDispatcher(options: { maxResponseBytes?: number } = {}): Agent {
  return new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: 64,
    connectTimeout: 5_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    maxResponseSize: options.maxResponseBytes ?? DEFAULT_MAX_BODY_BYTES,
  });
}

/** Encodes one path segment; refs are checked before this, but paths are encoded regardless. */
export function encodePathSegment(segment: string): string {
  return encodeURIComponent(segment);
}

export class HttpTransport {
  readonly provider: Provider;
  readonly origin: string;
  private readonly basePath: string;
  private readonly dispatcher: Dispatcher;
  private readonly maxBodyBytes: number;

  constructor(options: HttpTransportOptions) {
    const base = new URL(options.baseUrl);
    this.provider = options.provider;
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.dispatcher = options.dispatcher;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** Resolves a vendor-relative URL (HostUp's downloadUrl) against the provider's base URL. */
  absoluteUrl(pathOrUrl: string): string {
    return new URL(pathOrUrl, `${this.origin}${this.basePath}/`).toString();
  }

  async send(request: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    const response = await this.dispatch(request, signal);

    const headers = flattenHeaders(response.headers);
    noteVendorResponse(response.statusCode);
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      response.body.destroy();
      throw this.tooLarge();
    }

    // Each chunk is decoded and scanned for the JSON bounds as it arrives, so a 4 MiB answer never
    // holds the event loop for more than a chunk until the one JSON.parse.
    // node:string_decoder, as a Readable's setEncoding uses: a character split across chunks is
    // decoded whole, invalid bytes become U+FFFD (as Buffer#toString).
    const decoder = new StringDecoder('utf8');
    const scanner = new JsonBoundsScanner();
    const pieces: string[] = [];
    let size = 0;
    let problem: string | undefined;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBodyBytes) {
          response.body.destroy();
          throw this.tooLarge();
        }
        const piece = decoder.write(chunk as Buffer);
        pieces.push(piece);
        problem = scanner.feed(piece);
        if (problem !== undefined) {
          // Refused whatever follows: nothing more of it is read.
          response.body.destroy();
          break;
        }
      }
    } catch (error) {
      if (error instanceof DeskGraphError) throw error;
      // The pool's own cap (`createDispatcher`) closed the connection.
      if ((error as { code?: unknown } | null)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') throw this.tooLarge();
      throw this.networkError(error, signal);
    }

    const status = response.statusCode;
    if (problem !== undefined) return { status, headers, json: undefined, jsonError: true, jsonProblem: problem };
    const rest = decoder.end();
    pieces.push(rest);
    problem = scanner.feed(rest);
    if (problem !== undefined) return { status, headers, json: undefined, jsonError: true, jsonProblem: problem };
    // Joining and parsing a large answer take some 15 ms each per 4 MiB: other requests get the
    // event loop between the two, so neither wait adds to the other.
    const large = size > LARGE_ANSWER_BYTES;
    const text = pieces.join('');
    if (text.trim() === '') return { status, headers, json: undefined, jsonError: false };
    if (large) await setImmediatePromise();
    try {
      return { status, headers, json: JSON.parse(text), jsonError: false };
    } catch {
      return { status, headers, json: undefined, jsonError: true };
    }
  }

  /**
   * Sends a request and hands back the body unread, for answers too large to hold (attachment
   * downloads): the caller streams it under its own size cap, or destroys it. `signal` also
   * aborts the body while it is read.
   */
  async open(request: UpstreamRequest, signal: AbortSignal): Promise<UpstreamStream> {
    const response = await this.dispatch(request, signal);
    // Budget headers, metrics and logs are the dispatcher's interceptors' (transport/interceptors.ts).
    const headers = flattenHeaders(response.headers);
    return { status: response.statusCode, headers, body: response.body };
  }

  /** The request on the provider's dispatcher; no answer at all is UPSTREAM_UNAVAILABLE. */
  private async dispatch(request: UpstreamRequest, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    try {
      return await this.dispatcher.request({
        origin: this.origin,
        path: `${this.basePath}${request.path}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
    } catch (error) {
      throw this.networkError(error, signal);
    }
  }

  private tooLarge(): DeskGraphError {
    return new DeskGraphError(
      'UPSTREAM_BAD_RESPONSE',
      `${this.provider} answered with a body larger than ${this.maxBodyBytes} bytes.`,
      { provider: this.provider },
    );
  }

  private networkError(error: unknown, signal: AbortSignal): DeskGraphError {
    const timedOut = signal.aborted;
    noteVendorResponse(timedOut ? 'timeout' : 'network');
    const what = timedOut ? 'did not answer in time' : 'could not be reached';
    return new DeskGraphError('UPSTREAM_UNAVAILABLE', `${this.provider} ${what}.`, {
      provider: this.provider,
      // A dropped connection may not repeat; a spent deadline leaves no time to try again.
      retryable: !timedOut,
      cause: error,
    });
  }
}

/** Header names lower-case, repeated values joined (RFC 9110 §5.3). */
export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
