/**
 * The door to one vendor. Every upstream request passes `ProviderGate.run`, which keeps the
 * company's key out of trouble and callers out of a dead vendor's way:
 *
 * - cooldown: after a 429 (`Retry-After`, seconds or HTTP date) or a spent budget
 *   (`X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`), no request goes out until it ends;
 *   callers get RATE_LIMITED with `retryAfterSeconds` at once (the service may serve a stale copy);
 * - circuit breaker: after `failureThreshold` consecutive UPSTREAM_UNAVAILABLE outcomes the
 *   circuit opens for `openMs`; then one probe goes out (HALF_OPEN) and its outcome closes or
 *   reopens it. While open, callers get UPSTREAM_UNAVAILABLE at once;
 * - concurrency cap: at most `maxConcurrency` requests in flight; others wait in a FIFO queue of
 *   at most `maxQueue`, for at most `queueTimeoutMs`, then fail as RATE_LIMITED;
 * - token bucket: `requestsPerSecond` sustained, `burst` at once, kept in a `RateLimitStore`
 *   (shared by replicas when the store is).
 *
 * Time comes from `setTimeout` and `now()`, so tests drive it with fake timers.
 */
import { DeskGraphError, isDeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import { cooldownDeadline, rateLimitSnapshot, wholeSecondsUntil, type VendorHeaders } from './rate-limit-headers.js';
import type { RateLimitStore, TokenBucket } from './rate-limit-store.js';
import { sleep } from './timers.js';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerOptions {
  /** Consecutive UPSTREAM_UNAVAILABLE outcomes that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe is let through. */
  openMs: number;
}

export interface ProviderGateOptions {
  provider: Provider;
  store: RateLimitStore;
  bucket: TokenBucket;
  maxConcurrency: number;
  /** Requests that may wait for a free slot; more fail at once as RATE_LIMITED. */
  maxQueue: number;
  /** Longest wait for a slot and a token before failing as RATE_LIMITED. */
  queueTimeoutMs: number;
  breaker: BreakerOptions;
  /** Told when the store fails to record a cooldown (a shared store may be unreachable). */
  onStoreError?: ((error: unknown) => void) | undefined;
  /** Clock. @default Date.now */
  now?: () => number;
}

/** What the vendor last said about its budget. */
export interface VendorBudget {
  limit: number | null;
  remaining: number | null;
  /** Epoch ms. */
  resetAt: number | null;
}

export interface GateState {
  circuit: CircuitState;
  /** Consecutive failures counted towards opening the circuit. */
  consecutiveFailures: number;
  /** Epoch ms when an open circuit lets a probe through. */
  circuitOpenUntil: number | null;
  /** Epoch ms before which no request goes to the vendor. */
  cooldownUntil: number | null;
  tokens: number;
  inFlight: number;
  queued: number;
  vendor: VendorBudget | null;
}

interface Waiter {
  resolve(): void;
  reject(error: DeskGraphError): void;
}

export class ProviderGate {
  readonly provider: Provider;
  private readonly options: ProviderGateOptions;
  private readonly now: () => number;
  /** Slots taken: calls at the vendor, plus calls holding a slot while they wait for a token. */
  private inFlight = 0;
  private waitingForToken = 0;
  private readonly queue: Waiter[] = [];
  private circuit: CircuitState = 'CLOSED';
  private consecutiveFailures = 0;
  private openUntil = 0;
  private probing = false;
  private vendor: VendorBudget | null = null;

  constructor(options: ProviderGateOptions) {
    this.options = options;
    this.provider = options.provider;
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * Runs one vendor request through the gate. The task's DeskGraphError outcome feeds the
   * breaker; the signal (the caller's whole-call deadline) also bounds the wait for a slot.
   */
  async run<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await this.checkCooldown();
    const probe = this.admit();
    let release: (() => void) | undefined;
    let sent = false;
    try {
      release = await this.acquire(signal);
      // A cooldown may have started while this request waited.
      await this.checkCooldown();
      sent = true;
      const result = await task();
      this.record(probe, undefined);
      return result;
    } catch (error) {
      if (sent) this.record(probe, error);
      else if (probe) this.probing = false;
      throw error;
    } finally {
      release?.();
    }
  }

  /**
   * Reads a vendor answer's rate-limit headers (any status): a 429 or a spent budget starts a
   * cooldown, and the budget is kept for `providers`.
   */
  observe(status: number, headers: VendorHeaders): void {
    const now = this.now();
    const snapshot = rateLimitSnapshot(headers);
    if (snapshot) this.vendor = snapshot;
    const until = cooldownDeadline(status, headers, now);
    if (until !== undefined && until > now) {
      this.options.store.startCooldown(this.provider, until).catch((error: unknown) => this.options.onStoreError?.(error));
      this.rejectQueued(this.cooldownError(until, now));
    }
  }

  async state(): Promise<GateState> {
    const now = this.now();
    const { store, bucket } = this.options;
    const [cooldownUntil, tokens] = await Promise.all([
      store.cooldownUntil(this.provider, now),
      store.tokens(this.provider, bucket, now),
    ]);
    const open = this.circuit === 'OPEN' && now < this.openUntil;
    return {
      // An open circuit whose time is up lets the next request through as a probe.
      circuit: this.circuit === 'OPEN' && !open ? 'HALF_OPEN' : this.circuit,
      consecutiveFailures: this.consecutiveFailures,
      circuitOpenUntil: open ? this.openUntil : null,
      cooldownUntil: cooldownUntil ?? null,
      tokens,
      inFlight: this.inFlight - this.waitingForToken,
      queued: this.queue.length + this.waitingForToken,
      vendor: this.vendor,
    };
  }

  private async checkCooldown(): Promise<void> {
    const now = this.now();
    const until = await this.options.store.cooldownUntil(this.provider, now);
    if (until !== undefined) throw this.cooldownError(until, now);
  }

  /** Lets a request past the breaker; true when it is the half-open probe. */
  private admit(): boolean {
    if (this.circuit === 'CLOSED') return false;
    const now = this.now();
    if (this.circuit === 'OPEN' && now < this.openUntil) throw this.circuitOpenError(this.openUntil - now);
    if (this.probing) throw this.circuitOpenError(0);
    this.circuit = 'HALF_OPEN';
    this.probing = true;
    return true;
  }

  /** Feeds one vendor call's outcome to the breaker. */
  private record(probe: boolean, error: unknown): void {
    if (probe) this.probing = false;
    // Any answer, even a 4xx or a bad body, shows the vendor is alive; so does a bug of ours
    // (a non-DeskGraph error), which is no reason to stop calling the vendor.
    if (!isDeskGraphError(error) || error.code !== 'UPSTREAM_UNAVAILABLE') {
      this.consecutiveFailures = 0;
      this.circuit = 'CLOSED';
      return;
    }
    this.consecutiveFailures += 1;
    // A failed probe reopens the circuit, unless a call that started earlier has closed it since.
    if ((probe && this.circuit === 'HALF_OPEN') || this.consecutiveFailures >= this.options.breaker.failureThreshold) {
      this.circuit = 'OPEN';
      this.openUntil = this.now() + this.options.breaker.openMs;
    }
  }

  /** Waits for a concurrency slot, then a token; resolves to the slot's release. */
  private async acquire(signal: AbortSignal): Promise<() => void> {
    const deadline = this.now() + this.options.queueTimeoutMs;
    await this.takeSlot(signal, deadline);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.queue.shift()?.resolve();
    };
    try {
      await this.takeToken(signal, deadline);
      return release;
    } catch (error) {
      release();
      throw error;
    }
  }

  private takeSlot(signal: AbortSignal, deadline: number): Promise<void> {
    if (signal.aborted) return Promise.reject(this.busyError('the request ran out of time waiting for its turn'));
    if (this.inFlight < this.options.maxConcurrency && this.queue.length === 0) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(this.busyError(`${this.queue.length} requests are already waiting`));
    }
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
      };
      const waiter: Waiter = {
        // A slot is handed over from the request that released it: inFlight stays counted.
        resolve: () => {
          settle();
          this.inFlight += 1;
          resolve();
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(this.busyError('the request ran out of time waiting for a free slot'));
      const timer = setTimeout(
        () => waiter.reject(this.busyError(`no slot freed up within ${this.options.queueTimeoutMs} ms`)),
        Math.max(0, deadline - this.now()),
      );
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private async takeToken(signal: AbortSignal, deadline: number): Promise<void> {
    const { store, bucket } = this.options;
    for (;;) {
      const waitMs = await store.take(this.provider, bucket, this.now());
      if (waitMs === 0) return;
      if (this.now() + waitMs > deadline) {
        throw this.busyError(`the budget of ${bucket.ratePerSecond} requests per second is spent`, waitMs);
      }
      this.waitingForToken += 1;
      try {
        await sleep(waitMs, signal);
      } finally {
        this.waitingForToken -= 1;
      }
      if (signal.aborted) throw this.busyError('the request ran out of time waiting for its turn');
    }
  }

  private rejectQueued(error: DeskGraphError): void {
    for (const waiter of [...this.queue]) waiter.reject(error);
  }

  private cooldownError(until: number, now: number): DeskGraphError {
    const retryAfterSeconds = wholeSecondsUntil(until, now);
    return new DeskGraphError(
      'RATE_LIMITED',
      `${this.provider} asked DeskGraph to pause; it is called again in ${retryAfterSeconds}s.`,
      { provider: this.provider, retryAfterSeconds },
    );
  }

  private busyError(why: string, waitMs = 1000): DeskGraphError {
    return new DeskGraphError(
      'RATE_LIMITED',
      `DeskGraph is holding back requests to ${this.provider} to stay within its limits: ${why}.`,
      { provider: this.provider, retryAfterSeconds: wholeSecondsUntil(waitMs, 0) },
    );
  }

  private circuitOpenError(remainingMs: number): DeskGraphError {
    const when = remainingMs > 0 ? `it is tried again in ${Math.ceil(remainingMs / 1000)}s` : 'a probe request is under way';
    return new DeskGraphError(
      'UPSTREAM_UNAVAILABLE',
      `${this.provider} failed repeatedly, so DeskGraph stopped calling it for now; ${when}.`,
      { provider: this.provider },
    );
  }
}
