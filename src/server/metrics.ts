/**
 * Prometheus metrics (prom-client), one registry per gateway. Counters and histograms are fed
 * as things happen (HTTP answers, GraphQL results, vendor calls, cache reads); the gauges of
 * live state (cache size, budgets, cooldowns, circuits) are read from the gates and the cache
 * when Prometheus scrapes. Labels are bounded sets only (provider, status, code, route, result):
 * never a ref, an operation name, a caller key or anything else a caller controls.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Provider } from '../domain/provider.js';
import type { CircuitState, ProviderLiveState } from '../domain/provider-status.js';
import type { SharedStateMode, SharedStateStatus, StoreError } from '../stores/types.js';
import type { ExchangeListener } from '../transport/interceptors.js';
import { registerEventLoopDelay } from './event-loop-delay.js';
import type { ReadResult } from '../upstream/ticket-service.js';
import { executionResults } from './execution-results.js';
import { earlyErrorCode } from './http-errors.js';
import { currentRequest } from './request-id.js';

const CIRCUIT_VALUE: Record<CircuitState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };
const SHARED_STATE_MODES: readonly SharedStateMode[] = ['LOCAL', 'SHARED', 'DEGRADED'];

export interface MetricsSource {
  /** The configured providers. */
  providers: readonly Provider[];
  state(provider: Provider): Promise<ProviderLiveState>;
  /** This replica's shared-state mode. @default always LOCAL */
  sharedState?: (() => SharedStateStatus) | undefined;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;

  private readonly httpRequests = new Counter({
    name: 'deskgraph_http_requests_total',
    help: 'HTTP requests answered, by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'deskgraph_http_request_duration_seconds',
    help: "The gateway's own answer time, from the request's arrival to the last byte of its answer, by route.",
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly graphqlRequests = new Counter({
    name: 'deskgraph_graphql_requests_total',
    help: 'GraphQL operations answered, by whether the result held errors.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly graphqlErrors = new Counter({
    name: 'deskgraph_graphql_errors_total',
    help: 'Errors in GraphQL results, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly upstreamRequests = new Counter({
    name: 'deskgraph_upstream_requests_total',
    help: 'Requests to vendor APIs, by provider and HTTP status (or "network" / "timeout" when there was no answer).',
    labelNames: ['provider', 'status'] as const,
    registers: [this.registry],
  });
  private readonly upstreamDuration = new Histogram({
    name: 'deskgraph_upstream_request_duration_seconds',
    help: 'Time to the vendor answer headers (or the failure), by provider.',
    labelNames: ['provider'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly cacheReads = new Counter({
    name: 'deskgraph_cache_reads_total',
    help: 'Ticket reads by provider and result: HIT (fresh copy), MISS (read from the vendor), SHARED (joined a vendor read already under way), STALE (vendor failed or cooling down).',
    labelNames: ['provider', 'result'] as const,
    registers: [this.registry],
  });

  private readonly storeErrors = new Counter({
    name: 'deskgraph_store_errors_total',
    help: 'Store failures the gateway fell back from (a miss, a local budget, a local lead, a skipped write), by store and code.',
    labelNames: ['store', 'code'] as const,
    registers: [this.registry],
  });
  /** Stops the event-loop delay monitor (see event-loop-delay.ts). */
  readonly close: () => void;

  constructor(source: MetricsSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'deskgraph_' });
    this.close = registerEventLoopDelay(this.registry);
    const registers = [this.registry];
    // One scrape collects every gauge at once: read each provider's state once for all of them,
    // so the gauges agree with each other and a shared store is asked once per provider.
    let scrape: Promise<Map<Provider, ProviderLiveState>> | undefined;
    const states = () =>
      (scrape ??= Promise.all(source.providers.map(async (provider) => [provider, await source.state(provider)] as const))
        .then((entries) => new Map(entries))
        .finally(() => setImmediate(() => (scrape = undefined))));
    const perProvider = (
      name: string,
      help: string,
      read: (state: ProviderLiveState, now: number) => number | null,
    ): Gauge<'provider'> =>
      new Gauge({
        name,
        help,
        labelNames: ['provider'] as const,
        registers,
        async collect() {
          this.reset();
          const now = Date.now();
          for (const [provider, state] of await states()) {
            const value = read(state, now);
            if (value !== null) this.set({ provider }, value);
          }
        },
      });

    perProvider('deskgraph_cache_entries', "Tickets in this replica's cache, by provider.", (s) => s.cache.entries);
    perProvider('deskgraph_cache_bytes', 'Estimated in-memory size of cached tickets, by provider.', (s) => s.cache.bytes);
    perProvider('deskgraph_circuit_state', 'Circuit breaker: 0 closed, 1 half-open, 2 open.', (s) => CIRCUIT_VALUE[s.health.circuit]);
    perProvider('deskgraph_ratelimit_cooldown_seconds', 'Seconds until the vendor may be called again (0 when not cooling down).', (s, now) =>
      s.rateLimit.cooldownUntil === null ? 0 : Math.max(0, (s.rateLimit.cooldownUntil - now) / 1000),
    );
    perProvider('deskgraph_ratelimit_tokens', "Calls that may start now under DeskGraph's token bucket.", (s) => s.rateLimit.tokens);
    perProvider('deskgraph_ratelimit_vendor_remaining', 'X-RateLimit-Remaining, as the vendor last said.', (s) => s.rateLimit.vendorRemaining);
    perProvider('deskgraph_upstream_in_flight', "Vendor calls holding one of this replica's slots.", (s) => s.rateLimit.inFlight);
    perProvider('deskgraph_upstream_queued', 'Vendor calls waiting for a slot or a token.', (s) => s.rateLimit.queued);

    const sharedState = source.sharedState;
    new Gauge({
      name: 'deskgraph_shared_state',
      help: "1 for this replica's shared-state mode (LOCAL: no Redis; SHARED: Redis answers; DEGRADED: Redis failing, local fallback), 0 for the others.",
      labelNames: ['mode'] as const,
      registers,
      collect() {
        const mode = sharedState?.().mode ?? 'LOCAL';
        for (const each of SHARED_STATE_MODES) this.set({ mode: each }, each === mode ? 1 : 0);
      },
    });
  }

  /** Counts one store failure the gateway fell back from. */
  storeFailed(error: StoreError): void {
    this.storeErrors.inc({ store: error.store, code: error.code });
  }

  /** Counts one finished HTTP answer, which took `seconds`. */
  httpAnswered(route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  /** Counts one ticket read's cache result. */
  ticketRead(provider: Provider, result: ReadResult): void {
    this.cacheReads.inc({ provider, result });
  }

  /** Feeds the vendor call counters and latency of one provider (its transport's metrics interceptor). */
  upstreamListener(provider: Provider): ExchangeListener {
    return {
      response: (status, _headers, durationMs) => {
        this.upstreamRequests.inc({ provider, status: String(status) });
        this.upstreamDuration.observe({ provider }, durationMs / 1000);
      },
      failure: (kind, durationMs) => {
        this.upstreamRequests.inc({ provider, status: kind });
        this.upstreamDuration.observe({ provider }, durationMs / 1000);
      },
    };
  }

  /** A yoga plugin counting every HTTP answer by route, and GraphQL results and their errors by code. */
  plugin(): Plugin {
    return {
      onResultProcess: ({ result }) => {
        for (const single of executionResults(result)) {
          const errors = single.errors ?? [];
          this.graphqlRequests.inc({ outcome: errors.length > 0 ? 'error' : 'ok' });
          for (const error of errors) this.graphqlErrors.inc({ code: codeOf(error) });
        }
      },
      // Answers made before GraphQL ran (401 UNAUTHENTICATED…) have no result to process.
      onResponse: ({ request, response, serverContext }) => {
        const route = routeOf(new URL(request.url).pathname);
        const { startedAt } = currentRequest();
        const answered = () => this.httpAnswered(route, response.status, (performance.now() - startedAt) / 1000);
        // To the last byte: the node response finishes once its body is written.
        const res = (serverContext as { res?: { once?: (event: 'finish', listener: () => void) => unknown } } | undefined)?.res;
        if (typeof res?.once === 'function') res.once('finish', answered);
        else answered();
        const code = earlyErrorCode(response);
        if (code === undefined || route !== 'graphql') return;
        this.graphqlRequests.inc({ outcome: 'error' });
        this.graphqlErrors.inc({ code: codeOf({ extensions: { code } }) });
      },
    };
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

const ROUTES: Record<string, string> = { '/graphql': 'graphql', '/healthz': 'healthz', '/readyz': 'readyz', '/metrics': 'metrics' };

/** A bounded label: the routes the gateway serves, everything else "other". */
function routeOf(pathname: string): string {
  return ROUTES[pathname] ?? 'other';
}

function codeOf(error: GraphQLError | { extensions?: Record<string, unknown> }): string {
  const code = error.extensions?.['code'];
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'UNKNOWN';
}
