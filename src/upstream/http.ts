/**
 * The one way DeskGraph talks HTTP to a vendor: undici `request` over a dispatcher that is
 * passed in (keep-alive pool in production, anything in tests), with a hard cap on the body
 * size and a JSON parse that never throws past this module. Vendor semantics (which status
 * means what) live in each connector's client; this module only moves bytes.
 */
import { Agent, type Dispatcher } from 'undici';
import { DeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import { noteVendorResponse } from '../telemetry/vendor-span.js';
import { jsonTextProblem } from './json-bounds.js';

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

/**
 * Watches every vendor exchange: the provider gate reads rate-limit headers here, metrics count
 * statuses and latency. Called once per request, before the body is read.
 */
export interface UpstreamObserver {
  /** The vendor answered with `status` after `durationMs`. */
  response(status: number, headers: Record<string, string | undefined>, durationMs: number): void;
  /** No answer: the connection failed or the deadline passed. */
  failure(kind: 'network' | 'timeout', durationMs: number): void;
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
  observer?: UpstreamObserver | undefined;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** A keep-alive connection pool suited to vendor APIs. One per gateway; closed on shutdown. */
export function createDispatcher(): Agent {
  return new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: 64,
    connectTimeout: 5_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
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
  private readonly observer: UpstreamObserver | undefined;

  constructor(options: HttpTransportOptions) {
    const base = new URL(options.baseUrl);
    this.provider = options.provider;
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.dispatcher = options.dispatcher;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.observer = options.observer;
  }

  /** Resolves a vendor-relative URL (HostUp's downloadUrl) against the provider's base URL. */
  absoluteUrl(pathOrUrl: string): string {
    return new URL(pathOrUrl, `${this.origin}${this.basePath}/`).toString();
  }

  async send(request: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    let response: Dispatcher.ResponseData;
    const started = performance.now();
    try {
      response = await this.dispatcher.request({
        origin: this.origin,
        path: `${this.basePath}${request.path}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
    } catch (error) {
      throw this.networkError(error, signal, started);
    }

    const headers = flattenHeaders(response.headers);
    this.observer?.response(response.statusCode, headers, performance.now() - started);
    noteVendorResponse(response.statusCode);
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      response.body.destroy();
      throw this.tooLarge();
    }

    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBodyBytes) {
          response.body.destroy();
          throw this.tooLarge();
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof DeskGraphError) throw error;
      throw this.networkError(error, signal);
    }

    const text = Buffer.concat(chunks, size).toString('utf8');
    if (text.trim() === '') return { status: response.statusCode, headers, json: undefined, jsonError: false };
    const status = response.statusCode;
    const problem = jsonTextProblem(text);
    if (problem !== undefined) return { status, headers, json: undefined, jsonError: true, jsonProblem: problem };
    try {
      return { status, headers, json: JSON.parse(text), jsonError: false };
    } catch {
      return { status, headers, json: undefined, jsonError: true };
    }
  }

  private tooLarge(): DeskGraphError {
    return new DeskGraphError(
      'UPSTREAM_BAD_RESPONSE',
      `${this.provider} answered with a body larger than ${this.maxBodyBytes} bytes.`,
      { provider: this.provider },
    );
  }

  /** `started` is set when no answer came at all (the observer has not heard of this request). */
  private networkError(error: unknown, signal: AbortSignal, started?: number): DeskGraphError {
    const timedOut = signal.aborted;
    if (started !== undefined) this.observer?.failure(timedOut ? 'timeout' : 'network', performance.now() - started);
    if (started !== undefined) noteVendorResponse(timedOut ? 'timeout' : 'network');
    const what = timedOut ? 'did not answer in time' : 'could not be reached';
    return new DeskGraphError('UPSTREAM_UNAVAILABLE', `${this.provider} ${what}.`, {
      provider: this.provider,
      // A dropped connection may not repeat; a spent deadline leaves no time to try again.
      retryable: !timedOut,
      cause: error,
    });
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
