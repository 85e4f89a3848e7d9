/**
 * Secret hygiene, end to end: the built gateway process, at trace log level, is put through a
 * run full of failures (vendor errors of every kind, a rejected vendor token, bad refs, missing
 * and wrong caller keys, forbidden providers, hostile queries, an oversized body), and then
 * every response, header, log line, the metrics and `providers` are searched for any vendor
 * token or caller key, in clear, in base64 and URL-encoded.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';
import type { MalformedMode } from '../../src/simulators/simulator.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { fleetConfig, startGateway, startSimulators, type GatewayProcess, type SimulatorFleet } from '../helpers/processes.js';

const DASHBOARD_KEY = 'dashboard-key-4f1c9a7e2b6d8035';
const OPS_KEY = 'ops-key-b27e4c18d9a60f35e1c7';
/** A vendor token the vendor rejects: it must not leak either. */
const REJECTED_TOKEN = 'tb-rejected-token-7d41e9c2a8b5';

let fleet: SimulatorFleet;
let gateway: GatewayProcess;
/** Everything the gateway said to anyone during the run. */
const seen: string[] = [];
/** The path of every request made to the gateway, in order. */
const paths: string[] = [];

const ref = (provider: Provider, index: number) => SIMULATORS[provider].sampleRef(index);

async function call(path: string, init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {}) {
  const response = await request(`${gateway.origin}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body,
  });
  const text = await response.body.text();
  paths.push(path);
  seen.push(JSON.stringify(response.headers), text);
  return { status: response.statusCode, text };
}

const graphql = (query: string, variables: Record<string, unknown> = {}, key: string | null = OPS_KEY) =>
  call('/graphql', {
    method: 'POST',
    body: JSON.stringify({ query, variables }),
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });

const TICKET = 'query($p: Provider!, $r: String!) { ticket(provider: $p, ref: $r) { ref subject messages { bodyHtml bodyText } } }';

beforeAll(async () => {
  fleet = await startSimulators();
  const config = fleetConfig(fleet, {
    auth: {
      keys: [
        { name: 'dashboard', token: DASHBOARD_KEY, providers: ['HOSTUP'] },
        { name: 'ops', tokenSha256: createHash('sha256').update(OPS_KEY).digest('hex'), internal: true },
      ],
    },
  });
  const providers = config['providers'] as Record<string, Record<string, unknown>>;
  providers['teambattles'] = { ...providers['teambattles'], token: REJECTED_TOKEN };
  gateway = await startGateway(config, { LOG_LEVEL: 'trace' });
}, 60_000);

afterAll(async () => {
  await gateway?.process.stop();
  await fleet?.process.stop();
});

describe('secrets', () => {
  it('appear nowhere after a run full of failures', async () => {
    // Vendor failures of every kind.
    const faults: Array<[Provider, Record<string, unknown>]> = [
      ['HEADONI', { failStatus: 500 }],
      ['TICKITI', { failStatus: 401 }],
      ['INTERCOM', { failStatus: 403 }],
      ['HOSTUP', { failStatus: 429, retryAfterSeconds: 30 }],
    ];
    for (const [provider, controls] of faults) {
      await fleet.controls(provider, controls);
      await graphql(TICKET, { p: provider, r: ref(provider, 1) });
    }
    await fleet.reset();
    for (const mode of ['not-json', 'missing-field', 'truncated', 'oversize'] satisfies MalformedMode[]) {
      await fleet.controls('INTERCOM', { malformed: mode });
      await graphql(TICKET, { p: 'INTERCOM', r: ref('INTERCOM', 4) });
    }
    await fleet.reset();
    // The vendor rejects the configured token.
    const rejected = await graphql(TICKET, { p: 'TEAMBATTLES', r: ref('TEAMBATTLES', 0) });
    expect(rejected.text).toContain('UPSTREAM_UNAUTHORIZED');
    // Bad refs, ids and inputs.
    await graphql(TICKET, { p: 'HOSTUP', r: '../admin?token=x' });
    await graphql('query($id: ID!) { node(id: $id) { id } }', { id: 'not-an-id' });
    await graphql('{ ticket(provider: NOPE, ref: "1") { ref } }');
    await graphql('{ ticket(provider: HOSTUP ref: ');
    // Callers: none, wrong, forbidden.
    expect((await graphql(TICKET, { p: 'HOSTUP', r: ref('HOSTUP', 0) }, null)).status).toBe(401);
    expect((await graphql(TICKET, { p: 'HOSTUP', r: ref('HOSTUP', 0) }, `${DASHBOARD_KEY}x`)).status).toBe(401);
    const forbidden = await graphql(TICKET, { p: 'HEADONI', r: ref('HEADONI', 0) }, DASHBOARD_KEY);
    expect(forbidden.text).toContain('FORBIDDEN');
    // Hostile queries and an oversized body.
    await graphql(`{ ${Array.from({ length: 60 }, (_, i) => `a${i}: providers { provider }`).join(' ')} }`);
    await graphql(`{ providers { ${'provider '.repeat(6000)} } }`);
    await call('/graphql', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024), headers: { authorization: `Bearer ${OPS_KEY}` } });
    // What operators look at.
    const providers = await graphql(
      '{ providers { provider configured origin health { circuit } rateLimit { cooldownUntil vendorRemaining } cache { entries } } }',
    );
    expect(providers.text).toContain('"configured":true');
    expect((await call('/metrics', { headers: { authorization: `Bearer ${OPS_KEY}` } })).status).toBe(200);
    await call('/healthz');
    await call('/readyz');

    // Stopped (drained, exit 0), the process has written its last log line: the logs are whole.
    expect(await gateway.process.stop()).toBe(0);
    const lines = [...gateway.process.stdout, ...gateway.process.stderr];
    const logs = lines.join('\n');
    // One "request served" line per request but the probes (debug lines), and the rejected token's vendor call.
    const served = lines.filter((line) => line.includes('"msg":"request served"') && line.includes('"level":30'));
    expect(served.length).toBe(paths.filter((path) => path === '/graphql' || path === '/metrics').length);
    expect(logs).toContain('"provider":"TEAMBATTLES","status":401');

    const secrets = [DASHBOARD_KEY, OPS_KEY, REJECTED_TOKEN, ...PROVIDERS.filter((p) => p !== 'TEAMBATTLES').map((p) => SIMULATORS[p].token)];
    const everything = [...seen, logs].join('\n');
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) {
        expect(everything.includes(form), `a secret leaked (${secret.slice(0, 6)}…)`).toBe(false);
      }
    }
  }, 60_000);
});
