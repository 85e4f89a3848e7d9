/**
 * The vendor budget as a policy: DeskGraph's own token bucket (`requestsPerSecond`, `burst`) and
 * the vendor's "do not call before" (a 429's `Retry-After`, or `X-RateLimit-Remaining: 0` until
 * its reset), both kept in a `BudgetStore` — this replica's memory, or Redis shared by all.
 *
 * - `observe` reads every vendor answer's rate-limit headers (the transport's budget interceptor
 *   calls it) and pauses the provider: one atomic store call that never shortens a longer pause;
 * - `cooldown` (first in the chain) refuses at once while a pause this replica knows of runs,
 *   without a store round trip;
 * - `run` (after the slot) is ONE `admit` per attempt: cooldown check and token take together,
 *   waiting for a token within the call's wait budget.
 *
 * A store failure (`StoreError`) never fails a call: it is reported and the call is admitted by
 * a local bucket with the `fallback` rule (conservative: a share of the shared budget).
 */
import { DeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import { MemoryBudgetStore } from '../stores/memory-budget-store.js';
import { isStoreError, StoreError, type BudgetRule, type BudgetStore } from '../stores/types.js';
import { cooldownDeadline, rateLimitSnapshot, wholeSecondsUntil, type HeaderProblem, type VendorHeaders } from '../transport/rate-limit-headers.js';
import { holdBackError, type GuardedCall, type Policy } from './policy.js';
import { sleep } from './timers.js';

export interface BudgetOptions {
  provider: Provider;
  store: BudgetStore;
  rule: BudgetRule;
  /** The rule of the local bucket used while `store` fails. @default rule */
  fallbackRule?: BudgetRule | undefined;
  /** Told of every store failure (metrics, one warning per outage). */
  onStoreError?: ((error: StoreError) => void) | undefined;
  /** Told when a pause starts, with its end (epoch ms): the bulkhead turns its queue away. */
  onPause?: ((error: DeskGraphError) => void) | undefined;
  /** The longest pause a vendor's headers may impose, in ms (`maxCooldownSeconds`). @default one hour */
  maxCooldownMs?: number | undefined;
  /** Told of each nonsense rate-limit header value (negative, unreadable, too long). */
  onHeaderProblem?: ((problem: HeaderProblem) => void) | undefined;
  now: () => number;
}

/** What the vendor last said about its budget. */
export interface VendorBudget {
  limit: number | null;
  remaining: number | null;
  /** Epoch ms. */
  resetAt: number | null;
}

export interface BudgetState {
  /** Epoch ms before which no request goes to the vendor. */
  cooldownUntil: number | null;
  tokens: number;
  /** Calls holding a slot while they wait for a token. */
  waiting: number;
  vendor: VendorBudget | null;
}

export class Budget implements Policy {
  private readonly options: BudgetOptions;
  private readonly local: MemoryBudgetStore;
  private readonly fallbackRule: BudgetRule;
  /** The latest pause this replica knows of (from answers or refusals): epoch ms, own clock. */
  private knownPauseUntil = 0;
  private waitingForToken = 0;
  private vendor: VendorBudget | null = null;

  /** First in the chain: refuses at once during a known pause, before the call takes a place in the queue. */
  readonly cooldown: Policy = {
    run: async (_call, next) => {
      const now = this.options.now();
      if (this.knownPauseUntil > now) throw this.cooldownError(this.knownPauseUntil, now);
      return next();
    },
  };

  constructor(options: BudgetOptions) {
    this.options = options;
    this.fallbackRule = options.fallbackRule ?? options.rule;
    this.local = new MemoryBudgetStore({ now: options.now });
  }

  async run<T>(call: GuardedCall, next: () => Promise<T>): Promise<T> {
    const { provider, rule, now } = this.options;
    for (;;) {
      const admission = await this.admit();
      if (admission.admitted) return next();
      if (admission.reason === 'cooldown') {
        const until = now() + admission.retryAfterMs;
        this.knownPauseUntil = Math.max(this.knownPauseUntil, until);
        throw this.cooldownError(until, now());
      }
      const waitMs = admission.retryAfterMs;
      if (now() + waitMs > call.waitUntil) {
        throw holdBackError(provider, `the budget of ${rule.ratePerSecond} requests per second is spent`, waitMs);
      }
      this.waitingForToken += 1;
      try {
        await sleep(waitMs, call.signal);
      } finally {
        this.waitingForToken -= 1;
      }
      if (call.signal.aborted) throw holdBackError(provider, 'the request ran out of time waiting for its turn');
    }
  }

  /** Reads one vendor answer's rate-limit headers (any status). */
  observe(status: number, headers: VendorHeaders): void {
    const { now, provider } = this.options;
    const at = now();
    const { maxCooldownMs, onHeaderProblem } = this.options;
    // cooldownDeadline reads every header (and reports its problems); the snapshot stays quiet.
    const until = cooldownDeadline(status, headers, at, { maxCooldownMs, onProblem: onHeaderProblem });
    const snapshot = rateLimitSnapshot(headers, at, { maxCooldownMs });
    if (snapshot) this.vendor = snapshot;
    if (until === undefined || until <= at) return;
    const ms = until - at;
    this.knownPauseUntil = Math.max(this.knownPauseUntil, until);
    // Always locally too, so the fallback bucket knows of the pause should the store fail later.
    this.local.pauseNow(provider, ms);
    if (this.options.store !== this.local) {
      this.options.store.pause(provider, ms).catch((error: unknown) => this.storeFailed(error));
    }
    this.options.onPause?.(this.cooldownError(until, at));
  }

  async state(): Promise<BudgetState> {
    const { store, provider, rule, now } = this.options;
    let peek;
    try {
      peek = await store.peek(provider, rule);
    } catch (error) {
      this.storeFailed(error);
      peek = this.local.peekNow(provider, this.fallbackRule);
    }
    const at = now();
    const shared = peek.cooldownMs > 0 ? at + peek.cooldownMs : 0;
    const known = this.knownPauseUntil > at ? this.knownPauseUntil : 0;
    const until = Math.max(shared, known);
    return { cooldownUntil: until > 0 ? until : null, tokens: peek.tokens, waiting: this.waitingForToken, vendor: this.vendor };
  }

  private async admit() {
    const { store, provider, rule } = this.options;
    try {
      return await store.admit(provider, rule);
    } catch (error) {
      this.storeFailed(error);
      return this.local.admitNow(provider, this.fallbackRule);
    }
  }

  private storeFailed(error: unknown): void {
    // A store that breaks its contract (a raw client error) is still only a store failure here.
    const failure = isStoreError(error) ? error : new StoreError('STORE_UNAVAILABLE', 'budget', 'the budget store failed', { cause: error });
    this.options.onStoreError?.(failure);
  }

  private cooldownError(until: number, now: number): DeskGraphError {
    const retryAfterSeconds = wholeSecondsUntil(until, now);
    return new DeskGraphError(
      'RATE_LIMITED',
      `${this.options.provider} asked DeskGraph to pause; it is called again in ${retryAfterSeconds}s.`,
      { provider: this.options.provider, retryAfterSeconds },
    );
  }
}
