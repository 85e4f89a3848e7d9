/**
 * Assembles a running gateway from a configuration: one keep-alive dispatcher, composed per
 * provider with its interceptors (budget headers, metrics, logging), one connector per configured
 * provider behind its gate (limits, cooldown, breaker), the stores (cache, budget, flights,
 * change feed: this replica's memory unless `stores` brings shared ones), the ticket service,
 * metrics, the one caller check, and the yoga server over them (every route but
 * `/attachments/<id>`, which streams files outside it), behind a node:http server with the edge's
 * timeouts and connection cap. `close()` drains and releases everything.
 */
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { BodyRenderer } from '../bodies/body-renderer.js';
import type { DeskGraphConfig, RedisConfig } from '../config/schema.js';
import { PROVIDERS, providerKey, type Provider } from '../domain/provider.js';
import type { ProviderGate } from '../governance/provider-gate.js';
import { MemoryBudgetStore } from '../stores/memory-budget-store.js';
import { localSharedState } from '../stores/memory-change-feed.js';
import { MemoryFlightCoordinator } from '../stores/memory-flight-coordinator.js';
import { MemoryTicketStore } from '../stores/memory-ticket-store.js';
import { createRedisStores } from '../stores/redis-stores.js';
import type { BudgetRule, BudgetStore, ChangeFeed, FlightCoordinator, LocalTicketStore, SharedStateMonitor, StoreError } from '../stores/types.js';
import { createDispatcher } from '../transport/http.js';
import type { Interceptor } from '../transport/interceptors.js';
import { TicketService, type ProviderRuntime } from '../upstream/ticket-service.js';
import { ATTACHMENTS_PREFIX } from './attachment-links.js';
import { attachmentSourcesOf, createAttachmentRoute } from './attachments-route.js';
import { createCallerCheck } from './auth.js';
import { clientAddressOf } from './client-address.js';
import { createEdgeServer } from './edge-server.js';
import { createHostCheck } from './hosts.js';
import { KeyThrottle } from './key-throttle.js';
import { GatewayMetrics } from './metrics.js';
import type { ProviderLiveState } from '../domain/provider-status.js';
import { describeProviders, liveState } from './provider-directory.js';
import { useMetricsEndpoint } from './metrics-endpoint.js';
import { providerRuntime } from './provider-runtime.js';
import type { Logger } from '../telemetry/logger.js';
import { useTracing } from '../telemetry/use-tracing.js';
import { createDeskGraphYoga } from './yoga.js';

export interface GatewayOptions {
  config: DeskGraphConfig;
  logger: Logger;
  /** The HTTP client pool for vendor calls. @default a keep-alive undici Agent, closed with the gateway */
  dispatcher?: Dispatcher;
  /** GraphiQL's default tab. @default a tour that lists the providers */
  defaultQuery?: string;
  /** Shared stores (Redis). @default this replica's memory (`memoryStores`) */
  stores?: GatewayStores;
  /** Outermost interceptors on every vendor call (tracing), per provider. @default none */
  vendorInterceptors?: ((provider: Provider) => Interceptor[]) | undefined;
  /** A span per GraphQL operation (`useTracing`): on when the OpenTelemetry SDK was started. @default false */
  tracing?: boolean;
}

/** Where the gateway keeps what replicas may share. */
export interface GatewayStores {
  cache: LocalTicketStore;
  budget: BudgetStore;
  flights: FlightCoordinator;
  changes?: ChangeFeed | undefined;
  sharedState: SharedStateMonitor;
  /** Replicas the deployment runs (`providers` shows maxConcurrency × replicas). @default 1 */
  replicas?: number | undefined;
  /** The local bucket each provider falls back to while the budget store fails. @default the provider's own rule */
  fallbackBucket?: ((rule: BudgetRule) => BudgetRule) | undefined;
  /** Hears the store failures the stores absorbed themselves (a lookup answered locally). */
  onAbsorbedFailure?(listener: (error: StoreError) => void): () => void;
  /** Resolves once the shared store answers, or after `ms`: `listen` waits for it that long. */
  ready?(ms: number): Promise<boolean>;
  /** Released when the gateway closes. */
  close?(): Promise<void>;
}

/** How long `listen` waits for Redis at start-up before serving from memory (it keeps trying). */
const SHARED_STORE_READY_MS = 2000;

/**
 * Every replica with the same `redis.url` and `keyPrefix` shares the cache (this replica's
 * memory tier in front, bounded by `cache.maxBytes`), single flight and vendor budget.
 */
export function redisStores(redis: RedisConfig, config: DeskGraphConfig, logger: Logger): GatewayStores {
  return createRedisStores(redis, new MemoryTicketStore({ maxBytes: config.cache.maxBytes }), logger);
}

/** One replica on its own: everything in this process's memory. */
export function memoryStores(config: DeskGraphConfig): GatewayStores {
  return {
    cache: new MemoryTicketStore({ maxBytes: config.cache.maxBytes }),
    budget: new MemoryBudgetStore(),
    flights: new MemoryFlightCoordinator(),
    sharedState: localSharedState(),
  };
}

