/**
 * Change notices within one process (`ChangeFeed`). On one replica nobody else holds a local copy,
 * so publishing tells no one; feeds created on one `hub` stand in for several replicas in tests
 * (each hears the others, never itself, as the Redis feed behaves).
 */
import type { Provider } from '../domain/provider.js';
import type { ChangeFeed, SharedStateMonitor, SharedStateStatus } from './types.js';

type Listener = (provider: Provider, nativeId: string) => void;

export class MemoryChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<Listener>();

  constructor(private readonly hub: Set<MemoryChangeFeed> = new Set()) {
    hub.add(this);
  }

  async publish(provider: Provider, nativeId: string): Promise<void> {
    for (const feed of this.hub) if (feed !== this) feed.deliver(provider, nativeId);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private deliver(provider: Provider, nativeId: string): void {
    for (const listener of [...this.listeners]) listener(provider, nativeId);
  }
}

/** The status of a replica without a shared store: always LOCAL. */
export function localSharedState(since = Date.now()): SharedStateMonitor {
  const status: SharedStateStatus = { mode: 'LOCAL', since, lastError: null };
  return { status: () => status };
}
