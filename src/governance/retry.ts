/**
 * Retries for idempotent reads: only failures the vendor may not repeat (a dropped connection,
 * 502/503/504, marked `retryable` where they are raised), never other statuses, never past the
 * caller's deadline. Backoff is exponential with full jitter (AWS Architecture Blog,
 * "Exponential Backoff and Jitter"), so replicas retrying at once do not stampede the vendor.
 */
import { isDeskGraphError } from '../domain/errors.js';
import { noteVendorRetry } from '../telemetry/vendor-span.js';
import { sleep } from './timers.js';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Backoff cap for the first retry; doubles each retry. */
  baseDelayMs: number;
  /** Largest single backoff. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 2, baseDelayMs: 100, maxDelayMs: 1000 };

export interface RetryOptions {
  policy: RetryPolicy;
  /** The whole call's deadline: no retry starts whose backoff would end past it. */
  signal: AbortSignal;
  deadlineAt: number;
  /** Least time an attempt needs: no retry starts with less left after its backoff. @default 0 */
  minAttemptMs?: number;
  now?: () => number;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal, deadlineAt } = options;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= policy.retries || signal.aborted || !isDeskGraphError(error) || !error.retryable) throw error;
      const delay = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
      if (now() + delay + (options.minAttemptMs ?? 0) >= deadlineAt) throw error;
      if (delay > 0) await sleep(delay, signal);
      if (signal.aborted) throw error;
      noteVendorRetry();
    }
  }
}
