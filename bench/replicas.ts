/**
 * Cache hits with Redis configured, against the local-only hit, in the same run: three gateways
 * side by side, measured in turn for `rounds` rounds (so a slow spell of the machine weighs on
 * all three), each ratio the median of the rounds' ratios.
 *
 * - local-only: no `redis` (the baseline);
 * - local-cache hit: Redis configured, the ticket in the local tier (no Redis round trip);
 * - shared-cache hit: Redis configured and a local tier too small to hold the ticket, so every
 *   read is one Redis lookup (one EVALSHA) plus decoding the entry.
 *
 * Redis is a private `redis-server` started for the bench, so its command counter
 * (`INFO commandstats`) counts this gateway's calls alone: reported per answered request.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import type { LoadResult } from './load-result.js';
import { settle } from './load-result.js';
import { bodyProblems, FULL, load, median, NO_ERRORS, type Context } from './measure.js';
import { gatewayConfig, graphql, startGateway, type GatewayProc } from './processes.js';
import { FULL_TICKET } from './queries.js';
import { cpuPerAnswer, type Row } from './report.js';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function commandsProcessed(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

interface Subject {
  key: 'local-only' | 'local-hit' | 'shared-hit';
  gateway: GatewayProc;
  results: LoadResult[];
  redisCommands: number[];
}

export async function replicaHits(ctx: Context): Promise<Row[]> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  const started: GatewayProc[] = [];
  try {
    await redis.ping();
    const url = `redis://127.0.0.1:${port}`;
    const fresh = { ttlSeconds: 3600 };
    const base = gatewayConfig(ctx.fleet, { cache: fresh });
    const start = async (name: string, config: Record<string, unknown>) => {
      const gateway = await startGateway(name, config, { logDir: ctx.logDir, nodeArgs: ctx.profileArgs(name) });
      started.push(gateway);
      return gateway;
    };
    const localOnly = await start('gateway-local-only', base);
    // A generous command deadline: under a saturating load the event loop itself can hold a reply
    // past 100 ms, and a read that falls back is a MISS, which this row is not about.
    const redisSettings = { url, commandTimeoutMs: 1000 };
    const localHit = await start('gateway-redis-local-hit', { ...base, redis: { ...redisSettings, keyPrefix: 'bench-local:' } });
    // A 1-byte local tier holds nothing: every read goes to Redis.
    const sharedHit = await start('gateway-redis-shared-hit', {
      ...gatewayConfig(ctx.fleet, { cache: { ...fresh, maxBytes: 1 } }),
      redis: { ...redisSettings, keyPrefix: 'bench-shared:' },
    });
    const subjects: Subject[] = [
      { key: 'local-only', gateway: localOnly, results: [], redisCommands: [] },
      { key: 'local-hit', gateway: localHit, results: [], redisCommands: [] },
      { key: 'shared-hit', gateway: sharedHit, results: [], redisCommands: [] },
    ];
    for (const subject of subjects) await graphql(subject.gateway.url, FULL_TICKET, FULL);
    const check = { forbid: [NO_ERRORS, '"cacheStatus":"MISS"', '"cacheStatus":"STALE"'] };
    const run = async (subject: Subject, name: string, durationSeconds: number) => {
      const before = await commandsProcessed(redis);
      const result = await load(name, ctx, {
        url: subject.gateway.url,
        serverPid: subject.gateway.proc.pid,
        query: FULL_TICKET,
        variables: FULL,
        connections: ctx.settings.connections,
        check,
        durationSeconds,
      });
      // INFO itself is one command.
      subject.redisCommands.push((await commandsProcessed(redis)) - before - 1);
      return result;
    };
    for (const subject of subjects) await run(subject, `warmup-${subject.key}`, ctx.settings.warmupSeconds);
    for (const subject of subjects) subject.redisCommands.length = 0;
    await settle();
    for (let round = 1; round <= ctx.settings.rounds; round += 1) {
      for (const subject of subjects) {
        subject.results.push(await run(subject, `load-${subject.key}-${round}`, ctx.settings.durationSeconds));
        await settle(1000);
      }
    }
    const [baseline, local, shared] = subjects as [Subject, Subject, Subject];
    return [row(baseline, baseline, null), row(local, baseline, 0.95), row(shared, baseline, 0.5)];
  } finally {
    await Promise.all(started.map((gateway) => gateway.proc.stop()));
    redis.disconnect();
    server.kill('SIGKILL');
  }
}

const NAMES: Record<Subject['key'], string> = {
  'local-only': 'cache hit, no Redis (baseline of the Redis rows)',
  'local-hit': 'cache hit with Redis, from the local tier',
  'shared-hit': 'cache hit with Redis, from Redis (local tier empty)',
};

function row(subject: Subject, baseline: Subject, target: number | null): Row {
  const ratios = subject.results.map((result, round) => result.rps / baseline.results[round]!.rps);
  const ratio = median(ratios);
  const requests = subject.results.reduce((sum, result) => sum + result.requests, 0);
  const commands = subject.redisCommands.reduce((sum, count) => sum + count, 0);
  const perRequest = requests > 0 ? commands / requests : 0;
  const problems = subject.results.flatMap(bodyProblems);
  return {
    scenario: NAMES[subject.key],
    rps: median(subject.results.map((result) => result.rps)),
    p50Ms: median(subject.results.map((result) => result.latencyMs.p50)),
    p99Ms: median(subject.results.map((result) => result.latencyMs.p99)),
    vsFloor: null,
    serverCpuUs: median(subject.results.map((result) => cpuPerAnswer(result) ?? Number.NaN)),
    upstream: null,
    target: target === null ? 'baseline' : `≥ ${target}× the hit without Redis`,
    measured: `${ratio.toFixed(2)}× (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')}); ${perRequest.toFixed(2)} Redis commands per request`,
    verdict: problems.length > 0 ? 'invalid' : target === null ? 'floor' : ratio >= target ? 'pass' : 'miss',
    notes:
      subject.key === 'shared-hit'
        ? [...problems, 'identical concurrent reads share one in-process flight, and so one Redis lookup: fewer commands than requests']
        : problems,
  };
}
