/**
 * One provider's runtime as its configuration says: its gate (limits, cooldown clamped to
 * `maxCooldownSeconds`, breaker, concurrency), its transport (the shared dispatcher composed with
 * the budget-header, metrics and logging interceptors, plus any outer ones such as tracing), and
 * its connector and attachment downloader over that transport.
 */
import type { Dispatcher } from 'undici';
import { CONNECTORS, DOWNLOADERS } from '../connectors/index.js';
import type { DeskGraphConfig, ProviderConfig } from '../config/schema.js';
import type { Provider } from '../domain/provider.js';
import { ProviderGate } from '../governance/provider-gate.js';
import { DEFAULT_RETRY_POLICY } from '../governance/retry.js';
import type { BudgetRule, BudgetStore } from '../stores/types.js';
import { HttpTransport } from '../transport/http.js';
import { vendorInterceptors, type Interceptor } from '../transport/interceptors.js';
import type { ProviderRuntime } from '../upstream/ticket-service.js';
import type { Logger } from '../telemetry/logger.js';
import type { GatewayMetrics } from './metrics.js';
import { currentRequestId } from './request-id.js';
import { headerProblemWarnings } from './vendor-header-warnings.js';

export interface RuntimeOptions {
  provider: Provider;
  settings: ProviderConfig;
  config: DeskGraphConfig;
  dispatcher: Dispatcher;
  stores: { budget: BudgetStore; fallbackBucket?: ((rule: BudgetRule) => BudgetRule) | undefined };
  metrics: Pick<GatewayMetrics, 'storeFailed' | 'upstreamListener'>;
  logger: Logger;
  /** Outermost vendor interceptors (tracing). */
  extra: readonly Interceptor[];
}

/** One provider's connector behind its gate, with its budgets, as the configuration says. */
export function providerRuntime({ provider, settings, config, dispatcher, stores, metrics, logger, extra }: RuntimeOptions): ProviderRuntime {
  const bucket = { ratePerSecond: settings.requestsPerSecond, burst: settings.burst };
  const gate = new ProviderGate({
    provider,
    store: stores.budget,
    bucket,
    fallbackBucket: stores.fallbackBucket?.(bucket),
    maxConcurrency: settings.maxConcurrency,
    maxQueue: settings.maxQueue,
    queueTimeoutMs: settings.queueTimeoutMs,
    breaker: {
      failureThreshold: settings.circuitBreaker.failureThreshold,
      openMs: settings.circuitBreaker.openSeconds * 1000,
    },
    // An abandoned call keeps its slot for up to one more timeoutMs: the vendor is still on it.
    lingerMs: settings.timeoutMs,
    // Less than a tenth of the budget (at most 1 s) left is too little for a vendor call to finish.
    minCallMs: Math.min(1000, Math.ceil(settings.timeoutMs / 10)),
    onStoreError: (error) => metrics.storeFailed(error),
    maxCooldownMs: settings.maxCooldownSeconds * 1000,
    onHeaderProblem: headerProblemWarnings(provider, settings.maxCooldownSeconds, logger),
  });
  const transport = new HttpTransport({
    provider,
    baseUrl: settings.baseUrl,
    dispatcher: dispatcher.compose(
      vendorInterceptors({
        budget: gate,
        metrics: metrics.upstreamListener(provider),
        logging: {
          response(status, _headers, durationMs) {
            const level = status >= 500 || status === 429 ? 'warn' : 'info';
            logger[level]({ requestId: currentRequestId(), provider, status, durationMs: Math.round(durationMs) }, 'vendor call');
          },
          failure(kind, durationMs) {
            logger.warn({ requestId: currentRequestId(), provider, failure: kind, durationMs: Math.round(durationMs) }, 'vendor call failed');
          },
        },
        extra,
      }),
    ),
  });
  const connectorSettings = {
    token: settings.token,
    version: 'version' in settings ? settings.version : undefined,
    priorityMap: 'priorityMap' in settings ? settings.priorityMap : undefined,
  };
  return {
    connector: CONNECTORS[provider](transport, connectorSettings),
    downloader: DOWNLOADERS[provider]?.(transport, connectorSettings),
    gate,
    retry: { ...DEFAULT_RETRY_POLICY, retries: settings.retries },
    timeoutMs: settings.timeoutMs,
    ttlSeconds: settings.ttlSeconds ?? config.cache.ttlSeconds,
  };
}
