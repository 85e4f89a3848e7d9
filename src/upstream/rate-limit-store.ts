/**
 * Where a provider's vendor budget lives: its token bucket and its cooldown (a vendor's "do not
 * call before"). `ProviderGate` only talks to this interface, so a shared store (Redis) lets
 * many replicas spend one vendor budget; `MemoryRateLimitStore` is the single-process one.
 *
 * The concurrency cap is deliberately not here: in-flight requests belong to one process.
 */
import type { Provider } from '../domain/provider.js';

export interface TokenBucket {
  /** Tokens added per second (sustained requests per second). */
  ratePerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet spell. */
  burst: number;
}

export interface RateLimitStore {
  /**
   * Takes one token from the provider's bucket. Resolves 0 when a token was taken; otherwise the
   * milliseconds until one will be available, and nothing is taken.
   */
  take(provider: Provider, bucket: TokenBucket, now: number): Promise<number>;
  /** Tokens in the bucket now, for `providers` and metrics (nothing is taken). */
  tokens(provider: Provider, bucket: TokenBucket, now: number): Promise<number>;
  /** Epoch ms before which the vendor must not be called, if a cooldown is running. */
  cooldownUntil(provider: Provider, now: number): Promise<number | undefined>;
  /** Starts or extends a cooldown; a shorter deadline never cuts a running one short. */
  startCooldown(provider: Provider, until: number): Promise<void>;
}

interface BucketState {
  tokens: number;
  at: number;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<Provider, BucketState>();
  private readonly cooldowns = new Map<Provider, number>();

  async take(provider: Provider, bucket: TokenBucket, now: number): Promise<number> {
    const state = this.refill(provider, bucket, now);
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - state.tokens) / bucket.ratePerSecond) * 1000);
  }

  async tokens(provider: Provider, bucket: TokenBucket, now: number): Promise<number> {
    return this.refill(provider, bucket, now).tokens;
  }

  async cooldownUntil(provider: Provider, now: number): Promise<number | undefined> {
    const until = this.cooldowns.get(provider);
    if (until === undefined || until > now) return until;
    this.cooldowns.delete(provider);
    return undefined;
  }

  async startCooldown(provider: Provider, until: number): Promise<void> {
    this.cooldowns.set(provider, Math.max(until, this.cooldowns.get(provider) ?? 0));
  }

  private refill(provider: Provider, bucket: TokenBucket, now: number): BucketState {
    let state = this.buckets.get(provider);
    if (!state) {
      state = { tokens: bucket.burst, at: now };
      this.buckets.set(provider, state);
    }
    const elapsedSeconds = Math.max(0, now - state.at) / 1000;
    state.tokens = Math.min(bucket.burst, state.tokens + elapsedSeconds * bucket.ratePerSecond);
    state.at = now;
    return state;
  }
}
