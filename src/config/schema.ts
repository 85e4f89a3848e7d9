/**
 * The configuration file (CONTRACT §4), as zod schemas with every default documented.
 * Unknown keys are errors, so a typo (`porviders`, `ttlSecond`) stops start-up instead of
 * silently using a default.
 */
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { TICKET_PRIORITIES } from '../domain/model.js';
import { PROVIDERS } from '../domain/provider.js';
import { DEFAULT_INTERCOM_VERSION, INTERCOM_TICKET_VERSIONS, isIntercomTicketVersion } from '../connectors/intercom/versions.js';
import {
  HEADONI_BUDGET,
  HOSTUP_BUDGET,
  INTERCOM_BUDGET,
  TEAMBATTLES_BUDGET,
  TICKITI_BUDGET,
  UNPUBLISHED_BUDGET,
  type BudgetDefaults,
} from './budgets.js';
import { attachmentsSchema, publicUrlSchema } from './attachments.js';
import { parseEncryptionKey } from '../stores/redis-codec.js';

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
  /**
   * Longest pause a vendor may impose through `Retry-After` or `X-RateLimit-Reset`: a longer one
   * is cut to this (and logged once), so a vendor's nonsense cannot switch a provider off for
   * years. @default 3600
   */
  maxCooldownSeconds: positiveInt.max(86_400).default(3600),
  circuitBreaker: z
    .strictObject({
      /** Consecutive unavailable outcomes (5xx, network, timeout) that open the circuit. @default 5 */
      failureThreshold: positiveInt.max(1000).default(5),
      /** How long an open circuit refuses calls before one probe is let through. @default 30 */
      openSeconds: positiveInt.max(3600).default(30),
    })
    .prefault({}),
};

function intercomVersionError(issue: { input?: unknown }): string | undefined {
  if (issue.input === undefined) return undefined;
  const accepted = INTERCOM_TICKET_VERSIONS.map((version) => JSON.stringify(version)).join(', ');
  // YAML reads an unquoted version as a number, and 2.10 as 2.1.
  const hint = typeof issue.input === 'number' ? ' in quotes (unquoted, YAML reads 2.10 as the number 2.1)' : '';
  return `must be an Intercom-Version whose API has tickets: one of ${accepted}${hint}`;
}

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
    ...budget(INTERCOM_BUDGET),
    /**
     * Sent as `Intercom-Version`: a version whose API has tickets (connectors/intercom/versions.ts).
     * @default "2.14" (what Intercom's official Node SDK sends by default)
     */
    version: z
      .string({ error: intercomVersionError })
      .refine(isIntercomTicketVersion, { error: intercomVersionError })
      .default(DEFAULT_INTERCOM_VERSION),
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
  /**
   * Most tickets one response may hold, across all fields, repeats included (`ticket`, `node`,
   * each `tickets` ref and each `_entities` representation): a request over it reads nothing and
   * gets BAD_USER_INPUT, so 50 aliases of 100 refs of one cached ticket cannot build a response
   * of gigabytes. @default 200
   */
  ticketsPerRequest: positiveInt.max(100_000).default(200),
  /**
   * Largest answer, in bytes of JSON (counted without escapes): a larger one is replaced by one
   * BAD_USER_INPUT error before it is serialized. Tickets are counted by ticketsPerRequest; this
   * bounds what their size (the vendor's) can make of an answer. @default 33554432 (32 MiB)
   */
  responseBytes: positiveInt.max(512 * 1024 * 1024).default(33_554_432),
});

/** What proxy-addr accepts as a trusted proxy. */
function isProxyRange(value: string): boolean {
  try {
    proxyaddr.compile([value]);
    return true;
  } catch {
    return false;
  }
}

/** A browser origin as the `Origin` header carries it: scheme, host and port, nothing else. */
const origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value && !value.includes('*');
    } catch {
      return false;
    }
  },
  { message: 'must be an origin such as "https://dashboard.example.com" (scheme, host, optional port; no path, no "*")' },
);

