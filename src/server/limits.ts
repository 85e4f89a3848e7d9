/**
 * Hostile queries (CONTRACT §6): every limit answers before any work is done, with an error that
 * says which limit and by how much; nothing hangs and no vendor is asked.
 *
 * - depth, aliases, tokens, directives: GraphQL Armor's plugins, as validation rules (tokens
 *   while parsing). Depth flattens fragments and counts introspection, which makes GraphiQL's
 *   own introspection query exactly 15 deep: it passes at the default and a deeper `__schema`
 *   probe does not. Armor's cost limit is off: the costly part of a DeskGraph query is its vendor
 *   reads, which `upstreamCallsPerRequest` bounds exactly (request-budget.ts).
 * - body size: `Content-Length` is checked before the body is read; yoga's own streaming limit
 *   (set to the same size) stops a chunked body as it arrives. Both are HTTP 413.
 * - refs per list, tickets per answer and reads per request: request-budget.ts, before any
 *   resolver runs; the answer's size: response-size.ts, before it is serialized.
 *
 * Query limit errors are BAD_USER_INPUT with `extensions.limit` naming the setting.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { LimitsConfig } from '../config/schema.js';
import { executionResults } from './execution-results.js';

export type QueryLimit = 'depth' | 'aliases' | 'tokens' | 'directives';

/** Armor's message without its misleading "Syntax Error:" prefix, as BAD_USER_INPUT. */
function limitError(limit: QueryLimit, armorError: GraphQLError): GraphQLError {
  const message = armorError.message.replace(/^Syntax Error: /, '');
  return new GraphQLError(`${message} (limits.${limit})`, { extensions: { code: 'BAD_USER_INPUT', limit } });
}

/** Reports the limit as a validation error (HTTP 400 under graphql-response+json). */
const report = (limit: QueryLimit) => (context: ValidationContext | null, error: GraphQLError) => {
  if (context) context.reportError(limitError(limit, error));
  else throw limitError(limit, error);
};

export interface QueryLimitsOptions {
  limits: LimitsConfig;
}

export function useQueryLimits(options: QueryLimitsOptions): Plugin {
  const { limits } = options;
  const armor = EnvelopArmorPlugin<YogaInitialContext>({
    maxDepth: {
      n: limits.depth,
      ignoreIntrospection: false,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [report('depth')],
    },
    maxAliases: { n: limits.aliases, propagateOnRejection: false, onReject: [report('aliases')] },
    maxDirectives: { n: limits.directives, propagateOnRejection: false, onReject: [report('directives')] },
    // The parser has no validation context: the handler throws, which ends parsing at once.
    maxTokens: { n: limits.tokens, onReject: [report('tokens')] },
    costLimit: { enabled: false },
    // Suggestions are removed from every error when introspection is off (see below): Armor's
    // own blocker misses enum values ("Did you mean the enum value …?").
    blockFieldSuggestion: { enabled: false },
  });
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(armor);
    },
    onRequestParse({ request }) {
      // Content-Length is what the body claims; yoga's streaming limit holds it to that.
      const length = request.headers.get('content-length');
      if (length !== null && /^\d+$/.test(length) && Number(length) > limits.bodyBytes) {
        throw bodyTooLarge(limits.bodyBytes);
      }
    },
  };
}

export function bodyTooLarge(maxBytes: number): GraphQLError {
  return createGraphQLError(`The request body is larger than this gateway accepts (${maxBytes} bytes, limits.bodyBytes).`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', limit: 'bodyBytes', http: { status: 413 } },
  });
}

/**
 * Introspection off: `__schema` and `__type` are refused (yoga's plugin) and so is federation's
 * `_service`, whose `sdl` prints the whole schema just the same; `_entities` stays (it reads
 * tickets, not the schema). "Did you mean …?" suggestions, which would spell out field, type,
 * argument and enum names one guess at a time, are cut from every error message.
 */
export function useIntrospectionControl(enabled: boolean): Plugin[] {
  if (enabled) return [];
  return [
    useDisableIntrospection(),
    {
      onValidate({ addValidationRule }) {
        addValidationRule(noServiceField);
      },
      onResultProcess({ result }) {
        for (const one of executionResults(result)) {
          for (const error of one.errors ?? []) {
            // GraphQLError's message is a plain writable property (Armor's blocker does the same).
            (error as { message: string }).message = error.message.replace(SUGGESTION, '');
          }
        }
      },
    },
  ];
}

/** graphql-js's suggestion tails: `Did you mean "ref"?`, `Did you mean the enum value "HOSTUP"?`. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

function noServiceField(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '_service' && context.getParentType()?.name === 'Query') {
        context.reportError(
          new GraphQLError('GraphQL introspection is disabled on this gateway, and `_service` would print the schema.', {
            nodes: node,
          }),
        );
      }
    },
  };
}
