/**
 * ProviderInfo and `Query.providers`: each provider, configured or not, with its settings and
 * live state (circuit, cooldown, budget, queue, cache share). Never a credential.
 */
import type { ProviderDescription, ProviderLiveState, ProviderSettingsDescription } from '../server/providers.js';
import type { CircuitState } from '../upstream/provider-gate.js';
import { wholeSecondsUntil } from '../upstream/rate-limit-headers.js';
import { builder } from './builder.js';
import { ProviderEnum } from './enums.js';

const CIRCUIT_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const satisfies readonly CircuitState[];

const CircuitStateEnum = builder.enumType('CircuitState', {
  description: 'CLOSED: calls go out. OPEN: calls fail at once after repeated failures. HALF_OPEN: one probe may go out.',
  values: CIRCUIT_STATES,
});

const iso = (epochMs: number | null): string | null => (epochMs === null ? null : new Date(epochMs).toISOString());

const ProviderHealthRef = builder.objectRef<ProviderLiveState>('ProviderHealth').implement({
  description: "The circuit breaker in front of the vendor's API.",
  fields: (t) => ({
    circuit: t.field({ type: CircuitStateEnum, resolve: (live) => live.gate.circuit }),
    consecutiveFailures: t.int({
      description: 'Unavailable outcomes in a row (5xx, network failure, timeout).',
      resolve: (live) => live.gate.consecutiveFailures,
    }),
    openUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'While OPEN: when one probe call is let through.',
      resolve: (live) => iso(live.gate.circuitOpenUntil),
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
      resolve: (live) => iso(live.gate.cooldownUntil),
    }),
    retryAfterSeconds: t.int({
      nullable: true,
      description: 'Whole seconds left of the cooldown.',
      resolve: ({ gate, at }) => (gate.cooldownUntil === null ? null : wholeSecondsUntil(gate.cooldownUntil, at)),
    }),
    tokens: t.float({
      description: 'Calls that may start now under requestsPerSecond/burst.',
      resolve: (live) => Math.floor(live.gate.tokens * 100) / 100,
    }),
    inFlight: t.int({ resolve: (live) => live.gate.inFlight }),
    queued: t.int({ description: 'Calls waiting for a free slot.', resolve: (live) => live.gate.queued }),
    vendorLimit: t.int({ nullable: true, description: 'X-RateLimit-Limit, last seen.', resolve: (live) => live.gate.vendor?.limit ?? null }),
    vendorRemaining: t.int({
      nullable: true,
      description: 'X-RateLimit-Remaining, last seen.',
      resolve: (live) => live.gate.vendor?.remaining ?? null,
    }),
    vendorResetAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'X-RateLimit-Reset, last seen (epoch or delta, as an instant).',
      resolve: (live) => iso(live.gate.vendor?.resetAt ?? null),
    }),
  }),
});

const ProviderCacheRef = builder.objectRef<ProviderLiveState>('ProviderCache').implement({
  description: "This provider's share of the shared ticket cache.",
  fields: (t) => ({
    entries: t.int({ resolve: (live) => live.cache.entries }),
    bytes: t.float({ description: 'Estimated in-memory size.', resolve: (live) => live.cache.bytes }),
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
    maxConcurrency: t.int({ nullable: true, resolve: (info) => setting(info, 'maxConcurrency') }),
    requestsPerSecond: t.float({ nullable: true, resolve: (info) => setting(info, 'requestsPerSecond') }),
    burst: t.int({ nullable: true, resolve: (info) => setting(info, 'burst') }),
    health: t.field({ type: ProviderHealthRef, nullable: true, description: 'Null when not configured.', resolve: (info) => info.live }),
    rateLimit: t.field({ type: ProviderRateLimitRef, nullable: true, description: 'Null when not configured.', resolve: (info) => info.live }),
    cache: t.field({ type: ProviderCacheRef, nullable: true, description: 'Null when not configured.', resolve: (info) => info.live }),
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
