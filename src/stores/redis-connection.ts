/**
 * The gateway's two connections to Redis (ioredis): one for commands, one subscribed to the
 * change and fill channels, and the one place that turns a Redis failure into a `StoreError`
 * and keeps the shared-state health (`providers`, `/metrics`, one warning per outage).
 *
 * Why these client settings:
 * - `commandTimeout` (`redis.commandTimeoutMs`): every command has its own short deadline, so a
 *   slow Redis costs a read that many milliseconds, never the vendor's `timeoutMs`;
 * - `enableOfflineQueue: false`: while disconnected, commands fail at once (the stores fall back
 *   to this replica's memory) instead of queueing behind a reconnect;
 * - `retryStrategy`: reconnect forever, backing off to 2 s, so an outage ends by itself;
 * - `enableAutoPipelining`: concurrent lookups share one write to the socket.
 *
 * The URL (it may hold a password) is never logged: `describeRedisUrl` shows host and port only.
 */
import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../telemetry/logger.js';
import { StoreError, type SharedStateMonitor, type SharedStateStatus, type StoreErrorCode, type StoreName } from './types.js';

export interface RedisTlsOptions {
  /** PEM file of the CA that signed the server's certificate. @default the system CAs */
  caFile?: string | undefined;
  /** Refuse a server whose certificate does not check out. @default true */
  rejectUnauthorized?: boolean | undefined;
  /** Name checked against the certificate. @default the URL's host */
  servername?: string | undefined;
}

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://`, with user and password if the server needs them. */
  url: string;
  /** Prefix of every key and channel this gateway uses. */
  keyPrefix: string;
  /** Override the URL's user and password. */
  username?: string | undefined;
  password?: string | undefined;
  /** Deadline of each Redis command. */
  commandTimeoutMs: number;
  /** For `rediss://` (or to force TLS on `redis://`). */
  tls?: RedisTlsOptions | undefined;
  logger: Logger;
}

/** While Redis times out on an open connection, how often one call probes it. */
const PROBE_INTERVAL_MS = 1000;
/**
 * How long commands must keep timing out, with no answer in time between them, before the
 * replica stops asking Redis. A command's deadline runs on this process's event loop, so a busy
 * moment (a burst of requests on a saturated CPU) can time out a handful of commands that Redis
 * answered at once: those fall back one by one, and sharing goes on.
 */
const SLOW_SPELL_MS = 1000;

type LinkState = 'CONNECTING' | 'CONNECTED' | 'UNAVAILABLE';

export class RedisConnection implements SharedStateMonitor {
  readonly client: Redis;
  readonly subscriber: Redis;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly where: string;
  private readonly logger: Logger;
  private state: LinkState = 'CONNECTING';
  private since = Date.now();
  private lastError: string | null = null;
  private readonly failureListeners = new Set<(error: StoreError) => void>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private closed = false;
  private nextProbeAt = 0;
  /** When the current run of timeouts began (no answer in time since); 0 when none. */
  private slowSince = 0;

