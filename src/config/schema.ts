/**
 * The configuration file (CONTRACT §4), as zod schemas with every default documented.
 * Unknown keys are errors, so a typo (`porviders`, `ttlSecond`) stops start-up instead of
 * silently using a default.
 */
import { z } from 'zod';
import { TICKET_PRIORITIES } from '../domain/model.js';
import { PROVIDERS } from '../domain/provider.js';
import {
  HEADONI_BUDGET,
  HOSTUP_BUDGET,
  TEAMBATTLES_BUDGET,
  TICKITI_BUDGET,
  UNPUBLISHED_BUDGET,
  type BudgetDefaults,
} from './budgets.js';

const seconds = z.number().int().min(0);
const positiveInt = z.number().int().min(1);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * The budget settings, defaulting to one vendor's published limits (`config/budgets.ts`).
 * A provider entry spreads `providerBase` and then its own `budget(…)`, which replaces the
 * unpublished-limit defaults with that vendor's.
 */
export function budget(defaults: BudgetDefaults) {
  return {
    /** Requests to this vendor in flight at once, across all callers. @default per provider (README) */
    maxConcurrency: positiveInt.max(1000).default(defaults.maxConcurrency),
    /** Sustained requests per second to this vendor (token bucket rate). @default per provider (README) */
    requestsPerSecond: z.number().positive().max(10_000).default(defaults.requestsPerSecond),
    /** Requests allowed in a burst above the sustained rate (token bucket size). @default per provider (README) */
    burst: positiveInt.max(100_000).default(defaults.burst),
  };
}

/** Per-provider settings shared by every vendor. */
const providerBase = {
  baseUrl: httpUrl,
  token: z.string().min(1, 'must not be empty'),
  /** Whole-call budget for one ticket read, retries included. @default 10000 */
  timeoutMs: positiveInt.max(120_000).default(10_000),
  /** How long a read ticket is served without asking the vendor. @default cache.ttlSeconds */
  ttlSeconds: seconds.optional(),
  ...budget(UNPUBLISHED_BUDGET),
  /** Requests that may wait for a free slot or token; more fail at once as RATE_LIMITED. @default 1000 */
  maxQueue: z.number().int().min(0).max(100_000).default(1000),
  /** Longest wait for a free slot and a token before RATE_LIMITED. @default 2000 */
  queueTimeoutMs: z.number().int().min(0).max(120_000).default(2000),
  /** Retries of a read after a dropped connection or a 502/503/504, inside timeoutMs. @default 2 */
  retries: z.number().int().min(0).max(10).default(2),
  circuitBreaker: z
    .strictObject({
      /** Consecutive unavailable outcomes (5xx, network, timeout) that open the circuit. @default 5 */
      failureThreshold: positiveInt.max(1000).default(5),
      /** How long an open circuit refuses calls before one probe is let through. @default 30 */
      openSeconds: positiveInt.max(3600).default(30),
    })
    .prefault({}),
};

export const providerConfigSchemas = {
  headoni: z.strictObject({ ...providerBase, ...budget(HEADONI_BUDGET) }),
  tickiti: z.strictObject({
    ...providerBase,
    ...budget(TICKITI_BUDGET),
    /** Tickiti priorities are numeric strings ("20"); only this map gives them a unified value. */
    priorityMap: z.record(z.string(), z.enum(TICKET_PRIORITIES)).default({}),
  }),
  intercom: z.strictObject({
    ...providerBase,
    /** Sent as `Intercom-Version`. @default "2.11" */
    version: z.string().min(1).default('2.11'),
  }),
  hostup: z.strictObject({ ...providerBase, ...budget(HOSTUP_BUDGET) }),
  teambattles: z.strictObject({ ...providerBase, ...budget(TEAMBATTLES_BUDGET) }),
};

const callerKey = z
  .strictObject({
    name: z.string().min(1),
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    tokenSha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits')
      .optional(),
    /** Providers this key may read. @default all */
    providers: z.array(z.enum(PROVIDERS)).optional(),
    /** Whether this key may see INTERNAL messages. @default false */
    internal: z.boolean().default(false),
  })
  .refine((key) => (key.token === undefined) !== (key.tokenSha256 === undefined), {
    message: 'give exactly one of token or tokenSha256',
  });

/**
 * What one request may ask for (CONTRACT §6). Every limit is checked before any vendor is
 * asked, and a request over one gets an error at once: never a hang, never a partial read.
 */
