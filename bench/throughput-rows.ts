/**
 * The throughput table's rows (throughput.ts measures): medians over the rounds, and each
 * round's ratio to the floor that answered the same query in that round.
 */
import type { UndiciFloorOptions } from './floor-undici.js';
import type { LoadOptions } from './load.js';
import type { LoadResult } from './load-result.js';
import { bodyProblems, FULL, median, resetUrls, type Context } from './measure.js';
import { runWorker } from './processes.js';
import { cpuPerAnswer, type Row } from './report.js';

/** One thing measured in every round: a floor or a gateway, with one query. */
export interface Subject {
  key: string;
  options: Omit<LoadOptions, 'resetBeforeMeasure' | 'durationSeconds'>;
  /** Every request reads a ticket no one read before (cache misses). */
  distinct: boolean;
  results: LoadResult[];
  /** Vendor requests the simulators counted in each round's run. */
  upstream: number[];
}

/** Medians over the rounds, and each round's ratio to the floor's round. */
function summary(subject: Subject, floor: Subject) {
  const ratios = subject.results.map((result, round) => result.rps / floor.results[round]!.rps);
  const cpuRatios = subject.results.map((result, round) => {
    const mine = cpuPerAnswer(result);
    const floors = cpuPerAnswer(floor.results[round]!);
    return mine === null || floors === null ? Number.NaN : floors / mine;
  });
  return {
    rps: median(subject.results.map((result) => result.rps)),
    p50Ms: median(subject.results.map((result) => result.latencyMs.p50)),
    p99Ms: median(subject.results.map((result) => result.latencyMs.p99)),
    serverCpuUs: median(subject.results.map((result) => cpuPerAnswer(result) ?? Number.NaN)),
    ratio: median(ratios),
    ratios,
    cpuRatio: median(cpuRatios),
    problems: subject.results.flatMap(bodyProblems),
    requests: subject.results.reduce((sum, result) => sum + result.requests, 0),
    upstream: subject.upstream.reduce((sum, count) => sum + count, 0),
  };
}

function roundsNote(ratios: number[], floor = 'the floor'): string {
  return `ratio to ${floor} in each round: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')}`;
}

export function floorRow(floor: Subject, scenario: string): Row {
  const s = summary(floor, floor);
  const answer = median(floor.results.map((result) => result.bytesPerResponse));
  return {
    scenario,
    rps: s.rps,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    vsFloor: 1,
    serverCpuUs: s.serverCpuUs,
    upstream: null,
    target: '—',
    measured: `${(answer / 1024).toFixed(1)} KiB per answer`,
    verdict: s.problems.length > 0 ? 'invalid' : 'floor',
    notes: [...s.problems, `req/s in each round: ${floor.results.map((result) => result.rps.toFixed(0)).join(', ')}`],
  };
}

export async function undiciFloorRow(ctx: Context, floor: Subject): Promise<Row> {
  const vendor = ctx.fleet.vendors.HEADONI;
  const options: UndiciFloorOptions = {
    origin: vendor.url,
    path: `/api/v1/tickets/${FULL.ref}`,
    method: 'GET',
    headers: { authorization: `Bearer ${vendor.token}`, accept: 'application/json' },
    connections: ctx.settings.connections,
    warmupSeconds: ctx.settings.warmupSeconds,
    durationSeconds: ctx.settings.durationSeconds,
    resetBeforeMeasure: resetUrls(ctx.fleet),
    serverPid: ctx.fleet.proc.pid,
  };
  const result = await runWorker<LoadResult>('floor-undici', 'floor-undici.js', options, ctx.logDir);
  const upstream = (await ctx.fleet.upstream()).total;
  const problems = bodyProblems(result);
  return {
    scenario: 'floor: direct undici call to the simulator',
    rps: result.rps,
    p50Ms: result.latencyMs.p50,
    p99Ms: result.latencyMs.p99,
    vsFloor: result.rps / median(floor.results.map((run) => run.rps)),
    serverCpuUs: cpuPerAnswer(result),
    upstream,
    target: '—',
    measured: 'the vendor call alone (CPU: the simulators)',
    verdict: problems.length > 0 ? 'invalid' : 'floor',
    notes: problems,
  };
}

export function hitRow(floor: Subject, hit: Subject): Row {
  const s = summary(hit, floor);
  const problems = [...s.problems];
  if (s.upstream !== 0) problems.push(`${s.upstream} vendor requests during cache-hit runs`);
  return {
    scenario: 'cache-hit ticket query (full ticket, 10 messages)',
    rps: s.rps,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    vsFloor: s.ratio,
    serverCpuUs: s.serverCpuUs,
    upstream: s.upstream,
    target: '≥ 1.0× floor',
    measured: `${s.ratio.toFixed(2)}× floor (by CPU per answer: ${s.cpuRatio.toFixed(2)}×)`,
    verdict: problems.length > 0 ? 'invalid' : s.ratio >= 1 ? 'pass' : 'miss',
    notes: [...problems, roundsNote(s.ratios)],
  };
}

export interface MissRowOptions {
  scenario: string;
  /** The least ratio to the floor that passes. */
  target: number;
  /** Another floor the ratio is also given against (in the notes). */
  also?: { floor: Subject; name: string };
  /** A lower bar the issue names besides the target (in the notes). */
  lesserBar?: { ratio: number; why: string };
}

/** A cache-miss row, judged against the floor that answered the same query. */
export function missRow(ctx: Context, floor: Subject, miss: Subject, options: MissRowOptions): Row {
  const s = summary(miss, floor);
  const problems = [...s.problems];
  // A stopped run leaves up to `connections` requests in flight: their vendor calls count, their
  // answers do not.
  miss.results.forEach((result, round) => {
    const calls = miss.upstream[round]!;
    if (result.requests === 0) problems.push(`round ${round + 1}: no answer within the run`);
    else if (calls < result.requests || calls > result.requests + ctx.settings.connections) {
      problems.push(`round ${round + 1}: ${calls} vendor requests for ${result.requests} answers`);
    }
  });
  const notes = [...problems, `${s.requests} answers, ${s.upstream} vendor calls`, roundsNote(s.ratios, 'the floor answering the same query')];
  if (options.also) notes.push(roundsNote(summary(miss, options.also.floor).ratios, options.also.name));
  if (options.lesserBar) {
    const { ratio, why } = options.lesserBar;
    notes.push(`${why}: ≥ ${ratio.toFixed(2)}× floor, ${s.ratio >= ratio ? 'met' : 'not met'}`);
  }
  return {
    scenario: options.scenario,
    rps: s.rps,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    vsFloor: s.ratio,
    serverCpuUs: s.serverCpuUs,
    upstream: s.upstream,
    target: `≥ ${options.target.toFixed(1)}× floor`,
    measured: `${s.ratio.toFixed(2)}× floor (by CPU per answer: ${s.cpuRatio.toFixed(2)}×)`,
    verdict: problems.length > 0 ? 'invalid' : s.ratio >= options.target ? 'pass' : 'miss',
    notes,
  };
}
