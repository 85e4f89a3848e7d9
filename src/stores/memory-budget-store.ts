/**
 * One replica's vendor budget (`BudgetStore`): a token bucket and a cooldown ("do not call
 * before") per provider, in this process's memory. Each operation is synchronous underneath, so
 * `admit` (cooldown check + token take) is atomic, as the shared implementation must be too.
 *
 * The concurrency cap is deliberately not here: in-flight requests belong to one process.
 */
import type { Provider } from '../domain/provider.js';
import type { Admission, BudgetPeek, BudgetRule, BudgetStore } from './types.js';

export interface MemoryBudgetStoreOptions {
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface BucketState {
  tokens: number;
  at: number;
}

const ADMITTED: Admission = { admitted: true };

export class MemoryBudgetStore implements BudgetStore {
  private readonly buckets = new Map<Provider, BucketState>();
  /** Epoch ms (this process's clock) before which the provider is not called. */
  private readonly pausedUntil = new Map<Provider, number>();
  private readonly now: () => number;

  constructor(options: MemoryBudgetStoreOptions = {}) {
    this.now = options.now ?? (() => Date.now());
  }

  async admit(provider: Provider, rule: BudgetRule): Promise<Admission> {
    return this.admitNow(provider, rule);
  }

  /** `admit` without the promise (the fallback of a shared store uses it too). */
  admitNow(provider: Provider, rule: BudgetRule): Admission {
    const now = this.now();
    const cooldownMs = this.cooldownMs(provider, now);
    if (cooldownMs > 0) return { admitted: false, reason: 'cooldown', retryAfterMs: cooldownMs };
    const state = this.refill(provider, rule, now);
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return ADMITTED;
    }
    return { admitted: false, reason: 'tokens', retryAfterMs: Math.ceil(((1 - state.tokens) / rule.ratePerSecond) * 1000) };
  }

  async pause(provider: Provider, ms: number): Promise<void> {
    this.pauseNow(provider, ms);
  }

  pauseNow(provider: Provider, ms: number): void {
    if (!(ms > 0)) return;
    const until = this.now() + ms;
    this.pausedUntil.set(provider, Math.max(until, this.pausedUntil.get(provider) ?? 0));
  }

  async peek(provider: Provider, rule: BudgetRule): Promise<BudgetPeek> {
    return this.peekNow(provider, rule);
  }

  peekNow(provider: Provider, rule: BudgetRule): BudgetPeek {
    const now = this.now();
    return { cooldownMs: this.cooldownMs(provider, now), tokens: this.refill(provider, rule, now).tokens };
  }

  private cooldownMs(provider: Provider, now: number): number {
    const until = this.pausedUntil.get(provider);
    if (until === undefined) return 0;
    if (until > now) return until - now;
    this.pausedUntil.delete(provider);
    return 0;
  }

  private refill(provider: Provider, rule: BudgetRule, now: number): BucketState {
    let state = this.buckets.get(provider);
    if (!state) {
      state = { tokens: rule.burst, at: now };
      this.buckets.set(provider, state);
    }
    const elapsedSeconds = Math.max(0, now - state.at) / 1000;
    state.tokens = Math.min(rule.burst, state.tokens + elapsedSeconds * rule.ratePerSecond);
    state.at = now;
    return state;
  }
}
