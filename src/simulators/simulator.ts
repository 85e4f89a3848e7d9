/**
 * The shared engine of the vendor simulators: what a vendor simulator defines (`VendorSpec`,
 * its published API over a `TicketStore`) and the `VendorSimulator` that serves it on loopback
 * with what tests, the demo and the benchmarks need to steer and observe it. This file only
 * wires the pieces, each in its own module:
 *
 * - `sim-server.ts`: the HTTP server, requests parsed into `SimRequest`, answers written;
 * - `control-api.ts`: the controls and counts over HTTP under `/__sim/` (never counted);
 * - `faults.ts`: the controls (latency, forced statuses, malformed bodies, a rate-limit budget,
 *   a crafted next answer) and their state;
 * - `stats.ts`: requests in total, by path and status, in flight and most in flight;
 * - `ticket-store.ts`: the tickets, and `synthesize`, which makes every well-formed ref one.
 *
 * In-process, the same controls and counts are `simulator.controls`, `setControls()` and
 * `simulator.stats`.
 */
import type { Server } from 'node:http';
import type { Provider } from '../domain/provider.js';
import { answerControl } from './control-api.js';
import { DEFAULT_CONTROLS, delay, Faults, type RateLimitState, type SimulatorControls } from './faults.js';
import { closeSim, listenSim, urlOf, type SimRequest, type SimResponse } from './sim-server.js';
import { RequestCounts, type SimulatorStats } from './stats.js';
import { synthesizer, TicketStore } from './ticket-store.js';

// The gateway's own tests import the simulator's public vocabulary from this module.
export type { MalformedMode, SimulatorControls } from './faults.js';
export type { SimulatorStats } from './stats.js';

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
   * The vendor's own 429, for a vendor that signals the pause otherwise than with `Retry-After`
   * (Intercom: `X-RateLimit-*` only). Given the seconds until requests are accepted again, and
   * the window when the `rateLimit` control is on. Absent: `errorResponse(429)` + `Retry-After`.
   */
  rateLimited?(request: SimRequest, retryAfterSeconds: number, budget: RateLimitState | null, now: number): SimResponse;
  /**
   * The rate-limit budget belongs to the credential (Intercom's is the app's): a request without
   * the valid token neither spends it nor carries its headers. @default false
   */
  budgetPerCredential?: boolean;
  /**
   * A copy of `template` that `keysOf` finds under `key` (a lookup key such as `number:1247`),
   * its ids and number rewritten to match; undefined when no ticket of this vendor has such a key.
   */
  rekey?(template: T, key: string): T | undefined;
  /** Forgets the spec's own state (a vendor-side rate-limit bucket) on `VendorSimulator.reset()`. */
  reset?(): void;
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
  private readonly counts = new RequestCounts();
  private readonly faults: Faults<T>;
  private server: Server | null = null;
  private readonly initialTickets: T[];
  private readonly template: T | undefined;

  constructor(options: VendorSimulatorOptions<T>) {
    this.spec = options.spec;
    this.initialTickets = options.tickets;
    this.template = options.template;
    this.faults = new Faults(options.spec);
    this.store = new TicketStore(options.spec.keysOf);
    for (const ticket of options.tickets) this.store.add(ticket);
    this.controls = { ...DEFAULT_CONTROLS };
    this.setControls(options.controls ?? {});
  }

  get stats(): SimulatorStats {
    return this.counts.snapshot();
  }

  /** Changes some controls; the failure count and rate-limit window restart. */
  setControls(changes: Partial<SimulatorControls>): void {
    const controls = { ...this.controls, ...changes };
    // Refused (thrown) before anything changes when the vendor cannot synthesize.
    this.store.fallback = controls.synthesize ? synthesizer(this.spec.provider, this.template, this.spec.rekey) : null;
    this.controls = controls;
    this.faults.restart(this.controls.failCount);
  }

  /** Back to the initial tickets, default controls and zero counts. */
  reset(): void {
    this.counts.reset();
    this.controls = { ...DEFAULT_CONTROLS };
    this.faults.clear();
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
    this.faults.answerNextWith(body);
  }

  resetStats(): void {
    this.counts.reset();
  }

  /** Starts listening; resolves to the base URL (e.g. `http://127.0.0.1:41234`). */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = await listenSim(
      {
        control: (method, path, text) => answerControl(this, method, path, text),
        vendor: (request, respond) => this.serve(request, respond),
      },
      port,
      host,
    );
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('simulator is not listening');
    return urlOf(this.server);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await closeSim(server);
  }

  /** One vendor request: counted, delayed, answered by the spec through the faults. */
  private async serve(request: SimRequest, respond: (response: SimResponse) => void): Promise<void> {
    const counted = this.counts.arrive(request.rawPath);
    try {
      if (this.controls.latencyMs > 0) await delay(this.controls.latencyMs);
      const response = this.faults.answer(
        request,
        this.controls,
        () => this.spec.handle(request, this.store) ?? this.spec.errorResponse(404, request),
      );
      counted.answered(response.status);
      respond(response);
    } finally {
      counted.leave();
    }
  }
}
