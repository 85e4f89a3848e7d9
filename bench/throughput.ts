/**
 * Throughput against the floors. The bare-yoga floor, a cache-hit gateway and a cache-miss
 * gateway run side by side (pinned to the server CPU, idle unless under load) and are measured
 * in turn, `rounds` times, so that a slow spell of a shared machine weighs on all three alike;
 * each ratio is the median of the rounds' ratios. Then the vendor call alone (direct undici).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { UndiciFloorOptions } from './floor-undici.js';
import type { LoadOptions } from './load.js';
import { settle, type LoadResult } from './load-result.js';
import { bodyProblems, FULL, load, median, NO_ERRORS, resetUrls, type Context } from './measure.js';
import {
  BENCH_DIST,
  gatewayConfig,
  graphql,
  memoryOf,
  runWorker,
  SERVER_CPU,
  spawnNode,
  startGateway,
  waitForLine,
  type Proc,
} from './processes.js';
import { FULL_TICKET } from './queries.js';
import { cpuPerAnswer, type Row } from './report.js';

export interface ThroughputOutcome {
  rows: Row[];
  /** RSS of a gateway process that is up and has served nothing, in bytes. */
  idleGatewayRss: number;
}

interface Subject {
  key: 'floor' | 'hit' | 'miss';
  options: Omit<LoadOptions, 'resetBeforeMeasure' | 'durationSeconds'>;
  results: LoadResult[];
  upstream: number[];
}

/** Reads the full ticket once through a gateway and checks it is the ten-message thread. */
async function fixture(url: string): Promise<unknown> {
  type Answer = { data?: { ticket?: { messages: { bodyText: string | null; bodyHtml: string | null }[] } }; errors?: unknown };
  const answer = await graphql<Answer>(url, FULL_TICKET, FULL);
  const messages = answer.data?.ticket?.messages ?? [];
  if (answer.errors || messages.length !== 10 || messages.some((m) => !m.bodyText || !m.bodyHtml)) {
    throw new Error(`the fixture ticket is not a ten-message thread with bodies: ${JSON.stringify(answer).slice(0, 500)}`);
  }
  return answer.data!.ticket;
}

async function startFloor(ctx: Context, ticket: unknown): Promise<{ proc: Proc; url: string }> {
  const file = join(ctx.logDir, 'ticket.json');
  await writeFile(file, JSON.stringify(ticket));
  const proc = spawnNode('floor-yoga', join(BENCH_DIST, 'floor-yoga.js'), [file], {
    logDir: ctx.logDir,
    nodeArgs: ctx.profileArgs('floor-yoga'),
    cpu: SERVER_CPU,
  });
  const [, url] = await waitForLine(proc, /floor ready at (\S+)/);
  const answer = await graphql<{ data?: { ticket?: unknown } }>(url!, FULL_TICKET, FULL);
  if (!isDeepStrictEqual(answer.data?.ticket, ticket)) throw new Error('the yoga floor does not answer the same ticket');
  return { proc, url: url! };
}

