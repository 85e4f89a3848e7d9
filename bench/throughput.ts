/**
 * Throughput against the floors. Two bare-yoga floors (the full ticket, and the same ticket with
 * no body field selected), a cache-hit gateway and two cache-miss gateways (all ten bodies, and
 * no body) run side by side (pinned to the server CPU, idle unless under load) and are measured
 * in turn, `rounds` times, so that a slow spell of a shared machine weighs on all of them alike;
 * each ratio is the median of the rounds' ratios to the floor answering the same query. Then the
 * vendor call alone (direct undici). Rows: throughput-rows.ts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { settle } from './load-result.js';
import { FULL, load, NO_ERRORS, type Context } from './measure.js';
import {
  BENCH_DIST,
  gatewayConfig,
  graphql,
  memoryOf,
  SERVER_CPU,
  spawnNode,
  startGateway,
  waitForLine,
  type Proc,
} from './processes.js';
import { FULL_TICKET, TICKET_NO_BODIES } from './queries.js';
import type { Row } from './report.js';
import { floorRow, hitRow, missRow, undiciFloorRow, type Subject } from './throughput-rows.js';

export interface ThroughputOutcome {
  rows: Row[];
  /** RSS of a gateway process that is up and has served nothing, in bytes. */
  idleGatewayRss: number;
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

/** A floor process; one per query shape, so that each profile covers one kind of answer. */
async function startFloor(ctx: Context, name: string, ticket: unknown): Promise<{ proc: Proc; url: string }> {
  const file = join(ctx.logDir, 'ticket.json');
  await writeFile(file, JSON.stringify(ticket));
  const proc = spawnNode(name, join(BENCH_DIST, 'floor-yoga.js'), [file], {
    logDir: ctx.logDir,
    nodeArgs: ctx.profileArgs(name),
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
  const gateway = (name: string, config: Record<string, unknown>) => startGateway(name, config, { ...startup, nodeArgs: ctx.profileArgs(name) });
  // The hit gateway keeps its copy fresh for the whole run (the default TTL is 60 s).
  const hit = await gateway('gateway-cache-hit', gatewayConfig(fleet, { cache: { ttlSeconds: 3600 } }));
  const miss = await gateway('gateway-cache-miss', gatewayConfig(fleet));
  const missNoBody = await gateway('gateway-cache-miss-no-body', gatewayConfig(fleet));
  const floors: { proc: Proc; url: string }[] = [];
  try {
    const idleGatewayRss = (await memoryOf(hit.proc.pid)).rss;
    const ticket = await fixture(hit.url);
    const floor = await startFloor(ctx, 'floor-yoga', ticket);
    floors.push(floor);
    const floorNoBody = await startFloor(ctx, 'floor-yoga-no-body', ticket);
    floors.push(floorNoBody);
    // Cache miss: every request reads a ticket no one read before (distinct refs, each a copy of
    // the same ten-message thread that the simulator synthesizes), so each is a real miss: one
    // vendor call, validation, mapping, and the bodies the query selects. Nothing is merged by
    // single flight. Checked: vendor calls = answers, all MISS.
    await fleet.controls('HEADONI', { synthesize: true });
    const full = { query: FULL_TICKET, variables: FULL, connections: settings.connections };
    const noBody = { ...full, query: TICKET_NO_BODIES };
    const hitCheck = { forbid: [NO_ERRORS, '"cacheStatus":"MISS"', '"cacheStatus":"STALE"'] };
    const missCheck = { forbid: [NO_ERRORS, '"cacheStatus":"HIT"', '"cacheStatus":"STALE"'] };
    const subject = (key: string, options: Subject['options'], distinct = false): Subject => ({ key, options, distinct, results: [], upstream: [] });
    const subjects: Subject[] = [
      subject('floor', { ...full, url: floor.url, serverPid: floor.proc.pid, check: { forbid: [NO_ERRORS] } }),
      subject('floor-no-body', { ...noBody, url: floorNoBody.url, serverPid: floorNoBody.proc.pid, check: { forbid: [NO_ERRORS] } }),
      subject('hit', { ...full, url: hit.url, serverPid: hit.proc.pid, check: hitCheck }),
      subject('miss', { ...full, url: miss.url, serverPid: miss.proc.pid, check: missCheck }, true),
      subject('miss-no-body', { ...noBody, url: missNoBody.url, serverPid: missNoBody.proc.pid, check: missCheck }, true),
    ];
    let nextRefs = 10_000_000;
    const run = async (subject: Subject, name: string, durationSeconds: number) => {
      const distinctRefs = subject.distinct ? { refVariable: 'ref', start: (nextRefs += 1_000_000) } : undefined;
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

    const [floorRuns, floorNoBodyRuns, hitRuns, missRuns, missNoBodyRuns] = subjects as [Subject, Subject, Subject, Subject, Subject];
    const served = (subject: Subject) => subject.results.reduce((sum, result) => sum + result.requests, warmups[subject.key] ?? 0);
    ctx.served['floor-yoga'] = served(floorRuns);
    ctx.served['floor-yoga-no-body'] = served(floorNoBodyRuns);
    ctx.served['gateway-cache-hit'] = served(hitRuns) + 1;
    ctx.served['gateway-cache-miss'] = served(missRuns);
    ctx.served['gateway-cache-miss-no-body'] = served(missNoBodyRuns);
    const rows = [
      floorRow(floorRuns, 'floor: bare graphql-yoga, constant ticket'),
      floorRow(floorNoBodyRuns, 'floor: bare graphql-yoga, constant ticket, no body field selected'),
      await undiciFloorRow(ctx, floorRuns),
      hitRow(floorRuns, hitRuns),
      missRow(ctx, floorNoBodyRuns, missNoBodyRuns, {
        scenario: 'cache miss, distinct tickets, no body selected (simulator at 0 ms)',
        target: 0.6,
        also: { floor: floorRuns, name: 'the full-ticket floor' },
        lesserBar: { ratio: 0.44, why: "issue 9's lesser bar, 2× the Mesh-shaped 0.22× floor" },
      }),
      missRow(ctx, floorRuns, missRuns, { scenario: 'cache miss, distinct tickets, all 10 bodies (simulator at 0 ms)', target: 0.3 }),
    ];
    return { rows, idleGatewayRss };
  } finally {
    await Promise.all([...floors.map((floor) => floor.proc.stop()), hit.proc.stop(), miss.proc.stop(), missNoBody.proc.stop()]);
  }
}