export interface Gateway {
  readonly service: TicketService;
  /** Each configured provider's gate: its live limits, cooldown and circuit. */
  readonly gates: ReadonlyMap<Provider, ProviderGate>;
  /** This replica's ticket cache (the local tier in front of a shared store). */
  readonly cache: LocalTicketStore;
  /** The body-rendering worker pool. */
  readonly bodies: BodyRenderer;
  readonly metrics: GatewayMetrics;
  /** Starts listening; resolves to the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  readonly url: string;
  /**
   * Drains: `/readyz` turns 503, no new connection is accepted, in-flight requests finish (up
   * to `graceMs`, then their connections are cut), and everything is released.
   */
  close(graceMs?: number): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config, logger } = options;
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? createDispatcher();

  const stores = options.stores ?? (config.redis ? redisStores(config.redis, config, logger) : memoryStores(config));
  const { cache } = stores;
  const bodies = new BodyRenderer({
    maxBytes: config.bodies.maxBytes,
    renderTimeoutMs: config.bodies.renderTimeoutMs,
    threads: config.bodies.threads,
    sanitize: { remoteImages: config.bodies.remoteImages, maxImageDimension: config.bodies.maxImageDimension },
    // Rendered bodies live with their cached ticket and count toward cache.maxBytes.
    onMemo: (ticket, bytes) => cache.charge(ticket, bytes),
  });
  const runtimes = new Map<Provider, ProviderRuntime>();
  const readLiveState = async (provider: Provider): Promise<ProviderLiveState> => {
    const gate = runtimes.get(provider)?.gate;
    if (!gate) throw new Error(`${provider} is not configured`);
    const [gateState, cacheStats] = await Promise.all([gate.state(), cache.stats(provider)]);
    return liveState(gateState, cacheStats, stores.sharedState.status(), Date.now());
  };
  const metrics = new GatewayMetrics({
    providers: configuredProviders(config),
    state: readLiveState,
    sharedState: () => stores.sharedState.status(),
  });
  for (const provider of configuredProviders(config)) {
    const settings = config.providers[providerKey(provider)]!;
    const extra = options.vendorInterceptors?.(provider) ?? [];
    runtimes.set(provider, providerRuntime({ provider, settings, config, dispatcher, stores, metrics, logger, extra }));
  }

  const service = new TicketService({
    providers: runtimes,
    cache,
    flights: stores.flights,
    changes: stores.changes,
    staleSeconds: config.cache.staleSeconds,
    notFoundSeconds: config.cache.notFoundSeconds,
    onRead: (provider, result) => metrics.ticketRead(provider, result),
    onStoreError: (error) => metrics.storeFailed(error),
  });
  // One count of unknown keys per address, and one caller check, for every route keys guard.
  const keyThrottle = config.auth ? new KeyThrottle({ ...config.server.keyThrottle, logger }) : undefined;
  // One host check for every route but the probes (server.allowedHosts).
  const hostAllowed = createHostCheck(config.server.allowedHosts);
  const callers = createCallerCheck({ auth: config.auth, throttle: keyThrottle, clientAddress: clientAddressOf(config.server.trustedProxies) });
  // Attachments whose vendor download needs the vendor's token are served at /attachments/<id>.
  const attachmentSources = attachmentSourcesOf(runtimes, config);
  const attachments = createAttachmentRoute({
    tickets: service,
    sources: attachmentSources,
    callers,
    settings: config.attachments,
    logger,
    hostAllowed,
    onAnswered: (status, seconds) => metrics.httpAnswered('attachments', status, seconds),
  });
  const stopHearing = stores.onAbsorbedFailure?.((error) => metrics.storeFailed(error));
  let server: Server | undefined;
  let draining = false;
  const yoga = createDeskGraphYoga({
    service,
    directory: describeProviders(config, readLiveState, { replicas: stores.replicas }),
    bodies,
    logger,
    graphiql: config.graphiql.enabled,
    defaultQuery: options.defaultQuery,
    callers,
    ready: () => !draining,
    hostAllowed,
    limits: config.limits,
    introspection: config.introspection.enabled,
    compression: config.server.compression,
    cors: { origins: config.server.cors.origins, maxAgeSeconds: config.server.cors.maxAgeSeconds },
    plugins: [metrics.plugin(), useMetricsEndpoint({ metrics }), ...(options.tracing ? [useTracing()] : [])],
    attachments: { providers: new Set(attachmentSources.keys()), publicUrl: config.server.publicUrl },
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
    if (req.url?.startsWith(ATTACHMENTS_PREFIX)) attachments(req, res);
    else void yoga(req, res);
  };

  return {
    service,
    gates: new Map([...runtimes].map(([provider, runtime]) => [provider, runtime.gate])),
    cache,
    bodies,
    metrics,
    async listen(port = config.server.port, host = config.server.host) {
      // Serving before Redis answers would spend a local budget for nothing; it is not worth a hang.
      await stores.ready?.(SHARED_STORE_READY_MS);
      server = createEdgeServer(config.server, handle);
      server.listen(port, host);
      await once(server, 'listening');
      return this.url;
    },
    get url() {
      if (!server) throw new Error('gateway is not listening');
      const { address, family, port } = server.address() as AddressInfo;
      const shown = address === '0.0.0.0' || address === '::' ? 'localhost' : family === 'IPv6' ? `[${address}]` : address;
      return `http://${shown}:${port}/graphql`;
    },
    async close(graceMs = 10_000) {
      draining = true;
      const current = server;
      server = undefined;
      if (current) {
        const closed = new Promise<void>((resolve) => current.close(() => resolve()));
        current.closeIdleConnections();
        const deadline = setTimeout(() => {
          logger.warn({ graceMs }, 'drain deadline passed: closing the connections still open');
          current.closeAllConnections();
        }, graceMs);
        await closed;
        clearTimeout(deadline);
      }
      await yoga.dispose();
      await bodies.close();
      metrics.close();
      if (ownDispatcher) await dispatcher.close();
      stopHearing?.();
      await stores.close?.();
    },
  };
}

function configuredProviders(config: DeskGraphConfig): Provider[] {
  return PROVIDERS.filter((provider) => config.providers[providerKey(provider)] !== undefined);
}