export async function throughput(ctx: Context): Promise<ThroughputOutcome> {
  const { fleet, settings } = ctx;
  const startup = { logDir: ctx.logDir };
  // The hit gateway keeps its copy fresh for the whole run (the default TTL is 60 s).
  const hitConfig = gatewayConfig(fleet, { cache: { ttlSeconds: 3600 } });
  const hit = await startGateway('gateway-cache-hit', hitConfig, { ...startup, nodeArgs: ctx.profileArgs('gateway-cache-hit') });
  const miss = await startGateway('gateway-cache-miss', gatewayConfig(fleet), { ...startup, nodeArgs: ctx.profileArgs('gateway-cache-miss') });
  let floor: { proc: Proc; url: string } | undefined;
  try {
    const idleGatewayRss = (await memoryOf(hit.proc.pid)).rss;
    floor = await startFloor(ctx, await fixture(hit.url));
    // Cache miss: every request reads a ticket no one read before (distinct refs, each a copy of
    // the same ten-message thread that the simulator synthesizes), so each is a real miss: one
    // vendor call, validation, sanitizing, mapping. Checked: vendor calls = answers, all MISS.
    await fleet.controls('HEADONI', { synthesize: true });
    const common = { query: FULL_TICKET, variables: FULL, connections: settings.connections };
    const subjects: Subject[] = [
      { key: 'floor', options: { ...common, url: floor.url, serverPid: floor.proc.pid, check: { forbid: [NO_ERRORS] } }, results: [], upstream: [] },
      {
        key: 'hit',
        options: { ...common, url: hit.url, serverPid: hit.proc.pid, check: { forbid: [NO_ERRORS, '"cacheStatus":"MISS"', '"cacheStatus":"STALE"'] } },
        results: [],
        upstream: [],
      },
      {
        key: 'miss',
        options: { ...common, url: miss.url, serverPid: miss.proc.pid, check: { forbid: [NO_ERRORS, '"cacheStatus":"HIT"', '"cacheStatus":"STALE"'] } },
        results: [],
        upstream: [],
      },
    ];
    let nextRefs = 10_000_000;
    const run = async (subject: Subject, name: string, durationSeconds: number) => {
      const distinctRefs = subject.key === 'miss' ? { refVariable: 'ref', start: (nextRefs += 1_000_000) } : undefined;
      return load(name, ctx, { ...subject.options, distinctRefs, durationSeconds });
    };

    const warmups: Record<string, number> = {};
    for (const subject of subjects) warmups[subject.key] = (await run(subject, `warmup-${subject.key}`, settings.warmupSeconds)).requests;
    await settle();
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const subject of subjects) {
        subject.results.push(await run(subject, `load-${subject.key}-${round}`, settings.durationSeconds));
        subject.upstream.push((await fleet.upstream()).total);
        // Requests a stopped run left in flight finish before the next run starts.
        await settle(1000);
      }
    }
    await fleet.controls('HEADONI', { synthesize: false });

    const served = (subject: Subject) => subject.results.reduce((sum, result) => sum + result.requests, warmups[subject.key] ?? 0);
    ctx.served['floor-yoga'] = served(subjects[0]!);
    ctx.served['gateway-cache-hit'] = served(subjects[1]!) + 1;
    ctx.served['gateway-cache-miss'] = served(subjects[2]!);
    const [floorRuns, hitRuns, missRuns] = subjects as [Subject, Subject, Subject];
    const rows = [floorRow(floorRuns), await undiciFloorRow(ctx, floorRuns), hitRow(floorRuns, hitRuns), missRow(ctx, floorRuns, missRuns)];
    return { rows, idleGatewayRss };
  } finally {
    await Promise.all([floor?.proc.stop(), hit.proc.stop(), miss.proc.stop()]);
  }
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

function roundsNote(ratios: number[]): string {
  return `ratio to the floor in each round: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')}`;
}

function floorRow(floor: Subject): Row {
  const s = summary(floor, floor);
  const answer = median(floor.results.map((result) => result.bytesPerResponse));
  return {
    scenario: 'floor: bare graphql-yoga, constant ticket',
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

async function undiciFloorRow(ctx: Context, floor: Subject): Promise<Row> {
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

function hitRow(floor: Subject, hit: Subject): Row {
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

function missRow(ctx: Context, floor: Subject, miss: Subject): Row {
  const s = summary(miss, floor);
  const problems = [...s.problems];
  // A stopped run leaves up to `connections` requests in flight: their vendor calls count, their
  // answers do not.
  miss.results.forEach((result, round) => {
    const calls = miss.upstream[round]!;
    if (calls < result.requests || calls > result.requests + ctx.settings.connections) {
      problems.push(`round ${round + 1}: ${calls} vendor requests for ${result.requests} answers`);
    }
  });
  return {
    scenario: 'cache-miss ticket query (simulator at 0 ms)',
    rps: s.rps,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    vsFloor: s.ratio,
    serverCpuUs: s.serverCpuUs,
    upstream: s.upstream,
    target: '≥ 0.6× floor',
    measured: `${s.ratio.toFixed(2)}× floor (by CPU per answer: ${s.cpuRatio.toFixed(2)}×)`,
    verdict: problems.length > 0 ? 'invalid' : s.ratio >= 0.6 ? 'pass' : 'miss',
    notes: [...problems, `${s.requests} answers, ${s.upstream} vendor calls`, roundsNote(s.ratios)],
  };
}
