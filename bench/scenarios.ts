/**
 * The scenarios judged on something other than throughput: `tickets` fan-out wall time,
 * single flight under 1000 concurrent queries, and memory with the cache full.
 */
import type { Provider } from '../src/domain/provider.js';
import { SIMULATORS } from '../src/simulators/index.js';
import type { UndiciFloorOptions } from './floor-undici.js';
import type { LoadResult } from './load-result.js';
import { bodyProblems, load, NO_ERRORS, withGateway, type Context } from './measure.js';
import type { MemoryResult } from './memory.js';
import { gatewayConfig, runWorker } from './processes.js';
import { FULL_TICKET, TICKET_CARDS } from './queries.js';
import { cpuPerAnswer, mib, MiB, type Row } from './report.js';

/** 50 refs, ten from each provider's sample desk. */
function fanOutRefs(): { provider: Provider; ref: string }[] {
  return (Object.keys(SIMULATORS) as Provider[]).flatMap((provider) =>
    Array.from({ length: 10 }, (_, index) => ({ provider, ref: SIMULATORS[provider].sampleRef(index) })),
  );
}

export async function fanOut(ctx: Context): Promise<Row> {
  const { fleet } = ctx;
  await fleet.controlsAll({ latencyMs: 50 });
  try {
    // One vendor call of 50 ms, measured the same way (sequential, one connection).
    const vendor = fleet.vendors.HEADONI;
    const call = await runWorker<LoadResult>(
      'fan-out-vendor-call',
      'floor-undici.js',
      {
        origin: vendor.url,
        path: `/api/v1/tickets/${SIMULATORS.HEADONI.sampleRef(0)}`,
        method: 'GET',
        headers: { authorization: `Bearer ${vendor.token}` },
        connections: 1,
        amount: ctx.settings.fanOutRuns,
      } satisfies UndiciFloorOptions,
      ctx.logDir,
    );
    // No cache (ttl 0): every run reads all 50 tickets from the vendors, at most 10 at once each.
    const config = gatewayConfig(fleet, { tuning: { maxConcurrency: 10 }, cache: { ttlSeconds: 0, staleSeconds: 0 } });
    return await withGateway(ctx, 'gateway-fan-out', config, async (gateway) => {
      const refs = fanOutRefs();
      const options = { url: gateway.url, query: TICKET_CARDS, variables: { refs }, connections: 1, serverPid: gateway.proc.pid };
      const check = { forbid: [NO_ERRORS, '"cacheStatus":"HIT"', '"cacheStatus":"STALE"'] };
      await runWorker<LoadResult>('load-fan-out-warmup', 'load.js', { ...options, amount: 3, check }, ctx.logDir);
      const result = await load('load-fan-out', ctx, { ...options, amount: ctx.settings.fanOutRuns, check });
      const stats = await fleet.upstream();
      const ratio = result.latencyMs.p50 / call.latencyMs.p50;
      const problems = bodyProblems(result);
      if (stats.total !== refs.length * result.requests) problems.push(`${stats.total} vendor requests for ${result.requests} × ${refs.length} refs`);
      const overCap = Object.entries(stats.maxInFlight).filter(([, inFlight]) => inFlight > 10);
      if (overCap.length > 0) problems.push(`more than 10 in flight at ${overCap.map(([p, n]) => `${p} (${n})`).join(', ')}`);
      return {
        scenario: '`tickets`, 50 refs across 5 providers (simulators at 50 ms, maxConcurrency 10)',
        rps: result.rps,
        p50Ms: result.latencyMs.p50,
        p99Ms: result.latencyMs.p99,
        vsFloor: null,
        serverCpuUs: cpuPerAnswer(result),
        upstream: stats.total,
        target: `wall ≤ 1.2× one vendor call (${call.latencyMs.p50.toFixed(0)} ms)`,
        measured: `p50 wall ${result.latencyMs.p50.toFixed(0)} ms = ${ratio.toFixed(2)}× one call`,
        verdict: problems.length > 0 ? 'invalid' : ratio <= 1.2 ? 'pass' : 'miss',
        notes: [...problems, `${ctx.settings.fanOutRuns} sequential queries, no cache; upstream is the total over all of them`],
      };
    });
  } finally {
    await fleet.controlsAll({ latencyMs: 0 });
  }
}

