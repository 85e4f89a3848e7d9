/** The one place a DeskGraphError becomes a GraphQLError (CONTRACT §3 extensions). */
import { GraphQLError } from 'graphql';
import { isDeskGraphError } from '../domain/errors.js';

/**
 * Expected failures become GraphQLErrors with `extensions.code`, `provider` and `ref`; anything
 * else is returned unchanged so the server masks it as INTERNAL_SERVER_ERROR.
 */
export function toGraphQLError(error: unknown): unknown {
  if (!isDeskGraphError(error)) return error;
  const extensions: Record<string, unknown> = { code: error.code };
  if (error.provider !== undefined) extensions['provider'] = error.provider;
  if (error.ref !== undefined) extensions['ref'] = error.ref;
  if (error.retryAfterSeconds !== undefined) extensions['retryAfterSeconds'] = error.retryAfterSeconds;
  return new GraphQLError(error.message, { extensions });
}

/** Awaits a read and rethrows its failure as the GraphQL error of CONTRACT §3. */
export async function graphqlResult<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toGraphQLError(error);
  }
}
