/**
 * `npm run bench`: DeskGraph against its targets (issue 3), every number from one run on this
 * machine. Separate processes: the five vendor simulators, the gateway (`dist/src/cli.js`, one
 * process per scenario), the bare-yoga floor, and a load worker (autocannon) per measurement.
 *
 * Floors, measured in the same run: a bare graphql-yoga server answering the same full-ticket
 * query with the same ticket as a constant, and direct undici calls to the simulator.
 * Scenarios: cache hit and cache miss, with all bodies and with none (measured in turn with the
 * floors, see throughput.ts), a steady hit load while hostile tickets are read (hostile.ts),
 * `tickets` fan-out, 1000 concurrent identical queries, a cache filled to maxBytes with 100k
 * tickets (scenarios.ts). Upstream requests are the simulators' own counts.
 *
 * Writes bench/results/latest.json and latest.md. `--profile` runs only the floor, hit and miss
 * under `node --cpu-prof` and writes bench/results/profile.md instead (see profile.ts);
 * `--throughput-only` runs only the floors, hit and misses and prints them; `--hostile-only`
 * only the hostile-content scenario.
 * Environment: BENCH_DURATION (s per run, default 5), BENCH_ROUNDS (3), BENCH_WARMUP (s, 2),
 * BENCH_CONNECTIONS (16).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSettings, Context } from './measure.js';
import type { MemoryResult } from './memory.js';
import { ROOT, startFleet } from './processes.js';
import { summarizeProfiles } from './profile.js';
import { markdownTable, notes, textTable, type Row } from './report.js';
import { replicaHits } from './replicas.js';
import { hostileContent } from './hostile.js';
import { fanOut, memory, singleFlight } from './scenarios.js';
import { throughput } from './throughput.js';

const SETTINGS: BenchSettings = {
  connections: Number(process.env['BENCH_CONNECTIONS'] ?? 16),
  warmupSeconds: Number(process.env['BENCH_WARMUP'] ?? 2),
  durationSeconds: Number(process.env['BENCH_DURATION'] ?? 5),
  rounds: Number(process.env['BENCH_ROUNDS'] ?? 3),
  fanOutRuns: 15,
  concurrent: 1000,
  memoryTickets: 100_000,
};
const PROFILE = process.argv.includes('--profile');
/** Only the floor, hit and miss, printed and not written: for trying a change quickly. */
const THROUGHPUT_ONLY = process.argv.includes('--throughput-only');
/** Only the Redis rows (hits with Redis against without), printed and not written. */
const REPLICAS_ONLY = process.argv.includes('--replicas-only');
/** Only the hostile-content scenario, printed and not written. */
const HOSTILE_ONLY = process.argv.includes('--hostile-only');
const RESULTS = join(ROOT, 'bench/results');

async function main(): Promise<void> {
  console.log('compiling the bench workers (bench/tsconfig.json → dist/bench)…');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'bench/tsconfig.json')], { stdio: 'inherit' });
  const logDir = await mkdtemp(join(tmpdir(), 'deskgraph-bench-'));
  const profileDir = join(logDir, 'profiles');
  await mkdir(profileDir);
  console.log(`logs and configs: ${logDir}`);
  const fleet = await startFleet(logDir);
  const ctx: Context = {
    settings: SETTINGS,
    fleet,
    logDir,
    served: {},
    profileArgs: (name) => (PROFILE ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, name)] : []),
  };
  const started = Date.now();
  const step = (what: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`);
  try {
    if (REPLICAS_ONLY) {
      step(`cache hits with Redis (local tier, shared) against without, ${SETTINGS.rounds} rounds`);
      const rows = await replicaHits(ctx);
      console.log(`\n${textTable(rows)}\n`);
      for (const note of notes(rows)) console.log(`- ${note}`);
      return;
    }
    if (HOSTILE_ONLY) {
      step('hostile content');
      const rows = await hostileContent(ctx);
      console.log(`\n${textTable(rows)}\n`);
      for (const note of notes(rows)) console.log(`- ${note}`);
      return;
    }
    step(`floors, cache hit and cache misses, ${SETTINGS.rounds} rounds of ${SETTINGS.durationSeconds} s each`);
    const { rows, idleGatewayRss } = await throughput(ctx);
    if (PROFILE) {
      await writeProfile(profileDir, rows, ctx.served);
      return;
    }
    if (THROUGHPUT_ONLY) {
      console.log(`\n${textTable(rows)}\n`);
      for (const note of notes(rows)) console.log(`- ${note}`);
      return;
    }
    step('hostile content under a steady cache-hit load');
    rows.push(...(await hostileContent(ctx)));
    step('`tickets` fan-out');
    rows.push(await fanOut(ctx));
    step('1000 concurrent identical queries');
    rows.push(await singleFlight(ctx));
    step(`cache hits with Redis (local tier, shared) against without, ${SETTINGS.rounds} rounds`);
    rows.push(...(await replicaHits(ctx)));
    step('memory: 100k tickets');
    const memoryRun = await memory(ctx, idleGatewayRss);
    rows.push(memoryRun.row);
    step('done');

    console.log(`\n${textTable(rows)}\n`);
    for (const note of notes(rows)) console.log(`- ${note}`);
    await writeResults(rows, memoryRun.result);
  } finally {
    await fleet.proc.stop();
  }
}

function machine() {
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` };
}

function commit(): { sha: string; dirty: boolean } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return { sha: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src').length > 0 };
  } catch {
    return { sha: 'unknown', dirty: true };
  }
}

async function writeResults(rows: Row[], memoryResult: MemoryResult): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const when = new Date().toISOString();
  const env = machine();
  const source = commit();
  const json = { generatedAt: when, machine: env, commit: source, settings: SETTINGS, rows, memory: memoryResult };
  await writeFile(join(RESULTS, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  const md = [
    '# DeskGraph benchmark: latest run',
    '',
    `${when} · ${env.cpus} × ${env.cpuModel} · Node ${env.node} · commit ${source.sha.slice(0, 10)}${source.dirty ? ' (with uncommitted changes in src/)' : ''}`,
    '',
    `Load: autocannon in its own process, ${SETTINGS.connections} connections. Floors, cache hit and cache misses are measured in turn, ` +
      `${SETTINGS.rounds} rounds of ${SETTINGS.durationSeconds} s after a ${SETTINGS.warmupSeconds} s warm-up; ratios are the medians of each round's ratio ` +
      'to the bare-yoga floor answering the same query. Servers (gateway, floor) are pinned to one CPU and load workers to the other; simulators float.',
    '',
    markdownTable(rows),
    '',
    ...notes(rows).map((note) => `- ${note}`),
    '',
  ].join('\n');
  await writeFile(join(RESULTS, 'latest.md'), md);
  console.log('\nwrote bench/results/latest.json and latest.md');
}

async function writeProfile(profileDir: string, rows: Row[], served: Record<string, number>): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const sections: string[] = [
    '# Where a gateway request spends its CPU',
    '',
    '`npm run bench -- --profile`: the floor and the cache-hit and cache-miss gateways under `node --cpu-prof`',
    "(the profiler slows every process down; these throughputs are not the benchmark's).",
    '',
    markdownTable(rows),
    '',
  ];
  for (const name of await readdir(profileDir)) {
    sections.push(await summarizeProfiles(join(profileDir, name), name, served[name]));
  }
  await writeFile(join(RESULTS, 'profile.md'), `${sections.join('\n')}\n`);
  console.log(`\n${textTable(rows)}\n\nwrote bench/results/profile.md (profiles in ${profileDir})`);
}

await main();
