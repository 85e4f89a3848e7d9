/** What every scenario shares: the running fleet, where logs go, and how a load run is made. */
import type { Provider } from '../src/domain/provider.js';
import { SIMULATORS } from '../src/simulators/index.js';
import { LONG_THREAD_INDEX } from '../src/simulators/sample-threads.js';
import type { LoadOptions } from './load.js';
import type { LoadResult } from './load-result.js';
import { runWorker, startGateway, type Fleet, type GatewayProc } from './processes.js';

export interface BenchSettings {
  /** Concurrent connections of a throughput run. */
  connections: number;
  warmupSeconds: number;
  /** Length of one measured run; each throughput scenario has `rounds` of them. */
  durationSeconds: number;
  /** Floor, cache hit and cache miss are measured in turn this many times (see throughput.ts). */
  rounds: number;
  fanOutRuns: number;
  concurrent: number;
  memoryTickets: number;
}

export interface Context {
  settings: BenchSettings;
  fleet: Fleet;
  logDir: string;
  /** Node flags for the gateway and floor processes (`--cpu-prof` when profiling). */
  profileArgs(name: string): string[];
  /** Requests each profiled process served (warm-up included), by process name. */
  served: Record<string, number>;
}

/** The full ticket every single-ticket scenario reads: the long conversation, ten messages. */
export const FULL = { provider: 'HEADONI' as Provider, ref: SIMULATORS.HEADONI.sampleRef(LONG_THREAD_INDEX) };

export const NO_ERRORS = '"errors"';

export function resetUrls(fleet: Fleet): string[] {
  return Object.values(fleet.vendors).map((vendor) => `${vendor.url}/__sim/reset-stats`);
}

/** One load run (load.js); the simulators' counts are reset just before it measures. */
export async function load(name: string, ctx: Context, options: Omit<LoadOptions, 'resetBeforeMeasure'>): Promise<LoadResult> {
  return runWorker<LoadResult>(name, 'load.js', { ...options, resetBeforeMeasure: resetUrls(ctx.fleet) }, ctx.logDir);
}

/** Why a run's numbers cannot be trusted: failed answers, or answers that are not what was asked. */
export function bodyProblems(result: LoadResult): string[] {
  const problems: string[] = [];
  if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx answers`);
  if (result.errors > 0) problems.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  if (result.rejected > 0) problems.push(`${result.rejected} answers carried errors or an unexpected cache status`);
  return problems;
}

export async function withGateway<T>(
  ctx: Context,
  name: string,
  config: Record<string, unknown>,
  body: (gateway: GatewayProc) => Promise<T>,
): Promise<T> {
  const gateway = await startGateway(name, config, { logDir: ctx.logDir, nodeArgs: ctx.profileArgs(name) });
  try {
    return await body(gateway);
  } finally {
    await gateway.proc.stop();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
