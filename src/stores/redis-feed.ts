/**
 * Change notices between replicas over Redis pub/sub (`<keyPrefix>change`): after
 * `refreshTicket` stored a new copy in Redis, every other replica evicts its local copy, so its
 * next read goes to Redis and finds the new one.
 *
 * A message is `<origin> <PROVIDER> <nativeId>`; `origin` is this process's random id, so a
 * replica ignores its own notices (its local tier already holds the new copy). Messages are
 * checked before use: anything else on the channel is dropped. Pub/sub is fire and forget:
 * a replica disconnected at that moment misses the notice, and its local copy lives at most
 * what was left of the shared entry's freshness (the local tier is never fresher).
 */
import { randomBytes } from 'node:crypto';
import { PROVIDERS, type Provider } from '../domain/provider.js';
import type { RedisConnection } from './redis-connection.js';
import type { ChangeFeed } from './types.js';

const MAX_MESSAGE_CHARS = 512;
const KNOWN: ReadonlySet<string> = new Set(PROVIDERS);

export class RedisChangeFeed implements ChangeFeed {
  private readonly connection: RedisConnection;
  private readonly channel: string;
  private readonly origin = randomBytes(9).toString('base64url');
  private readonly listeners = new Set<(provider: Provider, nativeId: string) => void>();
  private readonly onMessage: (channel: string, message: string) => void;

  constructor(connection: RedisConnection) {
    this.connection = connection;
    this.channel = connection.key('change');
    this.onMessage = (channel, message) => {
      if (channel !== this.channel || message.length > MAX_MESSAGE_CHARS) return;
      const first = message.indexOf(' ');
      const second = message.indexOf(' ', first + 1);
      if (first <= 0 || second <= first) return;
      const origin = message.slice(0, first);
      const provider = message.slice(first + 1, second);
      const nativeId = message.slice(second + 1);
      if (origin === this.origin || !KNOWN.has(provider) || nativeId === '') return;
      for (const listener of this.listeners) listener(provider as Provider, nativeId);
    };
    connection.subscriber.on('message', this.onMessage);
    connection.subscriber.subscribe(this.channel).catch(() => undefined);
  }

  async publish(provider: Provider, nativeId: string): Promise<void> {
    await this.connection.run('feed', (redis) => redis.publish(this.channel, `${this.origin} ${provider} ${nativeId}`));
  }

  subscribe(listener: (provider: Provider, nativeId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.connection.subscriber.off('message', this.onMessage);
    this.listeners.clear();
  }
}
