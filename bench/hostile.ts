/**
 * Hostile content (issue 9): a steady cache-hit load on one gateway while, once a second, a
 * Tickiti ticket no one read before, whose first response is hostile HTML, is read through the
 * same gateway with its bodies. The vectors are the ones that froze the gateway before bodies
 * moved to the worker pool: a 52-byte colspan of a million, 100,000 nested `<b>`, a 4 MB body.
 *
 * Rounds alternate the same steady load without hostile reads (the baseline) and with them;
 * the hit load's p99 is judged against the baseline's, and the gateway's event-loop delay max
 * (`deskgraph_event_loop_delay_max_seconds`, read from `/metrics` just before and after each
 * run: the first read starts the window, the second reports it) against 50 ms. The steady rate
 * is half of what the gateway answered flat out in the warm-up, so that the p99 shows stalls
 * rather than a queue that is always full.
 */
import { request } from 'undici';
import { LONG_THREAD_INDEX } from '../src/simulators/sample-threads.js';
import { tickitiSampleTickets } from '../src/simulators/tickiti/data.js';
import { tickitiSpec } from '../src/simulators/tickiti/spec.js';
import type { LoadResult } from './load-result.js';
import { bodyProblems, FULL, load, median, NO_ERRORS, withGateway, type Context } from './measure.js';
import { gatewayConfig, graphql, type GatewayProc } from './processes.js';
import { FULL_TICKET, TICKET_BODIES } from './queries.js';
import { cpuPerAnswer, type Row } from './report.js';

interface Vector {
  name: string;
  html: string;
  /** Messages served `bodyTruncated` when this body is the first response. */
  truncated: number;
}

const VECTORS: Vector[] = [
  { name: 'colspan 10⁶', html: '<p>Hi</p><table><tr><td colspan="1000000">x</td></tr></table>', truncated: 0 },
  { name: '100,000 nested <b>', html: `${'<b>'.repeat(100_000)}deep`, truncated: 1 },
  { name: '4 MB body', html: `<p>${'<i>word</i> <script>x()</script> '.repeat(120_000)}</p>`.slice(0, 4_000_000), truncated: 1 },
];

const EVENT_LOOP_TARGET_MS = 50;
const P99_TARGET_RATIO = 2;

const TEMPLATE = tickitiSampleTickets()[LONG_THREAD_INDEX]!;

/** The raw Tickiti answer for ticket `number`: the long sample thread, its first response hostile. */
function craftedAnswer(number: number, vector: Vector): string {
  const ticket = tickitiSpec.rekey!(TEMPLATE, `number:${number}`)!;
  const [first, ...rest] = ticket.responses;
  return JSON.stringify({ ok: true, data: { ...ticket, responses: [{ ...first!, html: vector.html, plain_text: null }, ...rest] } });
}

interface HostileReads {
  reads: number;
  byVector: Record<string, number>;
  slowestMs: number;
  elapsedMs: number[];
  failures: string[];
  /** Bodies served truncated besides the hostile one. */
  otherCut: number;
}

type BodiesAnswer = {
  data?: { ticket?: { ref: string; cacheStatus: string; messages: { bodyTruncated: boolean }[] } | null };
  errors?: { message: string; extensions?: { code?: string } }[];
};

/**
 * Reads one hostile ticket a second until `stopped()`: the simulator answers the next request
 * with the crafted body (`PUT /__sim/crafted`), and the ref is new, so each read is a miss.
 */
