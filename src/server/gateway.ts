/**
 * Assembles a running gateway from a configuration: one keep-alive dispatcher, one connector
 * per configured provider behind its gate (limits, cooldown, breaker), the shared cache and
 * rate-limit store, the ticket service, and the yoga server over
 * them, behind a node:http server with `/healthz`. `close()` drains and releases everything.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { CONNECTORS } from '../connectors/index.js';
import type { DeskGraphConfig, ProviderConfig } from '../config/schema.js';
import { PROVIDERS, providerKey, type Provider } from '../domain/provider.js';
import { createDispatcher, HttpTransport } from '../upstream/http.js';
import { ProviderGate } from '../upstream/provider-gate.js';
import { MemoryRateLimitStore, type RateLimitStore } from '../upstream/rate-limit-store.js';
import { DEFAULT_RETRY_POLICY } from '../upstream/retry.js';
import { MemoryTicketCache, type TicketCache } from '../upstream/ticket-cache.js';
import { TicketService, type ProviderRuntime } from '../upstream/ticket-service.js';
import { describeProviders } from './providers.js';
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
  /** Starts listening; resolves to the GraphQL URL. */
  listen(port?: number, host?: string): Promise<string>;
  readonly url: string;
  /** Stops accepting, waits for in-flight requests (up to `graceMs`), then closes connections. */
  close(graceMs?: number): Promise<void>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config, logger } = options;
  const ownDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? createDispatcher();

  const store = new MemoryRateLimitStore();
  const cache = new MemoryTicketCache({ maxBytes: config.cache.maxBytes });
  const runtimes = new Map<Provider, ProviderRuntime>();
  for (const provider of PROVIDERS) {
    const settings = config.providers[providerKey(provider)];
    if (settings) runtimes.set(provider, providerRuntime(provider, settings, config, dispatcher, store));
  }

  const service = new TicketService({
    providers: runtimes,
    cache,
    staleSeconds: config.cache.staleSeconds,
    notFoundSeconds: config.cache.notFoundSeconds,
  });
  const directory = describeProviders(config, async (provider) => {
    const gate = runtimes.get(provider)?.gate;
    if (!gate) throw new Error(`${provider} is not configured`);
    return { gate: await gate.state(), cache: cache.stats(provider), at: Date.now() };
  });
  const yoga = createDeskGraphYoga({
    service,
    directory,
    logger,
    graphiql: config.graphiql.enabled,
    defaultQuery: options.defaultQuery,
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : '{"status":"ok"}');
      return;
    }
    void yoga(req, res);
  };
  let server: Server | undefined;

  return {
    service,
    gates: new Map([...runtimes].map(([provider, runtime]) => [provider, runtime.gate])),
    cache,
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
      const current = server;
      server = undefined;
      if (current) {
        const closed = new Promise<void>((resolve) => current.close(() => resolve()));
        current.closeIdleConnections();
        const deadline = setTimeout(() => current.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(deadline);
      }
      await yoga.dispose();
      if (ownDispatcher) await dispatcher.close();
    },
  };
}

/** One provider's connector behind its gate, with its budgets, as the configuration says. */
function providerRuntime(
  provider: Provider,
  settings: ProviderConfig,
  config: DeskGraphConfig,
  dispatcher: Dispatcher,
  store: RateLimitStore,
): ProviderRuntime {
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
  });
  const transport = new HttpTransport({
    provider,
    baseUrl: settings.baseUrl,
    dispatcher,
    observer: { response: (status, headers) => gate.observe(status, headers), failure: () => {} },
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
