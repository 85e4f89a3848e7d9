/**
 * Assembles a running gateway from a configuration: one keep-alive dispatcher, one connector
 * per configured provider behind its gate (limits, cooldown, breaker), the shared cache and
 * rate-limit store, the ticket service, metrics, and the yoga server over them, behind a
 * node:http server with `/healthz`, `/readyz` and `/metrics`. Each HTTP request runs in its own
 * request context (its id reaches the vendor calls' log lines). `close()` drains and releases
 * everything.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { BodyRenderer } from '../bodies/body-renderer.js';
import { CONNECTORS } from '../connectors/index.js';
import type { DeskGraphConfig, ProviderConfig } from '../config/schema.js';
import { PROVIDERS, providerKey, type Provider } from '../domain/provider.js';
import { createDispatcher, HttpTransport, type UpstreamObserver } from '../upstream/http.js';
import { ProviderGate } from '../upstream/provider-gate.js';
import { MemoryRateLimitStore, type RateLimitStore } from '../upstream/rate-limit-store.js';
import { DEFAULT_RETRY_POLICY } from '../upstream/retry.js';
import { MemoryTicketCache, type TicketCache } from '../upstream/ticket-cache.js';
import { TicketService, type ProviderRuntime } from '../upstream/ticket-service.js';
import { createAuthenticator, refusal } from './auth.js';
import { GatewayMetrics } from './metrics.js';
import { describeProviders, type ProviderLiveState } from './providers.js';
import { currentRequestId, requestIdFrom, runInRequest } from './request-context.js';
import type { Logger } from './logger.js';
import { createDeskGraphYoga } from './yoga.js';

export interface GatewayOptions {
  config: DeskGraphConfig;
  logger: Logger;
  /** The HTTP client pool for vendor calls. @default a keep-alive undici Agent, closed with the gateway */
  dispatcher?: Dispatcher;
  /** GraphiQL's default tab. @default a tour that lists the providers */
  defaultQuery?: string;
}

export interface Gateway {
  readonly service: TicketService;
  /** Each configured provider's gate: its live limits, cooldown and circuit. */
  readonly gates: ReadonlyMap<Provider, ProviderGate>;
  readonly cache: TicketCache;
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

  if (config.redis) {
    logger.warn(
      'redis is configured, but this version keeps the cache and rate-limit budgets in memory: each replica spends its own vendor budget',
    );
  }
  const store = new MemoryRateLimitStore();
  const cache = new MemoryTicketCache({ maxBytes: config.cache.maxBytes });
  const bodies = new BodyRenderer({
    maxBytes: config.bodies.maxBytes,
    renderTimeoutMs: config.bodies.renderTimeoutMs,
    threads: config.bodies.threads,
    // Rendered bodies live with their cached ticket and count toward cache.maxBytes.
    onMemo: (ticket, bytes) => cache.charge(ticket, bytes),
  });
  const runtimes = new Map<Provider, ProviderRuntime>();
  const liveState = async (provider: Provider): Promise<ProviderLiveState> => {
    const gate = runtimes.get(provider)?.gate;
    if (!gate) throw new Error(`${provider} is not configured`);
    return { gate: await gate.state(), cache: cache.stats(provider), at: Date.now() };
  };
  const metrics = new GatewayMetrics({ providers: configuredProviders(config), state: liveState });
  for (const provider of configuredProviders(config)) {
    const settings = config.providers[providerKey(provider)]!;
    runtimes.set(provider, providerRuntime({ provider, settings, config, dispatcher, store, metrics, logger }));
  }

  const service = new TicketService({
    providers: runtimes,
    cache,
    staleSeconds: config.cache.staleSeconds,
    notFoundSeconds: config.cache.notFoundSeconds,
    onRead: (provider, result) => metrics.ticketRead(provider, result),
  });
  const yoga = createDeskGraphYoga({
    service,
    directory: describeProviders(config, liveState),
    bodies,
    logger,
    graphiql: config.graphiql.enabled,
    defaultQuery: options.defaultQuery,
    auth: config.auth,
    limits: config.limits,
    introspection: config.introspection.enabled,
    plugins: [metrics.plugin()],
  });
  // The same keys guard /metrics (CONTRACT §4); the probes stay open for orchestrators.
  const metricsCallers = createAuthenticator(config.auth);

  let server: Server | undefined;
  let draining = false;

  const probe = (res: ServerResponse, method: string | undefined, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(method === 'HEAD' ? undefined : JSON.stringify(body));
  };

