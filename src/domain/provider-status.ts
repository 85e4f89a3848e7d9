/**
 * What the gateway tells about a provider (`Query.providers`, `/metrics`): its settings as
 * described (never a credential) and its live state, as plain types of their own. The schema
 * reads these and the server builds them (server/provider-directory.ts), so neither imports the
 * other, and the gate's or the stores' private state never shapes the public one.
 */
import type { SharedStateStatus } from '../stores/types.js';
import type { Provider } from './provider.js';

/** CLOSED: calls go out; OPEN: they fail at once; HALF_OPEN: one probe may go out. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface ProviderSettingsDescription {
  /** The vendor's origin only: no path, query or user-info that could carry a secret. */
  origin: string;
  timeoutMs: number;
  ttlSeconds: number;
  /** Per replica. */
  maxConcurrency: number;
  /** maxConcurrency × the replicas the configuration expects (`redis.replicas`; 1 without Redis). */
  maxConcurrencyTotal: number;
  requestsPerSecond: number;
  burst: number;
  maxQueue: number;
  queueTimeoutMs: number;
  retries: number;
  failureThreshold: number;
  openSeconds: number;
}

/**
 * The public live state of a provider, as `providers` and `/metrics` show it: a stable shape of
 * its own, built from the gate's and the stores' state (`liveState`), never those objects.
 */
export interface ProviderLiveState {
  health: {
    circuit: CircuitState;
    consecutiveFailures: number;
    /** Epoch ms. */
    openUntil: number | null;
  };
  rateLimit: {
    /** Epoch ms. */
    cooldownUntil: number | null;
    tokens: number;
    inFlight: number;
    queued: number;
    vendorLimit: number | null;
    vendorRemaining: number | null;
    /** Epoch ms. */
    vendorResetAt: number | null;
  };
  cache: { entries: number; bytes: number };
  sharedState: SharedStateStatus;
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
