/**
 * Load worker: runs autocannon against one GraphQL endpoint in this process and prints one
 * `LoadResult` as JSON. `node dist/bench/load.js '<LoadOptions as JSON>'`.
 *
 * Every response body is checked (`check`), because GraphQL answers its failures with 200: a run
 * whose bodies carry `errors` is not a throughput number.
 */
import autocannon from 'autocannon';
import { checkBody, measure, type BodyCheck, type LoadResult } from './load-result.js';

export interface LoadOptions {
  url: string;
  query: string;
  variables: Record<string, unknown>;
  /**
   * Give every request its own ref: `variables[refVariable]` becomes `String(start + n)` for the
   * n-th request of this worker (warm-up included), so no two requests read the same ticket.
   */
  distinctRefs?: { refVariable: string; start: number };
  connections: number;
  /** Requests per second across all connections (a steady load); unset: as fast as answered. */
  overallRate?: number;
  /** Measured run length; ignored when `amount` is set. */
  durationSeconds?: number;
  /** Exactly this many requests (e.g. 1000 connections × 1 request). */
  amount?: number;
  /** A run before the measured one, with the same shape, whose numbers are dropped. */
  warmupSeconds?: number;
  check?: BodyCheck;
  timeoutSeconds?: number;
  /** POSTed between warm-up and measurement (the simulators' reset-stats), so counts cover the run. */
  resetBeforeMeasure?: string[];
  /** The process whose CPU time is read around the measured run (the server under load). */
  serverPid?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
let nextRef = options.distinctRefs?.start ?? 0;

function body(): string {
  const variables = options.distinctRefs
    ? { ...options.variables, [options.distinctRefs.refVariable]: String(nextRef++) }
    : options.variables;
  return JSON.stringify({ query: options.query, variables });
}

async function run(durationSeconds: number | undefined, amount: number | undefined): Promise<LoadResult> {
  const tally: Pick<LoadResult, 'rejected' | 'counts'> = { rejected: 0, counts: {} };
  const check = options.check ?? {};
  const fixed = body();
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    connections: options.connections,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    ...(amount === undefined ? { duration: durationSeconds ?? 5 } : { amount }),
    timeout: options.timeoutSeconds ?? 30,
    requests: [
      {
        ...(options.distinctRefs ? { setupRequest: (request) => ({ ...request, body: body() }) } : { body: fixed }),
        onResponse: (_status, responseBody) => checkBody(responseBody, check, tally),
      },
    ],
  });
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    durationSeconds: result.duration,
    rps: requests / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean, max: result.latency.max },
    bytesPerResponse: requests === 0 ? 0 : result.throughput.total / requests,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...tally,
    serverCpuMs: null,
    warmupRequests: 0,
  };
}

const result = await measure(run, options);
console.log(JSON.stringify(result));