  const route = (req: IncomingMessage, res: ServerResponse): string => {
    const path = (req.url ?? '/').split('?')[0];
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    if (draining) res.setHeader('connection', 'close');
    if (path === '/healthz' && readOnly) {
      probe(res, req.method, 200, { status: 'ok' });
      return 'healthz';
    }
    if (path === '/readyz' && readOnly) {
      if (draining) probe(res, req.method, 503, { status: 'draining' });
      else probe(res, req.method, 200, { status: 'ready' });
      return 'readyz';
    }
    if (path === '/metrics' && readOnly) {
      const caller = metricsCallers.authenticate(req.headers.authorization);
      if (!caller) {
        const { message, wwwAuthenticate } = refusal(req.headers.authorization);
        res.writeHead(401, {
          'content-type': 'text/plain; charset=utf-8',
          'www-authenticate': wwwAuthenticate,
          'cache-control': 'no-store',
        });
        res.end(`${message}\n`);
        return 'metrics';
      }
      // Metrics describe every provider: a key limited to some may not learn of the others.
      if (!caller.unrestricted) {
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('This key is limited to some providers; /metrics needs a key that may read all of them.\n');
        return 'metrics';
      }
      void metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'could not collect metrics');
          probe(res, req.method, 500, { status: 'error' });
        },
      );
      return 'metrics';
    }
    void yoga(req, res);
    return path === '/graphql' ? 'graphql' : 'other';
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    // yoga reads the same id from the header, so its logs and errors agree with the vendor calls'.
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    runInRequest({ requestId }, () => {
      const name = route(req, res);
      res.once('finish', () => metrics.httpAnswered(name, res.statusCode));
    });
  };

  return {
    service,
    gates: new Map([...runtimes].map(([provider, runtime]) => [provider, runtime.gate])),
    cache,
    bodies,
    metrics,
    async listen(port = config.server.port, host = config.server.host) {
      server = createServer(handle);
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
    },
  };
}

function configuredProviders(config: DeskGraphConfig): Provider[] {
  return PROVIDERS.filter((provider) => config.providers[providerKey(provider)] !== undefined);
}

interface RuntimeOptions {
  provider: Provider;
  settings: ProviderConfig;
  config: DeskGraphConfig;
  dispatcher: Dispatcher;
  store: RateLimitStore;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** One provider's connector behind its gate, with its budgets, as the configuration says. */
function providerRuntime({ provider, settings, config, dispatcher, store, metrics, logger }: RuntimeOptions): ProviderRuntime {
  const gate = new ProviderGate({
    provider,
    store,
    bucket: { ratePerSecond: settings.requestsPerSecond, burst: settings.burst },
    maxConcurrency: settings.maxConcurrency,
    maxQueue: settings.maxQueue,
    queueTimeoutMs: settings.queueTimeoutMs,
    breaker: {
      failureThreshold: settings.circuitBreaker.failureThreshold,
      openMs: settings.circuitBreaker.openSeconds * 1000,
    },
    onStoreError: (error) => logger.error({ err: error, provider }, 'could not record a vendor cooldown in the rate-limit store'),
  });
  const counted = metrics.upstreamObserver(provider);
  const observer: UpstreamObserver = {
    response(status, headers, durationMs) {
      gate.observe(status, headers);
      counted.response(status, headers, durationMs);
      const level = status >= 500 || status === 429 ? 'warn' : 'info';
      logger[level]({ requestId: currentRequestId(), provider, status, durationMs: Math.round(durationMs) }, 'vendor call');
    },
    failure(kind, durationMs) {
      counted.failure(kind, durationMs);
      logger.warn({ requestId: currentRequestId(), provider, failure: kind, durationMs: Math.round(durationMs) }, 'vendor call failed');
    },
  };
  const transport = new HttpTransport({
    provider,
    baseUrl: settings.baseUrl,
    dispatcher,
    observer,
  });
  return {
    connector: CONNECTORS[provider](transport, {
      token: settings.token,
      version: 'version' in settings ? settings.version : undefined,
      priorityMap: 'priorityMap' in settings ? settings.priorityMap : undefined,
    }),
    gate,
    retry: { ...DEFAULT_RETRY_POLICY, retries: settings.retries },
    timeoutMs: settings.timeoutMs,
    ttlSeconds: settings.ttlSeconds ?? config.cache.ttlSeconds,
  };
}
