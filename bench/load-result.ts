/** What every load worker prints (one JSON document of this shape), and what they share. */
import { request } from 'undici';
import { cpuTimeMs } from './processes.js';

export interface LoadResult {
  /** Completed requests in the measured run (warm-up excluded). */
  requests: number;
  durationSeconds: number;
  /** requests / durationSeconds. */
  rps: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  /** Mean response body, in bytes. */
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses whose body contained a forbidden text (e.g. `"errors"`). */
  rejected: number;
  /** Responses whose body contained each counted text. */
  counts: Record<string, number>;
  /** CPU time the server process (`serverPid`) used during the measured run, in ms. */
  serverCpuMs: number | null;
  /** Requests answered during the warm-up run (for profiles, which cover both runs). */
  warmupRequests: number;
}

/** The body check a worker applies to every response (not only to a sample). */
export interface BodyCheck {
  /** A response containing any of these is counted in `rejected`. */
  forbid?: string[];
  /** Texts counted per response, e.g. `"cacheStatus":"MISS"`. */
  count?: string[];
}

export function checkBody(body: string, check: BodyCheck, result: Pick<LoadResult, 'rejected' | 'counts'>): void {
  if (check.forbid?.some((text) => body.includes(text))) result.rejected += 1;
  for (const text of check.count ?? []) {
    if (body.includes(text)) result.counts[text] = (result.counts[text] ?? 0) + 1;
  }
}

/** POSTs to each URL (the simulators' `/__sim/reset-stats`) and waits for the answers. */
export async function resetCounters(urls: string[] = []): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const response = await request(url, { method: 'POST' });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`POST ${url}: HTTP ${response.statusCode}`);
    }),
  );
}

/**
 * Waits for the requests a stopped run left in flight to finish on the server, so that the
 * vendor calls they make are not counted in the next run.
 */
export async function settle(ms = 2000): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export interface MeasureOptions {
  warmupSeconds?: number;
  durationSeconds?: number | undefined;
  amount?: number | undefined;
  /** Counters reset between the warm-up and the measured run. */
  resetBeforeMeasure?: string[];
  /** The server whose CPU time the measured run is charged. */
  serverPid?: number;
}

/**
 * Every worker's protocol: an optional warm-up, the in-flight requests left to settle, the
 * counters reset, then the measured run with the server's CPU time read around it.
 */
export async function measure(
  run: (seconds: number | undefined, amount: number | undefined) => Promise<LoadResult>,
  options: MeasureOptions,
): Promise<LoadResult> {
  let warmupRequests = 0;
  if (options.warmupSeconds) {
    warmupRequests = (await run(options.warmupSeconds, undefined)).requests;
    await settle();
  }
  await resetCounters(options.resetBeforeMeasure);
  const { serverPid } = options;
  const cpuBefore = serverPid === undefined ? null : await cpuTimeMs(serverPid);
  const result = await run(options.durationSeconds, options.amount);
  if (serverPid !== undefined && cpuBefore !== null) result.serverCpuMs = (await cpuTimeMs(serverPid)) - cpuBefore;
  return { ...result, warmupRequests };
}
