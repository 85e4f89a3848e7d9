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

describe('configuration', () => {
  it('reads the CONTRACT §4 example with ${VAR} replaced and defaults filled in', () => {
    const config = parseConfigText(
      `
server: { host: 0.0.0.0, port: 4000 }
cache: { maxBytes: 268435456, ttlSeconds: 60, staleSeconds: 86400 }
redis: { url: redis://127.0.0.1:6379 }
auth:
  keys:
    - { name: support-dashboard, token: "\${DASHBOARD_KEY}", providers: [HEADONI, HOSTUP], internal: true }
providers:
  headoni:     { baseUrl: "https://acme.headoni.app", token: "\${HEADONI_TOKEN}" }
  tickiti:     { baseUrl: "https://support.example.com", token: "\${TICKITI_TOKEN}", priorityMap: { "20": NORMAL } }
  intercom:    { baseUrl: "https://api.intercom.io", token: "\${INTERCOM_TOKEN}", version: "2.11" }
  hostup:      { baseUrl: "https://cloud.hostup.se", token: "\${HOSTUP_TOKEN}" }
  teambattles: { baseUrl: "https://teambattles.gg", token: "\${TEAMBATTLES_TOKEN}", timeoutMs: 2500 }
`,
      {
        DASHBOARD_KEY: 'dash-key-0123456789abcdef',
        HEADONI_TOKEN: 'hd_1',
        TICKITI_TOKEN: 'tk_1',
        INTERCOM_TOKEN: 'ic_1',
        HOSTUP_TOKEN: 'hu_1',
        TEAMBATTLES_TOKEN: 'tb_1',
      },
    );
    expect(config.providers.headoni).toEqual({
      baseUrl: 'https://acme.headoni.app',
      token: 'hd_1',
      timeoutMs: 10_000,
      maxConcurrency: 8,
      requestsPerSecond: 10,
      burst: 20,
      maxQueue: 1000,
      queueTimeoutMs: 2000,
      retries: 2,
      circuitBreaker: { failureThreshold: 5, openSeconds: 30 },
    });
    expect(config.providers.tickiti?.priorityMap).toEqual({ '20': 'NORMAL' });
    expect(config.providers.teambattles?.timeoutMs).toBe(2500);
    expect(config.auth?.keys[0]).toEqual({
      name: 'support-dashboard',
      token: 'dash-key-0123456789abcdef',
      providers: ['HEADONI', 'HOSTUP'],
      internal: true,
    });
    expect(config.cache).toEqual({ maxBytes: 268435456, ttlSeconds: 60, staleSeconds: 86400, notFoundSeconds: 5 });
  });

  it("gives each provider its vendor's published budget by default, and lets the file override it", () => {
    const config = parseConfigText(
      JSON.stringify({
        providers: {
          headoni: { baseUrl: 'https://acme.headoni.app', token: 't' },
          tickiti: { baseUrl: 'https://support.example.com', token: 't' },
          hostup: { baseUrl: 'https://cloud.hostup.se', token: 't' },
          teambattles: { baseUrl: 'https://teambattles.gg', token: 't' },
        },
      }),
      {},
      'deskgraph.json',
    );
    const budget = ({ requestsPerSecond, burst, maxConcurrency }: { requestsPerSecond: number; burst: number; maxConcurrency: number }) => ({
      requestsPerSecond,
      burst,
      maxConcurrency,
    });
    // TeamBattles: "Capacity 60 tokens, Refill 1 token/second" (teambattles.gg/docs/developers/rate-limits).
    expect(budget(config.providers.teambattles!)).toEqual({ requestsPerSecond: 1, burst: 60, maxConcurrency: 8 });
    // Headoni, Tickiti and HostUp publish no numbers: the cautious defaults.
    for (const entry of [config.providers.headoni!, config.providers.tickiti!, config.providers.hostup!]) {
      expect(budget(entry)).toEqual({ requestsPerSecond: 10, burst: 20, maxConcurrency: 8 });
    }
    const overridden = parseConfigText(
      'providers: { teambattles: { baseUrl: "https://teambattles.gg", token: t, requestsPerSecond: 10, burst: 300 } }',
      {},
      'deskgraph.yaml',
    );
    expect(budget(overridden.providers.teambattles!)).toEqual({ requestsPerSecond: 10, burst: 300, maxConcurrency: 8 });
  });

  it('accepts JSON, and ${VAR:-default}', () => {
    const config = parseConfigText('{"providers":{"hostup":{"baseUrl":"${HOSTUP_URL:-https://cloud.hostup.se}","token":"t"}}}', {});
    expect(config.providers.hostup?.baseUrl).toBe('https://cloud.hostup.se');
  });

  it('names each unset variable with where it is used', () => {
    expect(problems('providers:\n  hostup: { baseUrl: "https://x.example", token: "${HOSTUP_TOKEN}" }')).toEqual([
      'providers.hostup.token: environment variable HOSTUP_TOKEN is not set',
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    expect(
      problems(`
porviders: {}
cache: { maxBytes: 0 }
providers:
  intercom: { baseUrl: "api.intercom.io", token: "", versoin: "2.11" }
  tickiti: { baseUrl: "https://t.example", token: "x", priorityMap: { "20": MEDIUM } }
auth: { keys: [ { name: ci, token: "x", tokenSha256: "abc" } ] }
`),
    ).toEqual([
      'cache.maxBytes: Too small: expected number to be >=1',
      'auth.keys.0.token: must be at least 16 characters',
      'auth.keys.0.tokenSha256: must be 64 hex digits',
      'auth.keys.0: give exactly one of token or tokenSha256',
      'providers.tickiti.priorityMap.20: Invalid option: expected one of "LOW"|"NORMAL"|"HIGH"|"URGENT"|"CRITICAL"',
      'providers.intercom.baseUrl: must be an http(s) URL',
      'providers.intercom.token: must not be empty',
      'providers.intercom: unknown setting "versoin"',
      '(root): unknown setting "porviders"',
    ]);
  });

  it('refuses text that is not YAML or JSON, and a file that is not a mapping', () => {
    expect(problems('providers: [')[0]).toMatch(/^not valid YAML or JSON: /);
    expect(problems('- just\n- a list')).toEqual(['(root): expected a mapping of settings']);
  });
});
