/**
 * Single flight within one process (`FlightCoordinator`): the first caller of a key leads for at
 * most its lease's ttl; the others wait for its release or the lease's end. `TicketService`
 * already joins concurrent reads in process, so on one replica this only backs the same code path
 * the shared (Redis) lease takes; tests also share one instance between two services to stand in
 * for two replicas.
 */
import type { FlightCoordinator, Lease } from './types.js';

type Outcome = 'filled' | 'expired';

interface Held {
  timer: ReturnType<typeof setTimeout>;
  waiters: Set<(outcome: Outcome) => void>;
}

export class MemoryFlightCoordinator implements FlightCoordinator {
  private readonly held = new Map<string, Held>();

  async lead(key: string, ttlMs: number): Promise<Lease | undefined> {
    if (this.held.has(key)) return undefined;
    const held: Held = {
      // A leader that never releases (a bug, a hung task) frees the key when its lease ends.
      timer: setTimeout(() => this.end(key, held, 'expired'), Math.max(1, ttlMs)),
      waiters: new Set(),
    };
    held.timer.unref?.();
    this.held.set(key, held);
    return {
      release: async (outcome) => this.end(key, held, outcome === 'filled' ? 'filled' : 'expired'),
    };
  }

  awaitFill(key: string, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    const held = this.held.get(key);
    // No leader (it finished in between): the caller looks at the cache again.
    if (!held || signal?.aborted) return Promise.resolve('expired');
    return new Promise((resolve) => {
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        held.waiters.delete(done);
        resolve(outcome);
      };
      const onAbort = () => done('expired');
      const timer = setTimeout(() => done('expired'), Math.max(0, timeoutMs));
      signal?.addEventListener('abort', onAbort, { once: true });
      held.waiters.add(done);
    });
  }

  /** Keys with a leader now (for tests and diagnostics). */
  get size(): number {
    return this.held.size;
  }

  private end(key: string, held: Held, outcome: Outcome): void {
    if (this.held.get(key) !== held) return;
    clearTimeout(held.timer);
    this.held.delete(key);
    for (const waiter of [...held.waiters]) waiter(outcome);
  }
}
