/**
 * What the gateway tells about its providers (`Query.providers`): which are configured and
 * how, never with a credential. Built once from the configuration.
 */
import { PROVIDERS, providerKey, type Provider } from '../domain/provider.js';
import type { DeskGraphConfig } from '../config/schema.js';

export interface ProviderDescription {
  provider: Provider;
  configured: boolean;
  /** The vendor's origin only: no path, query or user-info that could carry a secret. */
  origin: string | null;
  timeoutMs: number | null;
  ttlSeconds: number | null;
  maxConcurrency: number | null;
  requestsPerSecond: number | null;
  burst: number | null;
}

export interface ProviderDirectory {
  list(): ProviderDescription[];
}

export function describeProviders(config: DeskGraphConfig): ProviderDirectory {
  const descriptions = PROVIDERS.map((provider): ProviderDescription => {
    const settings = config.providers[providerKey(provider)];
    if (!settings) {
      return {
        provider,
        configured: false,
        origin: null,
        timeoutMs: null,
        ttlSeconds: null,
        maxConcurrency: null,
        requestsPerSecond: null,
        burst: null,
      };
    }
    return {
      provider,
      configured: true,
      origin: new URL(settings.baseUrl).origin,
      timeoutMs: settings.timeoutMs,
      ttlSeconds: settings.ttlSeconds ?? config.cache.ttlSeconds,
      maxConcurrency: settings.maxConcurrency,
      requestsPerSecond: settings.requestsPerSecond,
      burst: settings.burst,
    };
  });
  return { list: () => descriptions };
}
