/**
 * The shape every governance policy shares, so a provider's gate is one line of composition
 * (`compose(cooldown, breaker, bulkhead, budget, breaker.recheck, timeLeft)`): each policy gets
 * the call and the rest of the chain, may refuse before it, wait, and see how it ended.
 */
import { DeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import { wholeSecondsUntil } from '../transport/rate-limit-headers.js';

/** One vendor call on its way through the policies. */
export interface GuardedCall {
  readonly provider: Provider;
  /** The caller's whole-call deadline: bounds every wait. */
  readonly signal: AbortSignal;
  /** Epoch ms when the caller's time is up. */
  readonly deadlineAt: number;
  /** Epoch ms until which the call may wait for a slot and a token (`queueTimeoutMs`). */
  readonly waitUntil: number;
  /** Set by the breaker: this call is the half-open probe. */
  probe: boolean;
  /** Set just before the task starts: the vendor is being asked (outcomes feed the breaker). */
  sent: boolean;
}

export interface Policy {
  run<T>(call: GuardedCall, next: () => Promise<T>): Promise<T>;
}

/** Chains policies, the first outermost, around the task. */
export function compose(...policies: Policy[]): <T>(call: GuardedCall, task: () => Promise<T>) => Promise<T> {
  return <T>(call: GuardedCall, task: () => Promise<T>): Promise<T> => {
    const step = (index: number): Promise<T> => {
      const policy = policies[index];
      if (!policy) {
        call.sent = true;
        return task();
      }
      return policy.run(call, () => step(index + 1));
    };
    return step(0);
  };
}

/** RATE_LIMITED raised by DeskGraph itself, to stay within a vendor's limits. */
export function holdBackError(provider: Provider, why: string, waitMs = 1000): DeskGraphError {
  return new DeskGraphError('RATE_LIMITED', `DeskGraph is holding back requests to ${provider} to stay within its limits: ${why}.`, {
    provider,
    retryAfterSeconds: wholeSecondsUntil(waitMs, 0),
  });
}

/** Refuses to start a vendor call with less than `minMs` of the caller's time left. */
export function timeLeft(minMs: number, now: () => number): Policy {
  return {
    run(call, next) {
      if (call.signal.aborted) return Promise.reject(holdBackError(call.provider, 'the request ran out of time waiting for its turn'));
      const left = call.deadlineAt - now();
      if (left < minMs) {
        return Promise.reject(holdBackError(call.provider, `only ${Math.max(0, Math.round(left))} ms were left to ask it, too little to finish`));
      }
      return next();
    },
  };
}
