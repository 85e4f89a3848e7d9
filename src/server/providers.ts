/**
 * What the gateway tells about its providers (`Query.providers`): which are configured and how,
 * and, for configured ones, their live health, rate-limit and cache state. Never a credential:
 * descriptions are built from named fields only, not by copying the settings.
 */
import { PROVIDERS, providerKey, type Provider } from '../domain/provider.js';
import type { DeskGraphConfig } from '../config/schema.js';
import type { GateState } from '../upstream/provider-gate.js';
import type { CacheStats } from '../upstream/ticket-cache.js';

export interface ProviderSettingsDescription {
  /** The vendor's origin only: no path, query or user-info that could carry a secret. */
  origin: string;
  timeoutMs: number;
  ttlSeconds: number;
  maxConcurrency: number;
  requestsPerSecond: number;
  burst: number;
  maxQueue: number;
  queueTimeoutMs: number;
  retries: number;
  failureThreshold: number;
  openSeconds: number;
}

export interface ProviderLiveState {
  gate: GateState;
  cache: CacheStats;
  /** Epoch ms the state was read at. */
  at: number;
}

export interface ProviderDescription {
  provider: Provider;
  configured: boolean;
  settings: ProviderSettingsDescription | null;
  live: ProviderLiveState | null;
}

export interface ProviderDirectory {
  list(): Promise<ProviderDescription[]>;
}

/** Reads a configured provider's live state. */
export type LiveStateReader = (provider: Provider) => Promise<ProviderLiveState>;

export function describeProviders(config: DeskGraphConfig, live?: LiveStateReader): ProviderDirectory {
  const settings = new Map<Provider, ProviderSettingsDescription>();
  for (const provider of PROVIDERS) {
    const entry = config.providers[providerKey(provider)];
    if (!entry) continue;
    settings.set(provider, {
      origin: new URL(entry.baseUrl).origin,
      timeoutMs: entry.timeoutMs,
      ttlSeconds: entry.ttlSeconds ?? config.cache.ttlSeconds,
      maxConcurrency: entry.maxConcurrency,
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
