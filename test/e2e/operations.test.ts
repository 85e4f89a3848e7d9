/**
 * Operations end to end: /metrics, /healthz, /readyz, request ids in the logs down to the vendor
 * call, and draining. The gateway and the simulators run in this process over real HTTP.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/domain/provider.js';
import { createLogger, type Logger } from '../../src/telemetry/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { postQuery as query, sampleRef as ref, useDesksGateway } from '../helpers/in-process.js';

let logLines: Array<Record<string, unknown>>;

/** A logger whose JSON lines land in `logLines`: every gateway's here. */
function collectingLogger(): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return createLogger('info', sink);
}

const env = useDesksGateway({ logger: collectingLogger });
const { start } = env;

beforeEach(() => {
  logLines = [];
});

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await request(url, { headers });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** The value of one sample line of the Prometheus text, e.g. `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const TICKET = 'query($provider: Provider!, $ref: String!) { ticket(provider: $provider, ref: $ref) { ref cacheStatus } }';

describe('operations', () => {
  it('answers /healthz and /readyz without a body to read', async () => {
    const url = await start();
    const origin = new URL(url).origin;
    // yoga's own health check: 200 with no body, the moment the server answers at all.
    expect(await get(`${origin}/healthz`)).toMatchObject({ status: 200, text: '' });
    expect(await get(`${origin}/readyz`)).toMatchObject({ status: 200, text: '{"status":"ready"}' });
  });

  it('counts vendor calls, cache results, HTTP answers and live state in /metrics', async () => {
    const url = await start();
    await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    await query(url, TICKET, { provider: 'HOSTUP', ref: 'tkt_doesnotexist0000' });
    env.desks.simulators.TICKITI.setControls({ failStatus: 429, retryAfterSeconds: 90 });
    await query(url, TICKET, { provider: 'TICKITI', ref: ref('TICKITI', 0) });

    const metrics = await get(`${new URL(url).origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    const text = metrics.text;
    expect(sample(text, 'deskgraph_upstream_requests_total{provider="HOSTUP",status="200"}')).toBe(1);
    expect(sample(text, 'deskgraph_upstream_requests_total{provider="HOSTUP",status="404"}')).toBe(1);
    expect(sample(text, 'deskgraph_upstream_requests_total{provider="TICKITI",status="429"}')).toBe(1);
    expect(sample(text, 'deskgraph_upstream_request_duration_seconds_count{provider="HOSTUP"}')).toBe(2);
    expect(sample(text, 'deskgraph_cache_reads_total{provider="HOSTUP",result="MISS"}')).toBe(1);
    expect(sample(text, 'deskgraph_cache_reads_total{provider="HOSTUP",result="HIT"}')).toBe(1);
    expect(sample(text, 'deskgraph_http_requests_total{route="graphql",status="200"}')).toBe(4);
    expect(sample(text, 'deskgraph_cache_entries{provider="HOSTUP"}')).toBe(1);
    expect(sample(text, 'deskgraph_cache_bytes{provider="HOSTUP"}')).toBeGreaterThan(1000);
    expect(sample(text, 'deskgraph_circuit_state{provider="HOSTUP"}')).toBe(0);
    expect(sample(text, 'deskgraph_ratelimit_cooldown_seconds{provider="TICKITI"}')).toBeCloseTo(90, 0);
    expect(sample(text, 'deskgraph_ratelimit_cooldown_seconds{provider="HOSTUP"}')).toBe(0);
    expect(sample(text, 'deskgraph_upstream_in_flight{provider="HOSTUP"}')).toBe(0);
    expect(sample(text, 'deskgraph_graphql_requests_total{outcome="ok"}')).toBe(2);
    expect(sample(text, 'deskgraph_graphql_requests_total{outcome="error"}')).toBe(2);
    expect(sample(text, 'deskgraph_graphql_errors_total{code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'deskgraph_graphql_errors_total{code="RATE_LIMITED"}')).toBe(1);
    expect(text).toContain('deskgraph_process_resident_memory_bytes');
    // On the gateway's registry (its behaviour: test/server/event-loop-delay.test.ts).
    expect(sample(text, 'deskgraph_event_loop_delay_max_seconds')).toBeGreaterThan(0);
    // No credential in any series.
    for (const provider of PROVIDERS) expect(text).not.toContain(SIMULATORS[provider].token);
  });

  it('puts the request id on the response, the request log and the vendor call it caused', async () => {
    const url = await start();
    const answer = await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 2) }, { 'x-request-id': 'dash-42.a' });
    expect(answer.headers['x-request-id']).toBe('dash-42.a');
    const call = logLines.find((line) => line['msg'] === 'vendor call');
    expect(call).toMatchObject({ requestId: 'dash-42.a', provider: 'INTERCOM', status: 200, level: 30 });

    // An unsafe incoming id is replaced by a fresh one, used the same way.
    const other = await query(url, TICKET, { provider: 'INTERCOM', ref: ref('INTERCOM', 3) }, { 'x-request-id': 'a b <script>' });
    const fresh = other.headers['x-request-id'];
    expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
    expect(logLines.filter((line) => line['msg'] === 'vendor call').at(-1)).toMatchObject({ requestId: fresh });
    for (const provider of PROVIDERS) expect(JSON.stringify(logLines)).not.toContain(SIMULATORS[provider].token);
  });

  it('drains: a request in flight when closing finishes, new connections are refused', async () => {
    const url = await start();
    env.desks.simulators.HEADONI.setControls({ latencyMs: 300 });
    const inFlight = query(url, TICKET, { provider: 'HEADONI', ref: ref('HEADONI', 0) });
    while (env.desks.simulators.HEADONI.stats.inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
    const closing = env.close(5_000);
    await expect(get(`${new URL(url).origin}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { ticket: { ref: expect.stringMatching(/^\d+$/), cacheStatus: 'MISS' } } });
    await closing;
  });

  it('applies the configured caller keys to /graphql and /metrics, never to the probes', async () => {
    const dashboardKey = 'dash-key-0123456789abcdef';
    const opsKey = 'ops-key-fedcba9876543210';
    const url = await start(
      {},
      {
        auth: {
          keys: [
            { name: 'dashboard', token: dashboardKey, providers: ['HOSTUP'] },
            { name: 'ops', tokenSha256: createHash('sha256').update(opsKey).digest('hex'), internal: true },
          ],
        },
      },
    );
    const origin = new URL(url).origin;

    const anonymous = await query(url, TICKET, { provider: 'HOSTUP', ref: ref('HOSTUP', 0) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });

    const both = await query(
      url,
      'query($a: String!, $b: String!) { mine: ticket(provider: HOSTUP, ref: $a) { cacheStatus } theirs: ticket(provider: HEADONI, ref: $b) { cacheStatus } }',
      { a: ref('HOSTUP', 0), b: ref('HEADONI', 0) },
      { authorization: `Bearer ${dashboardKey}` },
    );
    expect(both.body).toMatchObject({
      data: { mine: { cacheStatus: 'MISS' }, theirs: null },
      errors: [{ path: ['theirs'], extensions: { code: 'FORBIDDEN', provider: 'HEADONI' } }],
    });
    expect(env.desks.simulators.HEADONI.stats.requests).toBe(0);

    expect((await get(`${origin}/metrics`)).status).toBe(401);
    // A key limited to some providers may not see the others' state.
    const limited = await get(`${origin}/metrics`, { authorization: `Bearer ${dashboardKey}` });
    expect([limited.status, (JSON.parse(limited.text) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code]).toEqual([403, 'FORBIDDEN']);
    expect((await get(`${origin}/metrics`, { authorization: 'Bearer not-a-key-at-all-000' })).status).toBe(401);
    const metrics = await get(`${origin}/metrics`, { authorization: `Bearer ${opsKey}` });
    expect(metrics.status).toBe(200);
    expect(sample(metrics.text, 'deskgraph_http_requests_total{route="graphql",status="401"}')).toBe(1);
    expect(sample(metrics.text, 'deskgraph_graphql_errors_total{code="FORBIDDEN"}')).toBe(1);
    // The 401 is answered before GraphQL runs, and still counted as a GraphQL error.
    expect(sample(metrics.text, 'deskgraph_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(sample(metrics.text, 'deskgraph_graphql_requests_total{outcome="error"}')).toBe(2);
    expect(metrics.text).not.toContain(dashboardKey);
    expect(metrics.text).not.toContain(opsKey);

    expect((await get(`${origin}/healthz`)).status).toBe(200);
    expect((await get(`${origin}/readyz`)).status).toBe(200);
    expect(JSON.stringify(logLines)).not.toContain(dashboardKey);
    expect(JSON.stringify(logLines)).not.toContain(opsKey);
  });
});
