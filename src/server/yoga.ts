/**
 * The yoga server over DeskGraph's schema, and every HTTP route but `/attachments/<id>`. In the
 * order a request meets them: its id, logger and scope (request-id.ts, around everything);
 * yoga's own `/healthz` (any host, for orchestrators) and GraphiQL's page (allowed hosts only);
 * `/readyz` (yoga's readiness check); the allowed host names (421); CORS for the allowed origins
 * only; the refusal of non-JSON POSTs (CSRF); the caller check (401 before the body is read);
 * masked errors stamped with the id; the gateway's plugins (metrics, `/metrics`, tracing); the
 * body size limit, the query limits, the answer's size and the introspection switch; the request
 * budget; the per-request context; and the compiled executor.
 */
import type { BodyRendering } from '../bodies/body-renderer.js';
import { createGraphQLError, createYoga, useReadinessCheck, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { DEFAULT_LIMITS, type AuthConfig, type LimitsConfig } from '../config/schema.js';
import type { ProviderDirectory } from '../domain/provider-status.js';
import type { GatewayContext } from '../schema/context.js';
import { buildSchema } from '../schema/index.js';
import { attachmentLinks, VENDOR_LINKS_ONLY, type AttachmentLinkOptions } from './attachment-links.js';
import { createCallerCheck, KEY_REQUIRED, useCallerAuth, type CallerCheck } from './auth.js';
import { useCompression } from './compression.js';
import { useCorsAllowList, type CorsOptions } from './cors.js';
import { createGraphiQLPage } from './graphiql-page.js';
import { graphiqlTour } from './graphiql-tour.js';
import { useJsonRequestsOnly } from './json-requests.js';
import { useKnownOperationTypes } from './operation-types.js';
import { RequestBudget, useRequestBudget } from './request-budget.js';
import { useResponseSizeLimit } from './response-size.js';
import { createTicketLoader, createTicketRefresher, type TicketReader } from './ticket-loader.js';
import { useIntrospectionControl, useQueryLimits } from './limits.js';
import type { Logger } from '../telemetry/logger.js';
import { useCompiledExecution } from './compiled-execution.js';
import { isLoggedWithRequestId, maskUnexpectedError, useMaskedErrorIds } from './error-masking.js';
import { createHostCheck, useAllowedHosts, type HostCheck } from './hosts.js';
import { currentRequest, useRequestId } from './request-id.js';

export interface DeskGraphYogaOptions {
  service: TicketReader;
  directory: ProviderDirectory;
  /** Message bodies, rendered lazily in the worker pool (the gateway owns and closes it). */
  bodies: BodyRendering;
  logger: Logger;
  /** Serve GraphiQL on GET /graphql. @default true */
  graphiql?: boolean;
  /** GraphiQL's default tab. @default the tour without sample tickets (graphiql-tour.ts) */
  defaultQuery?: string | undefined;
  /** Caller keys (`auth` of the configuration), when no `callers` check is given. @default none: anyone may ask anything (a warning is logged) */
  auth?: AuthConfig | undefined;
  /** The gateway's one caller check (keys and the key throttle). @default a check of `auth`, without throttle */
  callers?: CallerCheck | undefined;
  /** Whether `/readyz` says ready (false while draining). @default always */
  ready?: (() => boolean) | undefined;
  /** The gateway's host check (`server.allowedHosts`). @default every host */
  hostAllowed?: HostCheck | undefined;
  /** What one request may ask for (`limits`). @default DEFAULT_LIMITS */
  limits?: LimitsConfig | undefined;
  /** Answer introspection (`introspection.enabled`). @default true */
  introspection?: boolean | undefined;
  /**
   * Run operations from compiled plans (`compiled-execution.ts`); off, every operation goes through the
   * standard executor. @default true
   */
  compiledExecution?: boolean | undefined;
  /**
   * The providers whose attachments the gateway serves at `/attachments/<id>`, and its public
   * URL for those links. @default none: every attachment keeps its vendor URL
   */
  attachments?: AttachmentLinkOptions | undefined;
  /** Compress answers for clients that ask (`server.compression`). @default on, above 1024 bytes */
  compression?: { enabled: boolean; thresholdBytes: number } | undefined;
  /** Browser origins allowed to call (`server.cors`). @default none: no CORS header is ever sent */
  cors?: CorsOptions | undefined;
  /** More plugins, run after the caller check (metrics and `/metrics`, tracing). */
  plugins?: Plugin[] | undefined;
}

export function createDeskGraphYoga(
  options: DeskGraphYogaOptions,
): YogaServerInstance<Record<string, unknown>, GatewayContext> {
  const { service, directory, bodies, logger } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const callers = options.callers ?? createCallerCheck({ auth: options.auth });
  if (!callers.required) {
    logger.warn(
      'no auth.keys are configured: this gateway answers anyone who can reach it, INTERNAL staff notes included. Configure auth.keys unless a trusted proxy in front checks callers.',
    );
  }

  const compression = options.compression ?? { enabled: true, thresholdBytes: 1024 };
  const hostAllowed = options.hostAllowed ?? createHostCheck(undefined);
  const graphiqlOptions = { title: 'DeskGraph', defaultQuery: options.defaultQuery ?? graphiqlTour(), shouldPersistHeaders: false };
  // Inlined GraphiQL: the page works with no internet (no CDN). The bundle is some 30 MiB of
  // memory once loaded, so it is loaded when the page is first asked for, not at start, and
  // rendered once (graphiql-page.ts: ETag, 304s, kept compressed copies).
  const graphiqlPage = createGraphiQLPage(async (graphiqlOptions: GraphiQLOptions) =>
    (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
  );

  return createYoga<Record<string, unknown>, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, 'yoga'),
      info: (...args) => logger.info({ yoga: args }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args }, 'yoga'),
      // Masked errors are logged with their request id by useMaskedErrorIds, not here.
      error: (...args) => {
        if (isLoggedWithRequestId(args[0])) return;
        logger.error(args[0] instanceof Error ? { err: args[0] } : { yoga: args }, 'yoga');
      },
    },
    // yoga's own CORS reflects any origin with credentials: replaced by the allow-list.
    cors: false,
    healthCheckEndpoint: '/healthz',
    plugins: [
      // onResponse hooks run in this order: the page's kept copy first (so the generic
      // compression never compresses the 9 MB page again), then compression, then the request
      // log line, which so sees the status actually sent (a 304, say).
      graphiqlPage.plugin({ compression: compression.enabled }),
      ...(compression.enabled ? [useCompression({ thresholdBytes: compression.thresholdBytes })] : []),
      useRequestId({ logger }),
      useReadinessCheck({ endpoint: '/readyz', check: ({ fetchAPI }) => readiness(fetchAPI, options.ready?.() ?? true) }),
      useAllowedHosts({ allowed: hostAllowed }),
      useCorsAllowList(options.cors),
      useJsonRequestsOnly(),
      useCallerAuth({ callers }),
      useMaskedErrorIds(),
      ...(options.plugins ?? []),
      useQueryLimits({ limits }),
      useResponseSizeLimit({ maxBytes: limits.responseBytes }),
      useKnownOperationTypes(),
      useRequestBudget({ budgetOf: (context) => (context as Partial<GatewayContext>).budget as RequestBudget | undefined }),
      ...useIntrospectionControl(options.introspection ?? true),
      // Last: the last plugin to set the executor wins (tracing uses instrumentation, not the executor).
      ...(options.compiledExecution === false ? [] : [useCompiledExecution()]),
    ],
    // The streaming check behind useQueryLimits' Content-Length check (chunked bodies).
    maxRequestBodySize: limits.bodyBytes,
    context: ({ request }): GatewayContext => {
      // useCallerAuth has already answered 401 to a request without a valid key: a context
      // without a caller is a wiring mistake, refused rather than served open.
      const { caller } = currentRequest();
      if (!caller) {
        throw createGraphQLError(KEY_REQUIRED, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      // One budget for the request: useRequestBudget plans it before any resolver runs, and
      // the loader and the refresher count their reads against it together.
      const budget = new RequestBudget(limits);
      return {
        tickets: createTicketLoader(service, { caller, budget }),
        refresh: createTicketRefresher(service, { caller, budget }),
        directory,
        bodies,
        caller,
        attachmentLinks: options.attachments ? attachmentLinks(options.attachments, request.headers) : VENDOR_LINKS_ONLY,
        budget,
      };
    },
    // yoga serves GraphiQL's page before any plugin of ours: the page checks the host itself,
    // and for a host not allowed falls through to useAllowedHosts' 421.
    graphiql:
      options.graphiql === false
        ? false
        : (request) => hostAllowed(request.headers.get('host') ?? undefined) && graphiqlOptions,
    renderGraphiQL: (graphiqlOptions) => graphiqlPage.render(graphiqlOptions),
    // Expected failures are GraphQLErrors with a code and pass; anything else is masked as
    // INTERNAL_SERVER_ERROR, stamped with the request id and logged in full (useMaskedErrorIds).
    maskedErrors: { maskError: maskUnexpectedError },
  });
}

/** `/readyz`: 200 `{"status":"ready"}`, or 503 `{"status":"draining"}` once the gateway drains. */
function readiness(fetchAPI: { Response: typeof Response }, ready: boolean): Response {
  return new fetchAPI.Response(JSON.stringify({ status: ready ? 'ready' : 'draining' }), {
    status: ready ? 200 : 503,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
