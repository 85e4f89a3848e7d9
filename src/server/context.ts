/**
 * The per-request GraphQL context. Loaders are made here, per request, so de-duplication never
 * leaks one caller's results into another's; the shared cache lives in the TicketService.
 */
import DataLoader from 'dataloader';
import type { TicketRead } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import type { ProviderDirectory } from './providers.js';
import type { TicketService } from '../upstream/ticket-service.js';

export interface TicketKey {
  provider: Provider;
  ref: string;
}

export interface GatewayContext {
  /**
   * Tickets by provider + ref for this request. Contract (as dataloader's): results come in key
   * order, one Error for each key that failed, and a ref asked for twice is read once.
   */
  tickets: DataLoader<TicketKey, TicketRead, string>;
  directory: ProviderDirectory;
}

export function createTicketLoader(service: TicketService): DataLoader<TicketKey, TicketRead, string> {
  return new DataLoader<TicketKey, TicketRead, string>(
    // Every key starts its read at once: providers are read in parallel, and the service's
    // single flight and cache make repeated keys across requests cheap too.
    (keys) => Promise.all(keys.map((key) => service.read(key.provider, key.ref).catch((error: unknown) => toError(error)))),
    { cacheKeyFn: (key) => `${key.provider}:${key.ref}`, maxBatchSize: 1000 },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
