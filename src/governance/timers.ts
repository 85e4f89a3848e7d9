/**
 * Time for the upstream layer, built on the global `setTimeout` so that tests drive every wait
 * and deadline with fake timers (`AbortSignal.timeout` and `timers/promises` escape them).
 */

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks `signal.aborted`). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface Deadline {
  /** Aborts with a `TimeoutError` when the time is up. */
  signal: AbortSignal;
  /** Epoch ms when the time is up. */
  at: number;
  /** Stops the timer once the work is done. */
  clear(): void;
}

/** A whole-call budget: one signal shared by queueing, retries and every attempt. */
export function deadline(ms: number, now = Date.now()): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`the ${ms} ms budget ran out`, 'TimeoutError')),
    ms,
  );
  return { signal: controller.signal, at: now + ms, clear: () => clearTimeout(timer) };
}
