/**
 * What the simulator does to a vendor's answers on request, so tests and benchmarks can meet
 * what a real vendor does on a bad day: added latency, a rate-limit budget per window (answered
 * with the vendor's own 429 and rate-limit headers), forced error statuses for some or all
 * requests, malformed bodies, and a crafted body for the next answer. The controls are plain
 * data (`SimulatorControls`); `Faults` keeps the state they run down (the window, the failures
 * left, the crafted body) and applies them around the vendor's own answer.
 */
import type { SimRequest, SimResponse } from './sim-server.js';
import type { VendorSpec } from './simulator.js';

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
  /**
   * Seconds until a 429's pause ends, sent as `Retry-After` (or as the vendor says it: Intercom's
   * `X-RateLimit-Reset`); defaults to the time left in the window.
   */
  retryAfterSeconds: number | null;
  /**
   * Answer a ref the desk does not hold, when it is well formed, with a copy of the template
   * ticket re-keyed to it (not stored: the same ref gives the same ticket). @default false
   */
  synthesize: boolean;
}

export interface RateLimitState {
  limit: number;
  /** The window's length (the `rateLimit` control's). */
  windowSeconds: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
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

/** The `latencyMs` control's wait. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Faults<T> {
  private window: RateLimitState | null = null;
  private failuresLeft: number | null = null;
  /** A crafted answer body for the next authenticated request (`answerNextWith`). */
  private crafted: string | null = null;

  constructor(private readonly spec: VendorSpec<T>) {}

  /** New controls: the failure count and the rate-limit window start over. */
  restart(failCount: number | null): void {
    this.failuresLeft = failCount;
    this.window = null;
  }

  /** Forgets every fault in progress, the crafted body too. */
  clear(): void {
    this.failuresLeft = null;
    this.window = null;
    this.crafted = null;
  }

  /** Answers the next authenticated request with 200 and exactly `body`. */
  answerNextWith(body: string): void {
    this.crafted = body;
  }

  /**
   * The answer to `request` under `controls`, in the order a vendor decides: the budget is spent
   * (by every request, or with `budgetPerCredential` only by authenticated ones), then the
   * credential is checked, then the crafted body, forced failures and the vendor's own answer
   * (`vendorAnswer`), malformed if it succeeded. Once the budget is spent, the answer carries
   * the vendor's rate-limit headers, unless the vendor writes its own 429 (`spec.rateLimited`).
   */
  answer(request: SimRequest, controls: SimulatorControls, vendorAnswer: () => SimResponse): SimResponse {
    const { spec } = this;
    const now = Date.now();
    const authorized = request.headers.authorization === `Bearer ${spec.token}`;
    if (spec.budgetPerCredential && !authorized) return spec.errorResponse(401, request);
    const budget = this.spend(controls, now);
    const limitHeaders = budget && spec.rateLimitHeaders ? spec.rateLimitHeaders(budget, now) : {};

    if (budget && budget.remaining < 0) {
      const retryAfter = controls.retryAfterSeconds ?? Math.max(1, Math.ceil((budget.resetAt - now) / 1000));
      return this.tooManyRequests(request, retryAfter, budget, now, limitHeaders);
    }
    if (!authorized) {
      return withHeaders(spec.errorResponse(401, request), limitHeaders);
    }
    if (this.crafted !== null) {
      const body = this.crafted;
      this.crafted = null;
      return withHeaders({ status: 200, body }, limitHeaders);
    }
    if (controls.failStatus !== null && (this.failuresLeft === null || this.failuresLeft > 0)) {
      if (this.failuresLeft !== null) this.failuresLeft -= 1;
      if (controls.failStatus === 429) return this.tooManyRequests(request, controls.retryAfterSeconds ?? 1, budget, now, limitHeaders);
      return withHeaders(spec.errorResponse(controls.failStatus, request), limitHeaders);
    }
    const response = vendorAnswer();
    if (response.status >= 200 && response.status < 300 && controls.malformed !== null) {
      return withHeaders(this.malform(response, controls.malformed), limitHeaders);
    }
    return withHeaders(response, limitHeaders);
  }

  /** The vendor's 429: its own (`spec.rateLimited`), or its error body with `Retry-After`. */
  private tooManyRequests(
    request: SimRequest,
    retryAfter: number,
    budget: RateLimitState | null,
    now: number,
    limitHeaders: Record<string, string>,
  ): SimResponse {
    if (this.spec.rateLimited) return this.spec.rateLimited(request, retryAfter, budget, now);
    const limited = this.spec.errorResponse(429, request);
    return { ...limited, headers: { ...limited.headers, ...limitHeaders, 'retry-after': String(retryAfter) } };
  }

  /** Spends one request from the rate-limit window; remaining < 0 means over the limit. */
  private spend(controls: SimulatorControls, now: number): RateLimitState | null {
    const limit = controls.rateLimit;
    if (!limit) return null;
    if (!this.window || now >= this.window.resetAt) {
      this.window = { limit: limit.limit, windowSeconds: limit.windowSeconds, remaining: limit.limit, resetAt: now + limit.windowSeconds * 1000 };
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
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return Object.keys(headers).length === 0 ? response : { ...response, headers: { ...response.headers, ...headers } };
}
