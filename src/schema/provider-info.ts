/**
 * ProviderInfo and `Query.providers`: each provider, configured or not, with its settings and
 * live state (circuit, cooldown, budget, queue, cache share, shared state). Never a credential.
 * Resolvers read the public `ProviderLiveState` (domain/provider-status.ts), not the gate's own state.
 */
import type { CircuitState, ProviderDescription, ProviderLiveState, ProviderSettingsDescription } from '../domain/provider-status.js';
import type { SharedStateMode, SharedStateStatus } from '../stores/types.js';
import { wholeSecondsUntil } from '../transport/rate-limit-headers.js';
import { builder } from './builder.js';
import { ProviderEnum } from './enums.js';

const CIRCUIT_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const satisfies readonly CircuitState[];

const CircuitStateEnum = builder.enumType('CircuitState', {
  description: 'CLOSED: calls go out. OPEN: calls fail at once after repeated failures. HALF_OPEN: one probe may go out.',
  values: CIRCUIT_STATES,
});

const SHARED_STATE_MODES = ['LOCAL', 'SHARED', 'DEGRADED'] as const satisfies readonly SharedStateMode[];

const SharedStateModeEnum = builder.enumType('SharedStateMode', {
  description:
    'LOCAL: no shared store is configured; this replica keeps its own cache and budget. SHARED: every replica shares one cache, single flight and vendor budget through Redis. DEGRADED: Redis is configured but failing; this replica serves its local cache with a conservative local budget and reconnects by itself.',
  values: SHARED_STATE_MODES,
});

const iso = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());

const ProviderHealthRef = builder.objectRef<ProviderLiveState['health']>('ProviderHealth').implement({
  description: "The circuit breaker in front of the vendor's API (this replica's).",
  fields: (t) => ({
    circuit: t.field({ type: CircuitStateEnum, resolve: (health) => health.circuit }),
    consecutiveFailures: t.int({
      description: 'Failures in a row: 5xx, network failure, timeout, or a 2xx answer that is not what the API promises.',
      resolve: (health) => health.consecutiveFailures,
    }),
    openUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While OPEN: when one probe call is let through.',
      resolve: (health) => iso(health.openUntil),
    }),
  }),
});

const ProviderRateLimitRef = builder.objectRef<ProviderLiveState>('ProviderRateLimit').implement({
  description: "DeskGraph's own budget for the vendor, and what the vendor last said of its own.",
  fields: (t) => ({
    cooldownUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'No call goes to the vendor before this (after a 429 or a spent vendor budget).',
      resolve: (live) => iso(live.rateLimit.cooldownUntil),
    }),
    retryAfterSeconds: t.int({
      nullable: true,
      description: 'Whole seconds left of the cooldown.',
      resolve: ({ rateLimit, at }) => (rateLimit.cooldownUntil === null ? null : wholeSecondsUntil(rateLimit.cooldownUntil, at)),
    }),
    tokens: t.float({
      description: 'Calls that may start now under requestsPerSecond/burst.',
      resolve: (live) => Math.floor(live.rateLimit.tokens * 100) / 100,
    }),
    inFlight: t.int({
      description: "Calls holding one of this replica's maxConcurrency slots (an abandoned call holds it until its connection closes).",
      resolve: (live) => live.rateLimit.inFlight,
    }),
    queued: t.int({ description: 'Calls waiting for a free slot or a token, on this replica.', resolve: (live) => live.rateLimit.queued }),
    vendorLimit: t.int({ nullable: true, description: 'X-RateLimit-Limit, last seen.', resolve: (live) => live.rateLimit.vendorLimit }),
    vendorRemaining: t.int({
      nullable: true,
      description: 'X-RateLimit-Remaining, last seen.',
      resolve: (live) => live.rateLimit.vendorRemaining,
    }),
    vendorResetAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'X-RateLimit-Reset, last seen (epoch or delta, as an instant).',
      resolve: (live) => iso(live.rateLimit.vendorResetAt),
    }),
  }),
});

const ProviderCacheRef = builder.objectRef<ProviderLiveState['cache']>('ProviderCache').implement({
  description: "This provider's share of this replica's ticket cache (the local tier when Redis is configured).",
  fields: (t) => ({
    entries: t.int({ resolve: (cache) => cache.entries }),
    bytes: t.float({ description: 'Estimated in-memory size.', resolve: (cache) => cache.bytes }),
  }),
});

const SharedStateRef = builder.objectRef<SharedStateStatus>('SharedState').implement({
  description: 'Whether this replica shares its cache, single flight and vendor budget with the others (Redis).',
  fields: (t) => ({
    mode: t.field({ type: SharedStateModeEnum, resolve: (state) => state.mode }),
    since: t.field({ type: 'DateTime', description: 'When the current mode began.', resolve: (state) => iso(state.since)! }),
    lastError: t.string({
      nullable: true,
      description: 'While DEGRADED: what failed, in plain words (never an address or a credential).',
      resolve: (state) => state.lastError,
    }),
  }),
});

type Setting = keyof ProviderSettingsDescription;
const setting = <K extends Setting>(description: ProviderDescription, key: K) => description.settings?.[key] ?? null;

export const ProviderInfoRef = builder.objectRef<ProviderDescription>('ProviderInfo').implement({
  fields: (t) => ({
    provider: t.expose('provider', { type: ProviderEnum }),
    configured: t.exposeBoolean('configured'),
    origin: t.string({
      nullable: true,
      description: "The vendor API's origin (scheme, host, port).",
      resolve: (info) => setting(info, 'origin'),
    }),
    timeoutMs: t.int({ nullable: true, resolve: (info) => setting(info, 'timeoutMs') }),
    ttlSeconds: t.int({ nullable: true, resolve: (info) => setting(info, 'ttlSeconds') }),
    maxConcurrency: t.int({
      nullable: true,
      description: 'Vendor calls in flight at once from ONE replica (each replica has its own slots).',
      resolve: (info) => setting(info, 'maxConcurrency'),
    }),
    maxConcurrencyTotal: t.int({
      nullable: true,
      description: 'What the vendor may see at once from the whole deployment: maxConcurrency × the replicas configured (redis.replicas; 1 without Redis).',
      resolve: (info) => setting(info, 'maxConcurrencyTotal'),
    }),
    requestsPerSecond: t.float({ nullable: true, resolve: (info) => setting(info, 'requestsPerSecond') }),
    burst: t.int({ nullable: true, resolve: (info) => setting(info, 'burst') }),
    health: t.field({ type: ProviderHealthRef, nullable: true, description: 'Null when not configured.', resolve: (info) => info.live?.health ?? null }),
    rateLimit: t.field({ type: ProviderRateLimitRef, nullable: true, description: 'Null when not configured.', resolve: (info) => info.live }),
    cache: t.field({ type: ProviderCacheRef, nullable: true, description: 'Null when not configured.', resolve: (info) => info.live?.cache ?? null }),
    sharedState: t.field({
      type: SharedStateRef,
      nullable: true,
      description: 'Null when not configured.',
      resolve: (info) => info.live?.sharedState ?? null,
    }),
  }),
});

builder.queryFields((t) => ({
  providers: t.field({
    type: [ProviderInfoRef],
    description:
      'Every provider DeskGraph knows, configured or not, with its live state. A gateway key limited to some providers sees only those.',
    // A restricted key learns nothing of the vendors it may not read, not even their origins.
    resolve: async (_root, _args, context) =>
      (await context.directory.list()).filter((info) => context.caller.providers.has(info.provider)),
  }),
}));
