/**
 * Floor: the vendor call alone. `connections` loops of undici requests straight to a simulator,
 * each reading and parsing the JSON body (what any client of the vendor does), for a duration
 * or a number of calls. Prints one `LoadResult` as JSON.
 * `node dist/bench/floor-undici.js '<UndiciFloorOptions as JSON>'`.
 */
import { Pool } from 'undici';
import { checkBody, measure, type BodyCheck, type LoadResult } from './load-result.js';

export interface UndiciFloorOptions {
  origin: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds?: number;
  /** Exactly this many calls; wins over durationSeconds. */
  amount?: number;
  warmupSeconds?: number;
  check?: BodyCheck;
  /** POSTed between warm-up and measurement (the simulators' reset-stats), so counts cover the run. */
  resetBeforeMeasure?: string[];
  /** The process whose CPU time is read around the measured run (the server under load). */
  serverPid?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as UndiciFloorOptions;
const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1 });

async function run(durationSeconds: number | undefined, amount: number | undefined): Promise<LoadResult> {
  const latencies: number[] = [];
  const result: LoadResult = {
    requests: 0,
    durationSeconds: 0,
    rps: 0,
    latencyMs: { p50: 0, p99: 0, mean: 0, max: 0 },
    bytesPerResponse: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    rejected: 0,
    counts: {},
    serverCpuMs: null,
    warmupRequests: 0,
  };
  let bytes = 0;
  let started = 0;
  const begin = performance.now();
  const deadline = begin + (durationSeconds ?? 5) * 1000;
  const more = () => (amount === undefined ? performance.now() < deadline : started < amount);

  const loop = async () => {
    while (more()) {
      started += 1;
      const t0 = performance.now();
      try {
        const response = await pool.request({
          path: options.path,
          method: options.method,
          headers: options.headers,
          body: options.body ?? null,
        });
        const text = await response.body.text();
        JSON.parse(text);
        latencies.push(performance.now() - t0);
        bytes += Buffer.byteLength(text);
        if (response.statusCode < 200 || response.statusCode > 299) result.non2xx += 1;
        if (options.check) checkBody(text, options.check, result);
      } catch {
        result.errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));

  const elapsed = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  result.requests = latencies.length;
  result.durationSeconds = elapsed;
  result.rps = latencies.length / elapsed;
  result.latencyMs = {
    p50: at(0.5),
    p99: at(0.99),
    mean: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
    max: latencies.at(-1) ?? 0,
  };
  result.bytesPerResponse = latencies.length === 0 ? 0 : bytes / latencies.length;
  return result;
}

const result = await measure(run, options);
await pool.close();
console.log(JSON.stringify(result));
