/**
 * `/metrics` holds a histogram of the gateway's own answer times, by route: every answer is
 * observed once, under the route it took, in seconds.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import type { VendorSimulator } from '../../src/simulators/simulator.js';

let simulator: VendorSimulator<unknown>;
let gateway: Gateway;
const dispatcher = new Agent();

beforeAll(async () => {
  simulator = SIMULATORS.HOSTUP.create();
  const baseUrl = await simulator.listen();
  gateway = createGateway({ config: parseConfig({ providers: { hostup: { baseUrl, token: SIMULATORS.HOSTUP.token } } }), logger: createLogger('silent'), dispatcher });
  await gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close(0);
  await simulator?.close();
  await dispatcher.close();
});

const origin = () => new URL(gateway.url).origin;

/** One series of the histogram: `name{route="…",…} value`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  expect(line, series).toBeDefined();
  return Number(line!.slice(series.length + 1));
}

describe('deskgraph_http_request_duration_seconds', () => {
  it('observes every answer once, by route, in seconds', async () => {
    const ref = SIMULATORS.HOSTUP.sampleRef(0);
    for (let index = 0; index < 3; index += 1) {
      const response = await request(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ticket(provider: HOSTUP, ref: "${ref}") { subject } }` }),
      });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    }
    await (await request(`${origin()}/healthz`)).body.dump();
    // The first /metrics answer is observed once it has finished: the second one shows it.
    await (await request(`${origin()}/metrics`)).body.dump();
    const text = await (await request(`${origin()}/metrics`)).body.text();

    const name = 'deskgraph_http_request_duration_seconds';
    expect(text).toContain(`# TYPE ${name} histogram`);
    expect(sample(text, `${name}_count{route="graphql"}`)).toBe(3);
    expect(sample(text, `${name}_count{route="healthz"}`)).toBe(1);
    expect(sample(text, `${name}_count{route="metrics"}`)).toBe(1);
    // Seconds, not milliseconds: three local answers take well under a minute together, and
    // every one fits in the largest finite bucket (10 s).
    const sum = sample(text, `${name}_sum{route="graphql"}`);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);
    expect(sample(text, `${name}_bucket{le="10",route="graphql"}`)).toBe(3);
  });
});