async function readHostile(ctx: Context, gateway: GatewayProc, refs: { next: number }, stopped: () => boolean): Promise<HostileReads> {
  const vendor = ctx.fleet.vendors.TICKITI;
  const result: HostileReads = { reads: 0, byVector: {}, slowestMs: 0, elapsedMs: [], failures: [], otherCut: 0 };
  while (!stopped()) {
    const vector = VECTORS[result.reads % VECTORS.length]!;
    const number = (refs.next += 1);
    const crafted = await request(`${vendor.url}/__sim/crafted`, { method: 'PUT', body: craftedAnswer(number, vector) });
    await crafted.body.dump();
    const started = performance.now();
    // A read that fails outright is a finding, not a crash of the bench (nothing awaits this loop until the load ends).
    const answer = await graphql<BodiesAnswer>(gateway.url, TICKET_BODIES, { provider: 'TICKITI', ref: String(number) }).catch(
      (error: unknown): BodiesAnswer => ({ errors: [{ message: String(error) }] }),
    );
    const elapsed = performance.now() - started;
    result.reads += 1;
    result.byVector[vector.name] = (result.byVector[vector.name] ?? 0) + 1;
    result.elapsedMs.push(elapsed);
    result.slowestMs = Math.max(result.slowestMs, elapsed);
    const ticket = answer.data?.ticket;
    const truncated = ticket?.messages.filter((message) => message.bodyTruncated).length ?? 0;
    if (answer.errors || ticket?.ref !== String(number) || ticket.cacheStatus !== 'MISS' || truncated < vector.truncated) {
      result.failures.push(`${vector.name}: ${JSON.stringify(answer.errors ?? { ref: ticket?.ref, cacheStatus: ticket?.cacheStatus, truncated })}`);
    }
    // Normal bodies cut too: their render ran over renderTimeoutMs (a starved CPU).
    result.otherCut += Math.max(0, truncated - vector.truncated);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - elapsed)));
  }
  return result;
}

/** `deskgraph_event_loop_delay_max_seconds` from the gateway's /metrics, in ms (and a new window). */
async function eventLoopDelayMaxMs(gateway: GatewayProc): Promise<number> {
  const response = await request(new URL('/metrics', gateway.url));
  const text = await response.body.text();
  const value = /^deskgraph_event_loop_delay_max_seconds (\S+)$/m.exec(text)?.[1];
  if (response.statusCode !== 200 || value === undefined) throw new Error(`no event-loop delay in /metrics (HTTP ${response.statusCode})`);
  return Number(value) * 1000;
}

interface Run {
  load: LoadResult;
  eventLoopMaxMs: number;
  hostile?: HostileReads;
}

export async function hostileContent(ctx: Context): Promise<Row[]> {
  const { fleet, settings } = ctx;
  const config = gatewayConfig(fleet, { cache: { ttlSeconds: 3600 } });
  return withGateway(ctx, 'gateway-hostile', config, async (gateway) => {
    const check = { forbid: [NO_ERRORS, '"cacheStatus":"MISS"', '"cacheStatus":"STALE"'] };
    const options = { url: gateway.url, query: FULL_TICKET, variables: FULL, connections: settings.connections, serverPid: gateway.proc.pid, check };
    // Warm: the hit ticket cached, the body pool started on a normal Tickiti ticket, and the
    // gateway's capacity for this load measured flat out.
    await graphql(gateway.url, FULL_TICKET, FULL);
    await graphql(gateway.url, TICKET_BODIES, { provider: 'TICKITI', ref: String(TEMPLATE.ticket.number) });
    const flatOut = await load('load-hostile-capacity', ctx, { ...options, warmupSeconds: settings.warmupSeconds, durationSeconds: settings.warmupSeconds });
    const rate = Math.max(20, Math.round(flatOut.rps / 2));
    const steady = { ...options, overallRate: rate, durationSeconds: settings.durationSeconds };

    const refs = { next: 900_000_000 };
    const baseline: Run[] = [];
    const hostile: Run[] = [];
    for (let round = 1; round <= settings.rounds; round += 1) {
      await eventLoopDelayMaxMs(gateway);
      const quiet = await load(`load-hostile-baseline-${round}`, ctx, steady);
      baseline.push({ load: quiet, eventLoopMaxMs: await eventLoopDelayMaxMs(gateway) });

      await eventLoopDelayMaxMs(gateway);
      let done = false;
      const reads = readHostile(ctx, gateway, refs, () => done);
      // Awaited below, after the load: a failure meanwhile is reported there, not as unhandled.
      reads.catch(() => undefined);
      const loud = await load(`load-hostile-${round}`, ctx, steady).finally(() => (done = true));
      const hostileReads = await reads;
      hostile.push({ load: loud, eventLoopMaxMs: await eventLoopDelayMaxMs(gateway), hostile: hostileReads });
    }
    return rows(flatOut.rps, rate, baseline, hostile);
  });
}

