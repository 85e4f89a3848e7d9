/**
 * The shared engine of the vendor simulators: an HTTP server on loopback that answers like one
 * vendor's published API (its `VendorSpec`) and adds what tests, the demo and the benchmarks
 * need to steer and observe it:
 *
 * - counts: requests (total and by path), requests in flight, the most ever in flight;
 * - controls: latency, forced error statuses, malformed bodies, a rate-limit budget, and
 *   `synthesize`: every well-formed ref is a ticket (a re-keyed copy of the vendor's template),
 *   so a benchmark can read as many distinct tickets as it likes.
 *
 * Controls and counts are reachable in-process (`simulator.controls`, `simulator.stats`) and
 * over HTTP under `/__sim/` for tests that run the simulator as a separate process:
 * `GET /__sim/stats`, `POST /__sim/reset`, `PUT /__sim/controls` (a partial `SimulatorControls`),
 * `PUT /__sim/tickets` (vendor-shaped tickets to add), `PUT /__sim/crafted` (the raw body of the
 * next answer). `/__sim/` requests are never counted.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Provider } from '../domain/provider.js';

export interface SimRequest {
  method: string;
  /** Decoded path without the query string, e.g. `/api/v1/tickets/1247`. */
  path: string;
  /** The raw (still encoded) path, for vendors that reject odd encodings. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, `undefined` when there was none, or the raw text when it was not JSON. */
  body: unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a vendor simulator defines; the engine does the rest. */
export interface VendorSpec<T> {
  provider: Provider;
  /** The bearer token the simulator accepts. */
  token: string;
  /** The vendor's own answer for each error status, shaped as its page documents. */
  errorResponse(status: number, request: SimRequest): SimResponse;
  /** Handles an authenticated request against the store; undefined → the vendor's 404. */
  handle(request: SimRequest, store: TicketStore<T>): SimResponse | undefined;
  /** How a stored ticket is found by a lookup key (id and number aliases). */
  keysOf(ticket: T): string[];
  /** The payload with one field the vendor promises removed (for `malformed: 'missing-field'`). */
  withoutRequiredField(body: unknown): unknown;
  /** Extra headers the vendor sends on every answer (e.g. HostUp's X-RateLimit-*). */
  rateLimitHeaders?(budget: RateLimitState, now: number): Record<string, string>;
  /**
   * A copy of `template` that `keysOf` finds under `key` (a lookup key such as `number:1247`),
   * its ids and number rewritten to match; undefined when no ticket of this vendor has such a key.
   */
  rekey?(template: T, key: string): T | undefined;
  /** Forgets the spec's own state (a vendor-side rate-limit bucket) on `VendorSimulator.reset()`. */
  reset?(): void;
}

export type MalformedMode = 'not-json' | 'missing-field' | 'oversize' | 'truncated';

export interface SimulatorControls {
  /** Added before every vendor answer, in ms. @default 0 */
  latencyMs: number;
  /** Answer every request with this error status (the vendor's own body); null for normal. */
  failStatus: number | null;
  /** How many requests `failStatus` applies to before answering normally; null for all. */
  failCount: number | null;
  /** Break successful bodies in this way; null for well-formed. */
  malformed: MalformedMode | null;
  /** Requests allowed per window before 429; null for unlimited. */
  rateLimit: { limit: number; windowSeconds: number } | null;
  /** Seconds sent in `Retry-After` on 429; defaults to the time left in the window. */
  retryAfterSeconds: number | null;
  /**
   * Answer a ref the desk does not hold, when it is well formed, with a copy of the template
   * ticket re-keyed to it (not stored: the same ref gives the same ticket). @default false
   */
  synthesize: boolean;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

export interface SimulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}

export const DEFAULT_CONTROLS: SimulatorControls = {
  latencyMs: 0,
  failStatus: null,
  failCount: null,
  malformed: null,
  rateLimit: null,
  retryAfterSeconds: null,
  synthesize: false,
};

/** Tickets by every key they can be looked up with. */
export class TicketStore<T> {
  private readonly byKey = new Map<string, T>();
  private readonly all: T[] = [];
  /** Answers keys the store does not hold (the `synthesize` control); null for none. */
  fallback: ((key: string) => T | undefined) | null = null;

