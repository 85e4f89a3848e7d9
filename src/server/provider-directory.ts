/**
 * The provider directory behind `Query.providers`: which providers are configured and how, and,
 * for configured ones, their live health, rate-limit and cache state. Never a credential:
 * descriptions are built from named fields only, not by copying the settings.
 */
import { PROVIDERS, providerKey, type Provider } from '../domain/provider.js';
import type {
  LiveStateReader,
  ProviderDescription,
  ProviderDirectory,
  ProviderLiveState,
  ProviderSettingsDescription,
} from '../domain/provider-status.js';
import type { DeskGraphConfig } from '../config/schema.js';
import type { GateState } from '../governance/provider-gate.js';
import type { CacheStats, SharedStateStatus } from '../stores/types.js';

/** The public state from the gate's and the stores'. */
export function liveState(gate: GateState, cache: CacheStats, sharedState: SharedStateStatus, at: number): ProviderLiveState {
  return {
    health: { circuit: gate.circuit, consecutiveFailures: gate.consecutiveFailures, openUntil: gate.circuitOpenUntil },
    rateLimit: {
      cooldownUntil: gate.cooldownUntil,
      tokens: gate.tokens,
      inFlight: gate.inFlight,
      queued: gate.queued,
      vendorLimit: gate.vendor?.limit ?? null,
      vendorRemaining: gate.vendor?.remaining ?? null,
      vendorResetAt: gate.vendor?.resetAt ?? null,
    },
    cache: { entries: cache.entries, bytes: cache.bytes },
    sharedState,
    at,
  };
}

export interface DescribeOptions {
  /** Replicas the deployment runs (the effective concurrency total). @default 1 */
  replicas?: number | undefined;
}

export function describeProviders(config: DeskGraphConfig, live?: LiveStateReader, options: DescribeOptions = {}): ProviderDirectory {
  const replicas = Math.max(1, options.replicas ?? 1);
  const settings = new Map<Provider, ProviderSettingsDescription>();
  for (const provider of PROVIDERS) {
    const entry = config.providers[providerKey(provider)];
    if (!entry) continue;
    settings.set(provider, {
      origin: new URL(entry.baseUrl).origin,
      timeoutMs: entry.timeoutMs,
      ttlSeconds: entry.ttlSeconds ?? config.cache.ttlSeconds,
      maxConcurrency: entry.maxConcurrency,
      maxConcurrencyTotal: entry.maxConcurrency * replicas,
      requestsPerSecond: entry.requestsPerSecond,
      burst: entry.burst,
      maxQueue: entry.maxQueue,
      queueTimeoutMs: entry.queueTimeoutMs,
      retries: entry.retries,
      failureThreshold: entry.circuitBreaker.failureThreshold,
      openSeconds: entry.circuitBreaker.openSeconds,
    });
  }
  return {
    list: () =>
      Promise.all(
        PROVIDERS.map(async (provider): Promise<ProviderDescription> => {
          const described = settings.get(provider) ?? null;
          return {
            provider,
            configured: described !== null,
            settings: described,
            live: described && live ? await live(provider) : null,
          };
        }),
      ),
  };
}