function rows(flatOutRps: number, rate: number, baseline: Run[], hostile: Run[]): Row[] {
  const p99 = (runs: Run[]) => median(runs.map((run) => run.load.latencyMs.p99));
  const ratios = hostile.map((run, round) => run.load.latencyMs.p99 / baseline[round]!.load.latencyMs.p99);
  const ratio = median(ratios);
  const reads = hostile.reduce((sum, run) => sum + run.hostile!.reads, 0);
  const failures = hostile.flatMap((run) => run.hostile!.failures);
  const otherCut = hostile.reduce((sum, run) => sum + run.hostile!.otherCut, 0);
  const problems = [...hostile, ...baseline].flatMap((run) => bodyProblems(run.load));
  const byVector: Record<string, number> = {};
  for (const run of hostile) for (const [name, count] of Object.entries(run.hostile!.byVector)) byVector[name] = (byVector[name] ?? 0) + count;
  const elapsed = hostile.flatMap((run) => run.hostile!.elapsedMs);
  const slowest = Math.max(...hostile.map((run) => run.hostile!.slowestMs));
  const readsNote =
    `${reads} hostile reads (${Object.entries(byVector).map(([name, count]) => `${count} × ${name}`).join(', ')}), ` +
    `answered in ${median(elapsed).toFixed(0)} ms median, ${slowest.toFixed(0)} ms slowest` +
    (failures.length > 0 ? `; ${failures.length} not as expected: ${failures.slice(0, 3).join(' | ')}` : '; each a MISS with its hostile body cut where it must be') +
    `; ${otherCut} normal bodies of those tickets were served truncated too (rendering over renderTimeoutMs)`;
  const worst = (runs: Run[]) => Math.max(...runs.map((run) => run.eventLoopMaxMs));
  const list = (values: number[], digits = 0) => values.map((value) => value.toFixed(digits)).join(', ');
  const verdict = (passed: boolean) => (problems.length > 0 ? 'invalid' : failures.length > 0 || !passed ? 'miss' : 'pass');
  const achieved = median(hostile.map((run) => run.load.rps));
  return [
    {
      scenario: `cache-hit load (steady ${rate} req/s) while one hostile Tickiti ticket a second is read`,
      rps: achieved,
      p50Ms: median(hostile.map((run) => run.load.latencyMs.p50)),
      p99Ms: p99(hostile),
      vsFloor: null,
      // Per hit answer, the hostile reads' CPU included.
      serverCpuUs: median(hostile.map((run) => cpuPerAnswer(run.load) ?? Number.NaN)),
      upstream: null,
      target: `p99 ≤ ${P99_TARGET_RATIO}× its p99 without hostile reads (${p99(baseline).toFixed(1)} ms)`,
      measured: `p99 ${p99(hostile).toFixed(1)} ms = ${ratio.toFixed(2)}× (rounds ${list(ratios, 2)})`,
      verdict: verdict(ratio <= P99_TARGET_RATIO),
      notes: [
        ...problems,
        readsNote,
        `p99 ms with hostile reads: ${list(hostile.map((run) => run.load.latencyMs.p99), 1)}; without: ${list(baseline.map((run) => run.load.latencyMs.p99), 1)}`,
        `the steady rate is half the ${flatOutRps.toFixed(0)} req/s this gateway answered flat out; the gateway, its body workers included, is pinned to one CPU`,
      ],
    },
    {
      scenario: 'gateway event-loop delay max during the hostile reads',
      rps: null,
      p50Ms: null,
      p99Ms: null,
      vsFloor: null,
      serverCpuUs: null,
      upstream: null,
      target: `≤ ${EVENT_LOOP_TARGET_MS} ms`,
      measured: `max ${worst(hostile).toFixed(0)} ms (without hostile reads: ${worst(baseline).toFixed(0)} ms)`,
      verdict: verdict(worst(hostile) <= EVENT_LOOP_TARGET_MS),
      notes: [
        `deskgraph_event_loop_delay_max_seconds per run, ms: with hostile reads ${list(hostile.map((run) => run.eventLoopMaxMs))}; without ${list(baseline.map((run) => run.eventLoopMaxMs))}`,
        'sampled every 10 ms, so an unblocked loop reads about 10 ms; a busy shared machine that deschedules the process shows here too (compare the runs without hostile reads)',
      ],
    },
  ];
}
