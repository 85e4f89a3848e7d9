/** The `redis` settings (CONTRACT §4; README "Running several replicas"). */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load.js';

function problems(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, env, 'deskgraph.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

const HEX_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const BASE64_KEY = Buffer.alloc(32, 7).toString('base64');

describe('redis configuration', () => {
  it('fills in every default, credentials and key from the environment', () => {
    const config = parseConfigText(
      'redis: { url: "rediss://deskgraph:${REDIS_PASSWORD}@redis.internal:6380/2", encryptionKey: "${CACHE_KEY}" }',
      { REDIS_PASSWORD: 'Kx9-pass_word', CACHE_KEY: BASE64_KEY },
      'deskgraph.yaml',
    );
    expect(config.redis).toEqual({
      url: 'rediss://deskgraph:Kx9-pass_word@redis.internal:6380/2',
      keyPrefix: 'deskgraph:',
      commandTimeoutMs: 100,
      replicas: 2,
      encryptionKey: BASE64_KEY,
    });
  });

  it('takes a password a URL cannot hold as its own setting', () => {
    const config = parseConfigText('redis: { url: "redis://redis.internal:6379", username: deskgraph, password: "${REDIS_PASSWORD}" }', {
      REDIS_PASSWORD: 'p@ss/w:rd with spaces',
    }, 'deskgraph.yaml');
    expect(config.redis).toMatchObject({ username: 'deskgraph', password: 'p@ss/w:rd with spaces' });
  });

  it('takes the key as 64 hex digits, and TLS settings', () => {
    const config = parseConfigText(
      `redis: { url: "redis://127.0.0.1:6379", keyPrefix: "dg:prod:", commandTimeoutMs: 50, replicas: 3, encryptionKey: "${HEX_KEY}", tls: { caFile: /etc/ssl/redis-ca.pem, servername: redis.internal } }`,
      {},
      'deskgraph.yaml',
    );
    expect(config.redis).toMatchObject({ keyPrefix: 'dg:prod:', commandTimeoutMs: 50, replicas: 3, encryptionKey: HEX_KEY });
    expect(config.redis?.tls).toEqual({ caFile: '/etc/ssl/redis-ca.pem', rejectUnauthorized: true, servername: 'redis.internal' });
  });

  it('refuses what would misbehave, one problem per setting, never echoing a value', () => {
    const found = problems(
      `redis: { url: "http://user:hunter2-secret@127.0.0.1:6379", keyPrefix: "has space", commandTimeoutMs: 0, replicas: 0, encryptionKey: "correct horse battery staple", cluster: true }`,
    );
    expect(found).toEqual([
      'redis.url: must be a redis:// or rediss:// URL',
      'redis.keyPrefix: must be printable ASCII without spaces',
      'redis.commandTimeoutMs: Too small: expected number to be >=1',
      'redis.replicas: Too small: expected number to be >=1',
      'redis.encryptionKey: must be 32 bytes, as 64 hex digits or base64',
      'redis: unknown setting "cluster"',
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
    expect(found.join('\n')).not.toContain('horse');
  });

  it('refuses a key of the wrong length', () => {
    expect(problems(`redis: { url: "redis://r:6379", encryptionKey: "${Buffer.alloc(16).toString('base64')}" }`)).toEqual([
      'redis.encryptionKey: must be 32 bytes, as 64 hex digits or base64',
    ]);
  });
});