const limitsSchema = z.strictObject({
  /**
   * Deepest selection a query may nest, fragments flattened and introspection counted: GraphiQL's
   * own introspection query is 15 deep, so a lower value breaks GraphiQL's schema explorer. @default 15
   */
  depth: positiveInt.max(1000).default(15),
  /** Aliased fields per operation (`a: ticket(…) b: ticket(…)`). @default 50 */
  aliases: positiveInt.max(100_000).default(50),
  /** Lexical tokens per query document (names, punctuation, values). @default 5000 */
  tokens: positiveInt.max(1_000_000).default(5000),
  /** Directives per operation. @default 50 */
  directives: positiveInt.max(100_000).default(50),
  /** Largest request body, in bytes; a larger one is HTTP 413 and is not read. @default 1048576 (1 MiB) */
  bodyBytes: positiveInt.max(100 * 1024 * 1024).default(1_048_576),
  /** Most refs one `tickets` call accepts. @default 100 */
  refs: positiveInt.max(100_000).default(100),
  /**
   * Most distinct tickets one request may read (each is at most one vendor call, whether the cache
   * answers or not; refused, invalid and forbidden refs do not count). @default 200
   */
  upstreamCallsPerRequest: positiveInt.max(100_000).default(200),
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      /** @default "0.0.0.0" */
      host: z.string().min(1).default('0.0.0.0'),
      /** @default 4000 */
      port: z.number().int().min(0).max(65_535).default(4000),
    })
    .prefault({}),
  cache: z
    .strictObject({
      /** Upper bound of the shared ticket cache, in bytes of serialised tickets. @default 256 MiB */
      maxBytes: positiveInt.default(268_435_456),
      /** How long a read ticket is fresh. @default 60 */
      ttlSeconds: seconds.default(60),
      /** How long past freshness a ticket is kept to serve when the vendor fails. @default 86400 */
      staleSeconds: seconds.default(86_400),
      /** How long a NOT_FOUND is remembered, to spare the vendor repeated misses. @default 5 */
      notFoundSeconds: seconds.default(5),
    })
    .prefault({}),
  redis: z.strictObject({ url: z.url({ protocol: /^rediss?$/ }) }).optional(),
  /** Message bodies (CONTRACT §2 "Bodies"): rendered lazily in a worker pool, bounded. */
  bodies: z
    .strictObject({
      /** Largest body rendered, in UTF-8 bytes; a larger one is cut and served `bodyTruncated`. @default 262144 */
      maxBytes: positiveInt.max(16 * 1024 * 1024).default(262_144),
      /** Time one body may take to render before a shortened fallback is served. @default 250 */
      renderTimeoutMs: positiveInt.max(60_000).default(250),
      /** Rendering worker threads. @default the machine's available parallelism */
      threads: positiveInt.max(64).optional(),
    })
    .prefault({}),
  /** Caller keys (CONTRACT §4). Absent: no caller check at all (a warning is logged at start). */
  auth: z
    .strictObject({ keys: z.array(callerKey).min(1) })
    .refine((auth) => new Set(auth.keys.map((key) => key.name)).size === auth.keys.length, {
      message: 'every key needs its own name',
      path: ['keys'],
    })
    .optional(),
  limits: limitsSchema.prefault({}),
  providers: z
    .strictObject({
      headoni: providerConfigSchemas.headoni.optional(),
      tickiti: providerConfigSchemas.tickiti.optional(),
      intercom: providerConfigSchemas.intercom.optional(),
      hostup: providerConfigSchemas.hostup.optional(),
      teambattles: providerConfigSchemas.teambattles.optional(),
    })
    .prefault({}),
  graphiql: z
    .strictObject({
      /** Serve GraphiQL on GET /graphql. @default true */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  introspection: z
    .strictObject({
      /**
       * Answer `__schema`/`__type` (and federation's `_service`, which prints the schema too).
       * Off also hides "Did you mean …?" suggestions in errors. @default true
       */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  log: z
    .strictObject({
      /** pino level; `LOG_LEVEL` in the environment overrides it. @default "info" */
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
});

export type DeskGraphConfig = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ProvidersConfig = DeskGraphConfig['providers'];
export type ProviderConfig = NonNullable<ProvidersConfig[keyof ProvidersConfig]>;
export type AuthConfig = NonNullable<DeskGraphConfig['auth']>;
export type CallerKeyConfig = AuthConfig['keys'][number];
export type LimitsConfig = DeskGraphConfig['limits'];

/** Every limit at its default (CONTRACT §6). */
export const DEFAULT_LIMITS: LimitsConfig = limitsSchema.parse({});
