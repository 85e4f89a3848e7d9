/**
 * RedisConnection against private redis-servers that require a password: credentials from the
 * settings (a password no URL could hold as is), a wrong one refused in plain words, and neither
 * ever in a log line or a status.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';
import { describeRedisUrl, RedisConnection } from '../../src/stores/redis-connection.js';
import { makeCertificates, randomPrefix, startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

const PASSWORD = 'p@ss/w:rd with spaces#1';
const servers: PrivateRedis[] = [];
const connections: RedisConnection[] = [];

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
  for (const server of servers.splice(0)) await server.kill();
});

async function open(password: string, logs: string[]) {
  const server = await startPrivateRedis({ password: PASSWORD });
  servers.push(server);
  const connection = new RedisConnection({
    url: `redis://127.0.0.1:${server.port}`,
    password,
    keyPrefix: randomPrefix(),
    commandTimeoutMs: 500,
    logger: createLogger('info', { write: (line: string) => void logs.push(line) }),
  });
  connections.push(connection);
  return connection;
}

describe('RedisConnection', () => {
  it('authenticates with redis.password, and says it shares state', async () => {
    const logs: string[] = [];
    const connection = await open(PASSWORD, logs);
    expect(await connection.ready(5000)).toBe(true);
    expect(connection.status()).toMatchObject({ mode: 'SHARED', lastError: null });
    expect(await connection.run('cache', (redis) => redis.ping())).toBe('PONG');
    expect(logs.join('\n')).not.toContain('w:rd');
  });

  it('says a wrong password was rejected, never what it was', async () => {
    const logs: string[] = [];
    const connection = await open('not-the-password', logs);
    await vi.waitFor(() => expect(connection.status()).toMatchObject({ mode: 'DEGRADED', lastError: 'Redis rejected the credentials' }), {
      timeout: 5000,
      interval: 50,
    });
    await expect(connection.run('cache', (redis) => redis.ping())).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_UNAVAILABLE' });
    const text = logs.join('\n');
    expect(text).not.toContain('not-the-password');
    expect(text).not.toContain('w:rd');
    expect(logs.filter((line) => line.includes('Redis is unreachable'))).toHaveLength(1);
  });

  it('speaks TLS with rediss://, checking the certificate against redis.tls.caFile', async () => {
    const certificates = makeCertificates();
    const server = await startPrivateRedis({ tls: certificates });
    servers.push(server);
    expect(server.url).toBe(`rediss://127.0.0.1:${server.port}`);
    const logger = createLogger('silent');
    const trusted = new RedisConnection({ url: server.url, keyPrefix: randomPrefix(), commandTimeoutMs: 500, logger, tls: { caFile: certificates.caFile } });
    connections.push(trusted);
    expect(await trusted.ready(5000)).toBe(true);
    expect(await trusted.run('cache', (redis) => redis.ping())).toBe('PONG');

    // Without the CA the system store does not know the certificate: refused, and said plainly.
    const untrusting = new RedisConnection({ url: server.url, keyPrefix: randomPrefix(), commandTimeoutMs: 500, logger });
    connections.push(untrusting);
    await vi.waitFor(() => expect(untrusting.status()).toMatchObject({ mode: 'DEGRADED', lastError: 'Redis TLS handshake failed' }), {
      timeout: 5000,
      interval: 50,
    });
  });

  it('names a Redis by scheme, host and port only', () => {
    expect(describeRedisUrl('rediss://deskgraph:secret@redis.internal:6380/2?x=1')).toBe('rediss://redis.internal:6380');
    expect(describeRedisUrl('not a url')).toBe('redis (unparsable url)');
  });
});