  constructor(options: RedisConnectionOptions) {
    this.keyPrefix = options.keyPrefix;
    this.commandTimeoutMs = options.commandTimeoutMs;
    this.logger = options.logger;
    this.where = describeRedisUrl(options.url);
    const common: RedisOptions = {
      connectTimeout: Math.max(1000, options.commandTimeoutMs * 10),
      retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...tlsOptions(options),
    };
    this.client = new Redis(options.url, {
      ...common,
      commandTimeout: options.commandTimeoutMs,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
    });
    // The subscriber queues its SUBSCRIBEs until connected and resubscribes after a reconnect.
    this.subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true, autoResubscribe: true, maxRetriesPerRequest: null });

    this.client.on('ready', () => this.up());
    this.client.on('error', (error: Error) => this.down(codeOf(error), reasonOf(error)));
    // A close follows the error that caused it (refused, bad credentials): keep that cause.
    this.client.on('close', () => this.down('STORE_UNAVAILABLE', 'closed the connection', { keepCause: true }));
    // ioredis re-emits connection errors on every attempt; the client's handler keeps the count.
    this.subscriber.on('error', () => undefined);
    this.client.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
  }

  /** Resolves when connected, or after `ms` (start-up does not wait longer for Redis). */
  async ready(ms: number): Promise<boolean> {
    if (this.state === 'CONNECTED') return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), ms);
      const listener = (state: LinkState) => {
        if (state === 'CONNECTED') done(true);
      };
      const done = (connected: boolean) => {
        clearTimeout(timer);
        this.stateListeners.delete(listener);
        resolve(connected);
      };
      this.stateListeners.add(listener);
    });
  }

  /** For `providers`: SHARED while Redis answers, DEGRADED (local fallback) while it does not. */
  status(): SharedStateStatus {
    // Still connecting at start-up: nothing is shared yet, and the stores fall back.
    const mode = this.state === 'CONNECTED' ? 'SHARED' : 'DEGRADED';
    return { mode, since: this.since, lastError: mode === 'SHARED' ? null : (this.lastError ?? 'connecting to Redis') };
  }

  /**
   * True while commands can be sent (`run` fails at once otherwise). After timeouts
   * on a connection that is still open, one call a second goes through as a probe, so a slow
   * spell ends as soon as Redis answers in time again.
   */
  get connected(): boolean {
    if (this.state === 'CONNECTED') return true;
    if (this.client.status !== 'ready') return false;
    const now = Date.now();
    if (now < this.nextProbeAt) return false;
    this.nextProbeAt = now + PROBE_INTERVAL_MS;
    return true;
  }

  /**
   * Hears the failures a store absorbed itself (a lookup answered from the local tier, a wait
   * cut short): the ones it throws reach the service's or the budget's `onStoreError` instead.
   */
  onAbsorbedFailure(listener: (error: StoreError) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Tells the listeners of a failure a store absorbed. */
  absorbed(error: StoreError): void {
    for (const listener of this.failureListeners) listener(error);
  }

  /**
   * Runs one Redis call for `store`; any failure becomes a `StoreError` (never a raw client
   * error) and marks the shared state unavailable until the client is ready again. While Redis
   * is known to be unreachable it fails at once, without touching the network.
   */
  async run<T>(store: StoreName, call: (client: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('STORE_UNAVAILABLE', store, 'the Redis connection is closed');
    if (!this.connected) throw new StoreError('STORE_UNAVAILABLE', store, this.lastError ?? 'Redis is not connected yet');
    try {
      const result = await call(this.client);
      this.slowSince = 0;
      // A slow spell ends with the first answer in time (no reconnect event marks it).
      if (this.state !== 'CONNECTED' && this.client.status === 'ready') this.up();
      return result;
    } catch (error) {
      const failure =
        error instanceof StoreError ? error : new StoreError(codeOf(error), store, `Redis ${reasonOf(error)}`, { cause: error });
      if (failure.code === 'STORE_TIMEOUT') this.timedOut();
      else if (failure.code !== 'STORE_BAD_DATA') this.down(failure.code, reasonOf(error));
      throw failure;
    }
  }

  /** Prefixed key or channel name. */
  key(...parts: string[]): string {
    return this.keyPrefix + parts.join(':');
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.client.quit(), this.subscriber.quit()]);
    this.client.disconnect();
    this.subscriber.disconnect();
  }

  private up(): void {
    this.slowSince = 0;
    if (this.state === 'CONNECTED') return;
    const wasDown = this.state === 'UNAVAILABLE';
    this.state = 'CONNECTED';
    this.since = Date.now();
    this.lastError = null;
    if (wasDown) this.logger.warn({ redis: this.where }, 'Redis is back: replicas share the cache and vendor budgets again');
    else this.logger.info({ redis: this.where }, 'connected to Redis: cache and vendor budgets are shared');
    for (const listener of this.stateListeners) listener(this.state);
  }

  private timedOut(): void {
    const now = Date.now();
    if (this.slowSince === 0) this.slowSince = now;
    else if (now - this.slowSince >= SLOW_SPELL_MS) this.down('STORE_TIMEOUT', 'did not answer in time');
  }

  private down(code: StoreErrorCode, reason: string, options: { keepCause?: boolean } = {}): void {
    if (this.closed) return;
    if (!(options.keepCause && this.state === 'UNAVAILABLE' && this.lastError)) this.lastError = `Redis ${reason}`;
    if (this.state === 'UNAVAILABLE') return;
    this.state = 'UNAVAILABLE';
    this.since = Date.now();
    this.nextProbeAt = this.since + PROBE_INTERVAL_MS;
    // One warning per outage: the next one comes only after Redis was back in between.
    this.logger.warn(
      { redis: this.where, code },
      'Redis is unreachable: serving from this replica\u2019s memory with a local share of each vendor budget until it is back',
    );
    for (const listener of this.stateListeners) listener(this.state);
  }
}

/** `redis://host:port` without user, password, path or query. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'redis (unparsable url)';
  }
}

function tlsOptions(options: RedisConnectionOptions): Pick<RedisOptions, 'tls'> {
  const { tls } = options;
  if (!tls && !options.url.startsWith('rediss://')) return {};
  return {
    tls: {
      ...(tls?.caFile ? { ca: readFileSync(tls.caFile) } : {}),
      rejectUnauthorized: tls?.rejectUnauthorized ?? true,
      ...(tls?.servername ? { servername: tls.servername } : {}),
    },
  };
}

function codeOf(error: unknown): StoreErrorCode {
  const message = error instanceof Error ? error.message : '';
  if (/timed out/i.test(message)) return 'STORE_TIMEOUT';
  return 'STORE_UNAVAILABLE';
}

/**
 * A short cause in plain words, from a bounded set: ioredis messages carry host and port (and a
 * server's own text could carry anything), so none is passed on as is.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: unknown } | undefined)?.code;
  if (/timed out/i.test(message)) return 'did not answer in time';
  if (code === 'ECONNREFUSED') return 'refused the connection';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name did not resolve';
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message)) return 'rejected the credentials';
  if (/enableOfflineQueue|Connection is closed|ECONNRESET|EPIPE/i.test(message)) return 'is not connected';
  if (/certificate|self.signed|SSL|TLS/i.test(message)) return 'TLS handshake failed';
  if (/OOM/.test(message)) return 'is out of memory';
  if (/READONLY/.test(message)) return 'is a read-only replica';
  return 'failed';
}
