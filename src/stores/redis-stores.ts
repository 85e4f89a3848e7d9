/**
 * The shared-state stores of one replica, from the `redis` settings: one connection pair, the
 * ticket store (this replica's memory tier in front of Redis), the budget, the flight
 * coordinator and the change feed, with the connection as the `SharedStateMonitor` that
 * `providers` and `/metrics` read.
 */
import type { RedisConfig } from '../config/schema.js';
import type { Logger } from '../telemetry/logger.js';
import { localShare, RedisBudgetStore } from './redis-budget.js';
import { createValueCodec, parseEncryptionKey } from './redis-codec.js';
import { RedisConnection } from './redis-connection.js';
import { RedisChangeFeed } from './redis-feed.js';
import { RedisFlightCoordinator } from './redis-flight.js';
import { RedisTicketStore } from './redis-ticket-store.js';
import type { BudgetRule, LocalTicketStore, SharedStateMonitor, StoreError } from './types.js';

export interface RedisStores {
  cache: RedisTicketStore;
  budget: RedisBudgetStore;
  flights: RedisFlightCoordinator;
  changes: RedisChangeFeed;
  sharedState: SharedStateMonitor;
  /** `redis.replicas`. */
  replicas: number;
  /** The local bucket a provider falls back to while Redis is unreachable. */
  fallbackBucket(rule: BudgetRule): BudgetRule;
  /** Hears the failures the stores absorbed themselves (lookups answered locally, waits cut short). */
  onAbsorbedFailure(listener: (error: StoreError) => void): () => void;
  /** Waits up to `ms` for the first connection (a gateway serves without it after that). */
  ready(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export function createRedisStores(config: RedisConfig, local: LocalTicketStore, logger: Logger): RedisStores {
  const connection = new RedisConnection({
    url: config.url,
    username: config.username,
    password: config.password,
    keyPrefix: config.keyPrefix,
    commandTimeoutMs: config.commandTimeoutMs,
    tls: config.tls,
    logger,
  });
  const key = config.encryptionKey === undefined ? undefined : parseEncryptionKey(config.encryptionKey);
  const changes = new RedisChangeFeed(connection);
  const cache = new RedisTicketStore({ connection, local, codec: createValueCodec(key), feed: changes });
  const flights = new RedisFlightCoordinator(connection);
  return {
    cache,
    budget: new RedisBudgetStore(connection),
    flights,
    changes,
    sharedState: connection,
    replicas: config.replicas,
    fallbackBucket: (rule) => localShare(rule, config.replicas),
    onAbsorbedFailure: (listener) => connection.onAbsorbedFailure(listener),
    ready: (ms) => connection.ready(ms),
    async close() {
      cache.close();
      flights.close();
      changes.close();
      await connection.close();
    },
  };
}