/** A host name (optionally `:port`), or `.example.com` for it and every subdomain. */
const allowedHost = z
  .string()
  .regex(/^(\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i, {
    message: 'must be a host name or address, optionally with :port (".example.com" also allows its subdomains)',
  })
  .transform((value) => value.toLowerCase());

/**
 * The HTTP edge: what browsers may do (CORS, hosts), how long a client may take to send its
 * request, how many connections are held, and compression.
 */
const serverSchema = z.strictObject({
  /** @default "0.0.0.0" */
  host: z.string().min(1).default('0.0.0.0'),
  /** @default 4000 */
  port: z.number().int().min(0).max(65_535).default(4000),
  /** The gateway's public address, for absolute attachment URLs (`config/attachments.ts`). @default the request's Host */
  publicUrl: publicUrlSchema,
  cors: z
    .strictObject({
      /**
       * Browser origins whose pages may call `/graphql` (CORS, with credentials). Any other
       * origin gets no CORS header at all, so its page cannot read an answer. @default [] (none)
       */
      origins: z.array(origin).max(1000).default([]),
      /** How long a browser may cache a preflight answer, in seconds. @default 600 */
      maxAgeSeconds: seconds.max(86_400).default(600),
    })
    .prefault({}),
  /**
   * `Host` header values this gateway answers on (DNS rebinding: a page on an attacker's name
   * that resolves to this gateway). Others get 421; `/healthz` and `/readyz` answer any host.
   * Set it when `auth.keys` is not. @default none (any host)
   */
  allowedHosts: z.array(allowedHost).min(1).max(1000).optional(),
  /** Longest time a client may take to send its request headers (then 408). @default 10000 */
  headersTimeoutMs: positiveInt.max(600_000).default(10_000),
  /** Longest time a client may take to send its whole request, body included (then 408). @default 30000 */
  requestTimeoutMs: positiveInt.max(3_600_000).default(30_000),
  /** How long an idle keep-alive connection is kept open. @default 5000 */
  keepAliveTimeoutMs: positiveInt.max(600_000).default(5000),
  /** Connections held at once; more are closed as they arrive. @default 1024 */
  maxConnections: positiveInt.max(1_000_000).default(1024),
  compression: z
    .strictObject({
      /** Compress answers (br or gzip) for clients that send `Accept-Encoding`. @default true */
      enabled: z.boolean().default(true),
      /** Answers smaller than this many bytes are sent as they are. @default 1024 */
      thresholdBytes: z.number().int().min(0).max(100 * 1024 * 1024).default(1024),
    })
    .prefault({}),
  keyThrottle: z
    .strictObject({
      /**
       * Failed gateway keys (unknown or missing, where keys are configured) one client address
       * may present per window; past it, its requests without a valid key get 429 with
       * `Retry-After` until the window ends. Valid keys are never held back. @default 20
       */
      maxFailures: positiveInt.max(1_000_000).default(20),
      /** The window, in seconds. @default 60 */
      windowSeconds: positiveInt.max(86_400).default(60),
    })
    .prefault({}),
  /**
   * The proxies in front (load balancers) whose `X-Forwarded-For` is believed, as addresses,
   * CIDR ranges (`10.0.0.0/8`) or `loopback` / `linklocal` / `uniquelocal`: the client address
   * (for the key throttle) is then the nearest address in the header that is not one of them.
   * From any other peer the header is ignored, so a client cannot choose its own address.
   * @default [] (the TCP peer is the client)
   */
  trustedProxies: z.array(z.string().refine(isProxyRange, 'is not an IP address, a CIDR range, loopback, linklocal or uniquelocal')).max(100).default([]),
})
  .refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
    message: 'headersTimeoutMs must not be longer than requestTimeoutMs',
    path: ['headersTimeoutMs'],
  });

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
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
  /**
   * Shared state for several replicas (CONTRACT §4, README "Running several replicas"): one ticket
   * cache, one single flight per ticket, one token bucket and cooldown per provider. Absent: this
   * replica keeps all of it in its own memory.
   */
  redis: z
    .strictObject({
      /** `redis://` or `rediss://` (TLS); user and password through `${VAR}`. Never logged. */
      url: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
      /** Overrides the URL's user (ACL user name). @default the URL's, else none */
      username: z.string().min(1).optional(),
      /**
       * Overrides the URL's password; give it through `${VAR}`. For a password a URL cannot hold
       * as is (`@`, `/`, `:`, spaces) without percent-encoding. Never logged. @default the URL's
       */
      password: z.string().min(1).optional(),
      /** Prefix of every key and channel; replicas sharing state use the same one. @default "deskgraph:" */
      keyPrefix: z
        .string()
        .min(1, 'must not be empty')
        .max(100)
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
        .default('deskgraph:'),
      /**
       * Deadline of each Redis command: past it the replica answers from its own memory, so a slow
       * Redis never eats a vendor call's timeoutMs. @default 100
       */
      commandTimeoutMs: positiveInt.max(10_000).default(100),
      /**
       * How many replicas share the budget: while Redis is unreachable each replica spends
       * requestsPerSecond / replicas (and burst / replicas, at least 1) on its own. @default 2
       */
      replicas: positiveInt.max(1000).default(2),
      /**
       * 32 bytes as 64 hex digits or base64 (give it through `${VAR}`): cached tickets are sealed
       * with AES-256-GCM before they reach Redis. @default none (tickets are stored as JSON)
       */
      encryptionKey: z
        .string()
        .refine((text) => parseEncryptionKey(text) !== undefined, 'must be 32 bytes, as 64 hex digits or base64')
        .optional(),
      /** TLS settings (with `rediss://`, TLS is on with the system CAs). */
      tls: z
        .strictObject({
          /** PEM file of the CA that signed Redis's certificate. @default the system CAs */
          caFile: z.string().min(1).optional(),
          /** Refuse a certificate that does not check out. @default true */
          rejectUnauthorized: z.boolean().default(true),
          /** Name checked against the certificate. @default the URL's host */
          servername: z.string().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Message bodies (CONTRACT §2 "Bodies"): rendered lazily in a worker pool, bounded. */
  bodies: z
    .strictObject({
      /** Largest body rendered, in UTF-8 bytes; a larger one is cut and served `bodyTruncated`. @default 262144 */
      maxBytes: positiveInt.max(16 * 1024 * 1024).default(262_144),
      /** Time one body may take to render before a shortened fallback is served. @default 250 */
      renderTimeoutMs: positiveInt.max(60_000).default(250),
      /** Rendering worker threads. @default the machine's available parallelism */
      threads: positiveInt.max(64).optional(),
      /**
       * Remote images in message bodies: `allow` (http and https), `https` (http ones dropped:
       * readable and changeable on the way), `drop` (none: loading one tells the sender the
       * message was read, when and from where). `cid:` images always stay. @default "https"
       */
      remoteImages: z.enum(['allow', 'https', 'drop']).default('https'),
      /** Largest `width` / `height` an image keeps, in pixels; larger ones are cut to it. @default 2000 */
      maxImageDimension: positiveInt.max(100_000).default(2000),
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
  /** Serving vendor attachments at `/attachments/<id>` (`config/attachments.ts`). */
  attachments: attachmentsSchema,
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
export type RedisConfig = NonNullable<DeskGraphConfig['redis']>;
export type ServerConfig = DeskGraphConfig['server'];

/** Every limit at its default (CONTRACT §6). */
export const DEFAULT_LIMITS: LimitsConfig = limitsSchema.parse({});
