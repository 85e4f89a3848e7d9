/**
 * The door to one vendor: every upstream request passes `ProviderGate.run`, which keeps the
 * company's key out of trouble and callers out of a dead vendor's way. It is the policies of
 * this folder in one chain, outermost first:
 *
 *   known cooldown → breaker → bulkhead (slot, FIFO queue) → budget (one atomic admit: shared
 *   cooldown + token) → breaker again (the circuit may have opened while the call queued) →
 *   enough time left → the task.
 *
 * A call whose caller gives up (its deadline passed) is answered at once, but the task keeps its
 * slot for up to `lingerMs` more — the vendor is still working on it — and then its signal aborts
 * (the connection closes). So the vendor never sees more than `maxConcurrency` calls from this
 * replica, even while it times out.
 *
 * Time comes from `setTimeout` and `now()`, so tests drive it with fake timers.
 */
import { DeskGraphError, isDeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import type { BudgetRule, BudgetStore, StoreError } from '../stores/types.js';
import { DEFAULT_MAX_COOLDOWN_MS, type HeaderProblem, type VendorHeaders } from '../transport/rate-limit-headers.js';
import type { CircuitState } from '../domain/provider-status.js';
import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import { Budget, type VendorBudget } from './budget.js';
import { Bulkhead } from './bulkhead.js';
import { compose, timeLeft, type GuardedCall } from './policy.js';

export type { BreakerOptions } from './breaker.js';
export type { VendorBudget } from './budget.js';

export interface ProviderGateOptions {
  provider: Provider;
  store: BudgetStore;
  bucket: BudgetRule;
  /** The local bucket's rule while `store` fails. @default bucket */
  fallbackBucket?: BudgetRule | undefined;
  /** Calls holding a slot at once, on this replica. */
  maxConcurrency: number;
  /** Requests that may wait for a free slot; more fail at once as RATE_LIMITED. */
  maxQueue: number;
  /** Longest wait for a slot and a token before failing as RATE_LIMITED. */
  queueTimeoutMs: number;
  breaker: BreakerOptions;
  /** How long an abandoned call may still run, holding its slot, before it is aborted. @default 5000 */
  lingerMs?: number | undefined;
  /** Least time left, when a call leaves the queue, for it to be sent at all. @default 50 */
  minCallMs?: number | undefined;
  /** Told when the budget store fails (a shared store may be unreachable). */
  onStoreError?: ((error: StoreError) => void) | undefined;
  /** The longest pause a vendor's headers may impose, in ms (`maxCooldownSeconds`). @default one hour */
  maxCooldownMs?: number | undefined;
  /** Told of each nonsense rate-limit header value. */
  onHeaderProblem?: ((problem: HeaderProblem) => void) | undefined;
  /** Clock. @default Date.now */
  now?: () => number;
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

export interface RunOptions {
  /** Epoch ms when the caller's time is up (the signal aborts then). @default no deadline */
  deadlineAt?: number | undefined;
}

export class ProviderGate {
  readonly provider: Provider;
  /** Least time left for a call to be sent (retries use it too: no retry that could not finish). */
  readonly minCallMs: number;
  private readonly now: () => number;
  private readonly breaker: CircuitBreaker;
  private readonly bulkhead: Bulkhead;
  private readonly budget: Budget;
  private readonly chain: <T>(call: GuardedCall, task: () => Promise<T>) => Promise<T>;
  private readonly queueTimeoutMs: number;
  private readonly lingerMs: number;
  private readonly maxCooldownSeconds: number;

  constructor(options: ProviderGateOptions) {
    const now = options.now ?? (() => Date.now());
    const { provider } = options;
    this.provider = provider;
    this.now = now;
    this.queueTimeoutMs = options.queueTimeoutMs;
    this.lingerMs = options.lingerMs ?? 5000;
    this.minCallMs = options.minCallMs ?? 50;
    this.breaker = new CircuitBreaker(provider, options.breaker, now);
    this.bulkhead = new Bulkhead(provider, options, now);
    this.budget = new Budget({
      provider,
      store: options.store,
      rule: options.bucket,
      fallbackRule: options.fallbackBucket,
      onStoreError: options.onStoreError,
      onPause: (error) => this.bulkhead.rejectWaiting(error),
      maxCooldownMs: options.maxCooldownMs,
      onHeaderProblem: options.onHeaderProblem,
      now,
    });
    this.maxCooldownSeconds = Math.ceil((options.maxCooldownMs ?? DEFAULT_MAX_COOLDOWN_MS) / 1000);
    const { budget, breaker, bulkhead } = this;
    this.chain = compose(budget.cooldown, breaker, bulkhead, budget, breaker.recheck, timeLeft(this.minCallMs, now));
  }

  /**
   * Runs one vendor request through the gate. `signal` is the caller's whole-call deadline; the
   * task gets its own signal, which aborts `lingerMs` after the caller's (see above).
   */
  run<T>(signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const now = this.now();
    const call: GuardedCall = {
      provider: this.provider,
      signal,
      deadlineAt: options.deadlineAt ?? Number.POSITIVE_INFINITY,
      waitUntil: now + this.queueTimeoutMs,
      probe: false,
      sent: false,
    };
    const exchange = new AbortController();
    let linger: ReturnType<typeof setTimeout> | undefined;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // Before the call was sent, the policies answer the caller themselves.
        if (!call.sent) return;
        reject(this.abandonedError(signal.reason));
        linger = setTimeout(() => exchange.abort(signal.reason), this.lingerMs);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.chain(call, () => task(exchange.signal))
        .then(resolve, (error: unknown) => reject(this.withinMaxCooldown(error)))
        .finally(() => {
          signal.removeEventListener('abort', onAbort);
          clearTimeout(linger);
        });
    });
  }

  /** A connector's RATE_LIMITED read its wait from the vendor's headers: cut to the longest pause. */
  private withinMaxCooldown(error: unknown): unknown {
    const max = this.maxCooldownSeconds;
    if (!isDeskGraphError(error) || error.retryAfterSeconds === undefined || error.retryAfterSeconds <= max) return error;
    return new DeskGraphError(error.code, error.message.replace(/in \d+s\b/, `in ${max}s`), {
      provider: error.provider,
      ref: error.ref,
      retryAfterSeconds: max,
      upstreamStatus: error.upstreamStatus,
      retryable: error.retryable,
      cause: error.cause,
    });
  }

  /** Reads a vendor answer's rate-limit headers (the transport's budget interceptor calls this). */
  observe(status: number, headers: VendorHeaders): void {
    this.budget.observe(status, headers);
  }

  async state(): Promise<GateState> {
    const budget = await this.budget.state();
    const breaker = this.breaker.state();
    return {
      circuit: breaker.circuit,
      consecutiveFailures: breaker.consecutiveFailures,
      circuitOpenUntil: breaker.openUntil,
      cooldownUntil: budget.cooldownUntil,
      tokens: budget.tokens,
      inFlight: this.bulkhead.inFlight - budget.waiting,
      queued: this.bulkhead.queued + budget.waiting,
      vendor: budget.vendor,
    };
  }

  private abandonedError(reason: unknown): DeskGraphError {
    return new DeskGraphError('UPSTREAM_UNAVAILABLE', `${this.provider} did not answer in time.`, {
      provider: this.provider,
      cause: reason,
    });
  }
}