  constructor(private readonly keysOf: (ticket: T) => string[]) {}

  add(ticket: T): void {
    this.all.push(ticket);
    for (const key of this.keysOf(ticket)) this.byKey.set(key, ticket);
  }

  get(key: string): T | undefined {
    return this.byKey.get(key) ?? this.fallback?.(key);
  }

  list(): readonly T[] {
    return this.all;
  }

  clear(): void {
    this.all.length = 0;
    this.byKey.clear();
  }
}

export interface VendorSimulatorOptions<T> {
  spec: VendorSpec<T>;
  tickets: T[];
  controls?: Partial<SimulatorControls>;
  /** What `synthesize` copies (each vendor passes its longest sample conversation). */
  template?: T;
}

export class VendorSimulator<T = unknown> {
  readonly spec: VendorSpec<T>;
  readonly store: TicketStore<T>;
  controls: SimulatorControls;
  private stats_: SimulatorStats = emptyStats();
  private window: RateLimitState | null = null;
  private failuresLeft: number | null = null;
  private server: Server | null = null;
  /** A crafted answer body for the next authenticated request (`answerNextWith`). */
  private crafted: string | null = null;
  private readonly initialTickets: T[];
  private readonly template: T | undefined;

  constructor(options: VendorSimulatorOptions<T>) {
    this.spec = options.spec;
    this.initialTickets = options.tickets;
    this.template = options.template;
    this.store = new TicketStore(options.spec.keysOf);
    for (const ticket of options.tickets) this.store.add(ticket);
    this.controls = { ...DEFAULT_CONTROLS };
    this.setControls(options.controls ?? {});
  }

  get stats(): SimulatorStats {
    return structuredClone(this.stats_);
  }

  /** Changes some controls; the failure count and rate-limit window restart. */
  setControls(changes: Partial<SimulatorControls>): void {
    const controls = { ...this.controls, ...changes };
    this.store.fallback = this.synthesizer(controls.synthesize);
    this.controls = controls;
    this.failuresLeft = this.controls.failCount;
    this.window = null;
  }

  /** Back to the initial tickets, default controls and zero counts. */
  reset(): void {
    this.stats_ = emptyStats();
    this.controls = { ...DEFAULT_CONTROLS };
    this.failuresLeft = null;
    this.window = null;
    this.crafted = null;
    this.store.clear();
    this.store.fallback = null;
    for (const ticket of this.initialTickets) this.store.add(ticket);
    this.spec.reset?.();
  }

  /**
   * Answers the next authenticated request with 200 and exactly `body` (hostile-content tests:
   * an answer too large or too odd to build through the ticket store at speed).
   */
  answerNextWith(body: string): void {
    this.crafted = body;
  }

  resetStats(): void {
    this.stats_ = emptyStats();
  }

