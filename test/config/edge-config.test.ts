/**
 * Configuration hardening (issue 11, defect 8): nested fallbacks read, malformed references
 * refused with a clear problem, and a world-readable file holding credentials in clear warned
 * about (by setting path, never by value) — through the CLI as an operator starts it.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { literalSecretPaths } from '../../src/config/file-secrets.js';

const hostup = (baseUrl: string, token = 't') => ({ providers: { hostup: { baseUrl, token } } });
const baseUrl = (data: unknown, env: Record<string, string>) => parseConfig(data, env).providers.hostup?.baseUrl;
const problems = (data: unknown, env: Record<string, string> = {}) => {
  try {
    parseConfig(data, env);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};

describe('${VAR:-fallback}', () => {
  it('reads nested fallbacks, inner ones only when needed', () => {
    expect(baseUrl(hostup('${UNSET:-${OTHER}}'), { OTHER: 'https://other.example' })).toBe('https://other.example');
    expect(baseUrl(hostup('${SET:-${UNSET_TOO}}'), { SET: 'https://set.example' })).toBe('https://set.example');
    expect(baseUrl(hostup('${A:-${B:-https://${HOST}:8443}}'), { HOST: 'c.example' })).toBe('https://c.example:8443');
    expect(baseUrl(hostup('https://${HOST:-d.example}/x'), {})).toBe('https://d.example/x');
  });

  it('reports an unset variable inside a fallback', () => {
    expect(problems(hostup('${UNSET:-${ALSO_UNSET}}'))).toEqual(['providers.hostup.baseUrl: environment variable ALSO_UNSET is not set']);
  });

  it.each([
    ['${UNSET:-${OTHER}', 'providers.hostup.baseUrl: a "${" is not closed by "}"'],
    ['${}', 'providers.hostup.baseUrl: "${}" is not a reference: write ${NAME} or ${NAME:-fallback}'],
    ['${1X}', 'providers.hostup.baseUrl: "${1X}" is not a reference: write ${NAME} or ${NAME:-fallback}'],
    ['${A-B}', 'providers.hostup.baseUrl: "${A-B}" is not a reference: write ${NAME} or ${NAME:-fallback}'],
    ['${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-${A:-x}}}}}}}}}}', 'providers.hostup.baseUrl: fallbacks are nested more than 8 deep'],
  ])('refuses %s instead of keeping it as text', (value, problem) => {
    expect(problems(hostup(value))).toEqual([problem]);
  });
});

describe('credentials in clear', () => {
  it('are found by setting, whatever references surround them', () => {
    expect(
      literalSecretPaths({
        providers: { hostup: { token: 'hu_live_123' }, headoni: { token: '${HEADONI_TOKEN}' }, tickiti: { token: 'prefix-${X}' } },
        auth: { keys: [{ token: '${KEY}' }, { token: 'a-literal-key-00000000' }, { tokenSha256: 'ab'.repeat(32) }] },
        redis: { url: 'redis://:hunter2@redis:6379' },
      }),
    ).toEqual(['providers.hostup.token', 'providers.tickiti.token', 'auth.keys.1.token', 'redis.url']);
    expect(literalSecretPaths({ redis: { url: 'redis://:${REDIS_PASSWORD}@redis:6379' }, providers: {} })).toEqual([]);
  });
});

describe('a world-readable configuration file', () => {
  const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/src/cli.js');
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deskgraph-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Starts the CLI on `file`, waits until it is ready, stops it, and returns its stderr lines. */
  async function startupLog(file: string): Promise<string[]> {
    const child = spawn(process.execPath, [CLI, '--config', file, '--port', '0', '--host', '127.0.0.1'], {
      env: { ...process.env, LOG_LEVEL: 'warn', HOSTUP_TOKEN: 'hu_from_env_0001' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (/ready at/.test(line)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr.join('\n')}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    return stderr;
  }

  it('holding a token in clear starts with a warning naming the setting, not the value', async () => {
    const file = join(dir, 'clear.json');
    await writeFile(file, JSON.stringify({ providers: { hostup: { baseUrl: 'https://cloud.hostup.se', token: 'hu_live_secret_42' } } }));
    await chmod(file, 0o644);
    const lines = await startupLog(file);
    const warnings = lines.filter((line) => line.includes('readable by every user'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('providers.hostup.token');
    expect(warnings[0]).toContain('mode 644');
    expect(lines.join('\n')).not.toContain('hu_live_secret_42');
  });

  it('is not warned about when it is private, or holds only ${VAR} references', async () => {
    const clear = join(dir, 'private.json');
    await writeFile(clear, JSON.stringify({ providers: { hostup: { baseUrl: 'https://cloud.hostup.se', token: 'hu_live_secret_42' } } }));
    await chmod(clear, 0o600);
    expect((await startupLog(clear)).filter((line) => line.includes('readable by every user'))).toEqual([]);
    const referenced = join(dir, 'referenced.json');
    await writeFile(referenced, JSON.stringify({ providers: { hostup: { baseUrl: 'https://cloud.hostup.se', token: '${HOSTUP_TOKEN}' } } }));
    await chmod(referenced, 0o644);
    expect((await startupLog(referenced)).filter((line) => line.includes('readable by every user'))).toEqual([]);
  });
});

describe('server.trustedProxies', () => {
  const config = (trustedProxies: unknown) => ({ ...hostup('https://cloud.hostup.se'), server: { trustedProxies } });

  it('takes addresses, CIDR ranges and the named ranges, and is empty by default', () => {
    const ranges = ['10.0.0.0/8', '192.0.2.1', 'fc00::/7', 'loopback', 'uniquelocal'];
    expect(parseConfig(config(ranges), {}).server.trustedProxies).toEqual(ranges);
    expect(parseConfig(hostup('https://cloud.hostup.se'), {}).server.trustedProxies).toEqual([]);
  });

  it('refuses anything else, naming the entry', () => {
    expect(problems(config(['10.0.0.0/8', 'proxy.internal', '10.0.0.0/99']))).toEqual([
      'server.trustedProxies.1: is not an IP address, a CIDR range, loopback, linklocal or uniquelocal',
      'server.trustedProxies.2: is not an IP address, a CIDR range, loopback, linklocal or uniquelocal',
    ]);
  });
});
