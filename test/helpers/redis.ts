/**
 * Real Redis for tests, never a mock: the machine's server on 127.0.0.1:6379 with a random key
 * prefix per run (nothing is ever flushed; each test's keys are deleted by prefix at the end),
 * and private `redis-server` processes on free ports for failure tests, killed by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createLogger, type Logger } from '../../src/server/logger.js';
import { RedisConnection } from '../../src/stores/redis-connection.js';

export const SHARED_REDIS_URL = process.env['DESKGRAPH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function randomPrefix(): string {
  return `deskgraph-test:${randomBytes(6).toString('hex')}:`;
}

export async function connect(
  keyPrefix: string,
  options: { url?: string; commandTimeoutMs?: number; logger?: Logger } = {},
): Promise<RedisConnection> {
  const connection = new RedisConnection({
    url: options.url ?? SHARED_REDIS_URL,
    keyPrefix,
    commandTimeoutMs: options.commandTimeoutMs ?? 200,
    logger: options.logger ?? createLogger('silent'),
  });
  await connection.ready(2000);
  return connection;
}

/** A plain client to look at what the stores wrote. */
export function inspector(url = SHARED_REDIS_URL): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Deletes every key under `prefix` (SCAN + UNLINK: never a flush). */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await client.unlink(...keys);
  } while (cursor !== '0');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PrivateRedis {
  port: number;
  url: string;
  readonly pid: number | undefined;
  /** SIGKILL by pid; resolves once it exited. */
  kill(): Promise<void>;
  /** Starts a new server on the same port. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that is there but does not answer. */
  freeze(): void;
  thaw(): void;
}

/** `redis-server --port <free> --save "" --appendonly no`, nothing on disk. */
export async function startPrivateRedis(options: { password?: string } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const { password } = options;
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    if (password) args.push('--requirepass', password);
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    await probe.connect().catch(() => undefined);
    await probe.ping();
    probe.disconnect();
  };
  await start();
  return {
    port,
    url: password ? `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = once(current, 'exit');
      process.kill(current.pid!, 'SIGKILL');
      await exited;
    },
    restart: start,
    freeze: () => void process.kill(child!.pid!, 'SIGSTOP'),
    thaw: () => void process.kill(child!.pid!, 'SIGCONT'),
  };
}
