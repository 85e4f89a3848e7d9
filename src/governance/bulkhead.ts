/**
 * Concurrency cap (bulkhead): at most `maxConcurrency` calls hold a slot at once; others wait in
 * a FIFO queue of at most `maxQueue`, for at most `queueTimeoutMs` (and never past the caller's
 * deadline), then fail as RATE_LIMITED.
 *
 * The cap protects the vendor, so a slot is held until the call has really ended — its task has
 * settled, which for an HTTP exchange means its answer was read or its connection closed — not
 * when the caller stopped waiting (see `ProviderGate`'s `lingerMs`).
 */
import type { DeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import { holdBackError, type GuardedCall, type Policy } from './policy.js';

export interface BulkheadOptions {
  maxConcurrency: number;
  /** Calls that may wait for a free slot; more fail at once as RATE_LIMITED. */
  maxQueue: number;
  /** Longest wait for a slot (and a token after it: see `GuardedCall.waitUntil`), for messages. */
  queueTimeoutMs: number;
}

interface Waiter {
  resolve(): void;
  reject(error: DeskGraphError): void;
}

export class Bulkhead implements Policy {
  /** Slots taken. */
  private taken = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly provider: Provider,
    private readonly options: BulkheadOptions,
    private readonly now: () => number,
  ) {}

  async run<T>(call: GuardedCall, next: () => Promise<T>): Promise<T> {
    await this.acquire(call);
    try {
      return await next();
    } finally {
      this.taken -= 1;
      // The slot is handed over to the next waiter, which counts it again.
      this.queue.shift()?.resolve();
    }
  }

  /** Slots taken (calls at the vendor, or holding a slot while they wait for a token). */
  get inFlight(): number {
    return this.taken;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Turns away every waiting call (a cooldown has started: none of them may go). */
  rejectWaiting(error: DeskGraphError): void {
    for (const waiter of [...this.queue]) waiter.reject(error);
  }

  private acquire({ signal, waitUntil }: GuardedCall): Promise<void> {
    if (signal.aborted) return Promise.reject(holdBackError(this.provider, 'the request ran out of time waiting for its turn'));
    if (this.taken < this.options.maxConcurrency && this.queue.length === 0) {
      this.taken += 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(holdBackError(this.provider, `${this.queue.length} requests are already waiting`));
    }
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
      };
      const waiter: Waiter = {
        resolve: () => {
          settle();
          this.taken += 1;
          resolve();
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(holdBackError(this.provider, 'the request ran out of time waiting for a free slot'));
      const timer = setTimeout(
        () => waiter.reject(holdBackError(this.provider, `no slot freed up within ${this.options.queueTimeoutMs} ms`)),
        Math.max(0, waitUntil - this.now()),
      );
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }
}
