/**
 * The shared-state stores of one replica, from the `redis` settings: one connection pair, the
 * ticket store (local tier + Redis), the budget (Redis + local share), the flight coordinator
 * and the change feed, with the connection as the `SharedStateMonitor` that `providers` reads.
 */
import type { RedisConfig } from '../config/schema.js';
import type { Logger } from '../server/logger.js';
import { MemoryBudgetStore } from './memory-budget-store.js';
import { createValueCodec, parseEncryptionKey } from './redis-codec.js';
import { RedisBudgetStore } from './redis-budget.js';
import { RedisConnection, type StoreCounters } from './redis-connection.js';
import { RedisChangeFeed } from './redis-feed.js';
import { RedisFlightCoordinator } from './redis-flight.js';
import { RedisTicketStore } from './redis-ticket-store.js';
import type { LocalTicketStore, SharedStateMonitor } from './types.js';

export interface RedisStores {
  tickets: RedisTicketStore;
  budget: RedisBudgetStore;
  flight: RedisFlightCoordinator;
  feed: RedisChangeFeed;
  monitor: SharedStateMonitor;
  connection: RedisConnection;
  counters(): StoreCounters;
  /** Waits up to `ms` for the first connection (start-up serves without it after that). */
  ready(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export function createRedisStores(config: RedisConfig, local: LocalTicketStore, logger: Logger): RedisStores {
  const connection = new RedisConnection({
    url: config.url,
    keyPrefix: config.keyPrefix,
    commandTimeoutMs: config.commandTimeoutMs,
    tls: config.tls,
    logger,
  });
  const key = config.encryptionKey === undefined ? undefined : parseEncryptionKey(config.encryptionKey);
  const feed = new RedisChangeFeed(connection);
  const tickets = new RedisTicketStore({ connection, local, codec: createValueCodec(key), feed });
  const budget = new RedisBudgetStore({ connection, local: new MemoryBudgetStore(), replicas: config.replicas });
  const flight = new RedisFlightCoordinator(connection);
  return {
    tickets,
    budget,
    flight,
    feed,
    monitor: connection,
    connection,
    counters: () => connection.storeCounters(),
    ready: (ms) => connection.ready(ms),
    async close() {
      tickets.close();
      flight.close();
      feed.close();
      await connection.close();
    },
  };
}