  /** Starts listening; resolves to the base URL (e.g. `http://127.0.0.1:41234`). */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`simulator error: ${String(error)}`);
      });
    });
    server.keepAliveTimeout = 30_000;
    server.listen(port, host);
    await once(server, 'listening');
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('simulator is not listening');
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const text = await readBody(req);
    if (url.pathname.startsWith('/__sim/')) {
      this.control(req.method ?? 'GET', url.pathname, text, res);
      return;
    }

    const stats = this.stats_;
    stats.requests += 1;
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      if (this.controls.latencyMs > 0) await delay(this.controls.latencyMs);
      const request: SimRequest = {
        method: req.method ?? 'GET',
        path: safeDecode(url.pathname),
        rawPath: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: parseJson(text),
      };
      const response = this.answer(request);
      stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
      this.write(res, response);
    } finally {
      stats.inFlight -= 1;
    }
  }

  private answer(request: SimRequest): SimResponse {
    const { spec, controls } = this;
    const now = Date.now();
    const budget = this.spend(now);
    const limitHeaders = budget && spec.rateLimitHeaders ? spec.rateLimitHeaders(budget, now) : {};

    if (budget && budget.remaining < 0) {
      const retryAfter = controls.retryAfterSeconds ?? Math.max(1, Math.ceil((budget.resetAt - now) / 1000));
      const limited = spec.errorResponse(429, request);
      return { ...limited, headers: { ...limited.headers, ...limitHeaders, 'retry-after': String(retryAfter) } };
    }
    if (request.headers.authorization !== `Bearer ${spec.token}`) {
      return withHeaders(spec.errorResponse(401, request), limitHeaders);
    }
    if (this.crafted !== null) {
      const body = this.crafted;
      this.crafted = null;
      return withHeaders({ status: 200, body }, limitHeaders);
    }
    if (controls.failStatus !== null && (this.failuresLeft === null || this.failuresLeft > 0)) {
      if (this.failuresLeft !== null) this.failuresLeft -= 1;
      const failure = spec.errorResponse(controls.failStatus, request);
      const retryAfter: Record<string, string> =
        controls.failStatus === 429 ? { 'retry-after': String(controls.retryAfterSeconds ?? 1) } : {};
      return withHeaders(failure, { ...limitHeaders, ...retryAfter });
    }
    const response = spec.handle(request, this.store) ?? spec.errorResponse(404, request);
    if (response.status >= 200 && response.status < 300 && controls.malformed !== null) {
      return withHeaders(this.malform(response, controls.malformed), limitHeaders);
    }
    return withHeaders(response, limitHeaders);
  }

  private synthesizer(on: boolean): TicketStore<T>['fallback'] {
    const { template } = this;
    const rekey = this.spec.rekey;
    if (!on) return null;
    if (template === undefined || !rekey) throw new Error(`the ${this.spec.provider} simulator cannot synthesize tickets`);
    return (key) => rekey(template, key);
  }

  /** Spends one request from the rate-limit window; remaining < 0 means over the limit. */
  private spend(now: number): RateLimitState | null {
    const limit = this.controls.rateLimit;
    if (!limit) return null;
    if (!this.window || now >= this.window.resetAt) {
      this.window = { limit: limit.limit, remaining: limit.limit, resetAt: now + limit.windowSeconds * 1000 };
    }
    this.window.remaining -= 1;
    return { ...this.window, remaining: this.window.remaining };
  }

  private malform(response: SimResponse, mode: MalformedMode): SimResponse {
    switch (mode) {
      case 'not-json':
        return { ...response, body: '<html><body>502 Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } };
      case 'truncated':
        return { ...response, body: JSON.stringify(response.body).slice(0, 40) };
      case 'missing-field':
        return { ...response, body: this.spec.withoutRequiredField(structuredClone(response.body)) };
      case 'oversize':
        return { ...response, body: { ...(response.body as object), padding: 'x'.repeat(8 * 1024 * 1024) } };
    }
  }

  private write(res: ServerResponse, response: SimResponse): void {
    const body =
      response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      ...response.headers,
    };
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(response.status, headers);
    res.end(body);
  }

  private control(method: string, path: string, text: string, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (method === 'GET' && path === '/__sim/stats') return reply(200, this.stats_);
    if (method === 'POST' && path === '/__sim/reset') {
      this.reset();
      return reply(200, { ok: true });
    }
    if (method === 'POST' && path === '/__sim/reset-stats') {
      this.resetStats();
      return reply(200, { ok: true });
    }
    if (method === 'PUT' && path === '/__sim/controls') {
      try {
        this.setControls(parseJson(text) as Partial<SimulatorControls>);
      } catch (error) {
        return reply(400, { error: (error as Error).message });
      }
      return reply(200, this.controls);
    }
    if (method === 'PUT' && path === '/__sim/crafted') {
      this.answerNextWith(text);
      return reply(200, { bytes: Buffer.byteLength(text) });
    }
    if (method === 'PUT' && path === '/__sim/tickets') {
      const tickets = parseJson(text);
      if (!Array.isArray(tickets)) return reply(400, { error: 'expected an array of tickets' });
      for (const ticket of tickets) this.store.add(ticket as T);
      return reply(200, { added: tickets.length });
    }
    return reply(404, { error: 'unknown simulator control' });
  }
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return Object.keys(headers).length === 0 ? response : { ...response, headers: { ...response.headers, ...headers } };
}

function emptyStats(): SimulatorStats {
  return { requests: 0, inFlight: 0, maxInFlight: 0, byPath: {}, byStatus: {} };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