export async function singleFlight(ctx: Context): Promise<Row> {
  const { fleet } = ctx;
  // A ticket no one read yet, and a vendor slow enough that every request arrives while the
  // one vendor call is in flight; late arrivals would be served by the cache.
  await fleet.controls('HEADONI', { synthesize: true, latencyMs: 1000 });
  try {
    return await withGateway(ctx, 'gateway-single-flight', gatewayConfig(fleet), async (gateway) => {
      const miss = '"cacheStatus":"MISS"';
      const hit = '"cacheStatus":"HIT"';
      const result = await load('load-single-flight', ctx, {
        url: gateway.url,
        query: FULL_TICKET,
        variables: { provider: 'HEADONI', ref: '77000001' },
        connections: ctx.settings.concurrent,
        amount: ctx.settings.concurrent,
        serverPid: gateway.proc.pid,
        check: { forbid: [NO_ERRORS], count: [miss, hit] },
      });
      const stats = await fleet.stats('HEADONI');
      const upstream = (await fleet.upstream()).total;
      const problems = bodyProblems(result);
      if (result.requests !== ctx.settings.concurrent) problems.push(`${result.requests} answers of ${ctx.settings.concurrent}`);
      return {
        scenario: `${ctx.settings.concurrent} concurrent identical ticket queries`,
        rps: null,
        p50Ms: result.latencyMs.p50,
        p99Ms: result.latencyMs.p99,
        vsFloor: null,
        serverCpuUs: cpuPerAnswer(result),
        upstream,
        target: 'exactly 1 upstream request',
        measured: `${upstream} upstream (most in flight: ${stats.maxInFlight})`,
        verdict: problems.length > 0 ? 'invalid' : upstream === 1 ? 'pass' : 'miss',
        notes: [
          ...problems,
          `${result.counts[miss] ?? 0} answers shared the one vendor call (MISS), ${result.counts[hit] ?? 0} arrived after it and were cache hits; the vendor took 1000 ms`,
        ],
      };
    });
  } finally {
    await fleet.controls('HEADONI', { synthesize: false, latencyMs: 0 });
  }
}

export async function memory(ctx: Context, idleGatewayRss: number): Promise<{ row: Row; result: MemoryResult }> {
  const result = await runWorker<MemoryResult>('memory', 'memory.js', { tickets: ctx.settings.memoryTickets }, ctx.logDir, ['--expose-gc']);
  const limit = result.maxBytes + 100 * MiB;
  const accuracy = result.averageEntryBytes / result.heapPerEntry - 1;
  return {
    result,
    row: {
      scenario: `cache filled to maxBytes with ${ctx.settings.memoryTickets / 1000}k tickets`,
      rps: null,
      p50Ms: null,
      p99Ms: null,
      vsFloor: null,
      serverCpuUs: null,
      upstream: null,
      target: 'RSS ≤ maxBytes + 100 MiB',
      measured: `peak RSS ${mib(result.peakRss)} vs ${mib(limit)} (maxBytes ${mib(result.maxBytes)})`,
      verdict: result.peakRss <= limit ? 'pass' : 'miss',
      notes: [
        `${result.entries} entries, ${mib(result.bytes)} charged; RSS after a full GC ${mib(result.rss)}; heap ${mib(result.heapUsed)}`,
        `RSS with the gateway up and the cache empty: ${mib(result.baselineRss)} (a real gateway process idles at ${mib(idleGatewayRss)})`,
        `estimated ${result.averageEntryBytes.toFixed(0)} B per entry, measured ${result.heapPerEntry.toFixed(0)} B of heap per entry (${(accuracy * 100).toFixed(1)}%)`,
      ],
    },
  };
}
