/**
 * Real Redis for tests, never a mock: the machine's server on 127.0.0.1:6379 with a random key
 * prefix per run (nothing is ever flushed; each test's keys are deleted by prefix at the end),
 * and private `redis-server` processes on free ports for failure tests, killed by pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger, type Logger } from '../../src/telemetry/logger.js';
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
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
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
export interface TestCertificates {
  dir: string;
  /** The CA that signed the server's certificate (CN and SAN localhost, 127.0.0.1). */
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** A throwaway CA and server certificate (openssl, P-256, valid one day). */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'deskgraph-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '1', '-subj', '/CN=DeskGraph test CA');
  openssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost');
  writeFileSync(at('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '1', '-extfile', at('san.ext'));
  return { dir, caFile: at('ca.pem'), certFile: at('server.pem'), keyFile: at('server.key') };
}

export async function startPrivateRedis(options: { password?: string; tls?: TestCertificates } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const { password, tls } = options;
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no']
      : ['--port', String(port)];
    args.push('--bind', '127.0.0.1', '--save', '', '--appendonly', 'no');
    if (password) args.push('--requirepass', password);
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      password,
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: null,
      ...(tls ? { tls: { ca: readFileSync(tls.caFile), servername: 'localhost' } } : {}),
    });
    probe.on('error', () => undefined);
    await probe.connect().catch(() => undefined);
    await probe.ping();
    probe.disconnect();
  };
  await start();
  return {
    port,
    url: `${tls ? 'rediss' : 'redis'}://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`,
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
