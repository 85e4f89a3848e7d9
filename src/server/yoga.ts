/** The yoga server over DeskGraph's schema: context per request, GraphiQL, error masking. */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, maskError as yogaMaskError, type YogaServerInstance } from 'graphql-yoga';
import { buildSchema } from '../schema/index.js';
import type { TicketService } from '../upstream/ticket-service.js';
import { createTicketLoader, type GatewayContext } from './context.js';
import type { Logger } from './logger.js';
import type { ProviderDirectory } from './providers.js';

export interface DeskGraphYogaOptions {
  service: TicketService;
  directory: ProviderDirectory;
  logger: Logger;
  /** Serve GraphiQL on GET /graphql. @default true */
  graphiql?: boolean;
  /** GraphiQL's default tab. */
  defaultQuery?: string | undefined;
}

export const PROVIDERS_QUERY = `# DeskGraph: one GraphQL API over every helpdesk.
# Read a ticket with: ticket(provider: HOSTUP, ref: "tkt_…") { subject status messages { bodyText } }
query Providers {
  providers {
    provider
    configured
    origin
  }
}
`;

export function createDeskGraphYoga(
  options: DeskGraphYogaOptions,
): YogaServerInstance<Record<string, unknown>, GatewayContext> {
  const { service, directory, logger } = options;
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, 'yoga'),
      info: (...args) => logger.info({ yoga: args }, 'yoga'),
      warn: (...args) => logger.warn({ yoga: args }, 'yoga'),
      error: (...args) => logger.error({ yoga: args }, 'yoga'),
    },
    context: (): GatewayContext => ({ tickets: createTicketLoader(service), directory }),
    graphiql:
      options.graphiql === false
        ? false
        : { title: 'DeskGraph', defaultQuery: options.defaultQuery ?? PROVIDERS_QUERY, shouldPersistHeaders: false },
    // Inlined GraphiQL: the page works with no internet (no CDN).
    renderGraphiQL,
    maskedErrors: {
      // Expected failures are GraphQLErrors and pass; anything else is logged and masked.
      // isDev is forced off: NODE_ENV=development must not leak stack traces to callers.
      maskError(error, message) {
        const masked = yogaMaskError(error, message, false);
        if (masked !== error) logger.error({ err: error }, 'unexpected error while executing a GraphQL request');
        return masked;
      },
    },
  });
}
