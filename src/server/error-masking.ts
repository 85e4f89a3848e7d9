/**
 * Unexpected errors are masked (as graphql-yoga masks them) and traceable: a client holding
 * "INTERNAL_SERVER_ERROR, requestId X" finds the full stack trace under the same id in the log.
 *
 * `maskUnexpectedError` is yoga's `maskedErrors.maskError`: expected failures (GraphQLErrors made
 * on purpose, with a code) pass; anything else becomes "Unexpected error." with
 * INTERNAL_SERVER_ERROR. `useMaskedErrorIds` then stamps the request id on each masked error and
 * logs what it masked, once, with that id.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { isAsyncIterable } from './execution-results.js';
import { currentRequest, type RequestState } from './request-id.js';

/** Masked errors → what they masked. */
const maskedOriginals = new WeakMap<GraphQLError, unknown>();
/** Originals yoga's own logger would print without a request id: logged here instead. */
const loggedWithRequestId = new WeakSet<object>();

/** isDev is forced off: NODE_ENV=development must not put stack traces in responses. */
export function maskUnexpectedError(error: unknown, message: string): Error {
  const masked = yogaMaskError(error, message, false);
  if (masked !== error && masked instanceof GraphQLError) {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    maskedOriginals.set(masked, original);
    if (typeof error === 'object' && error !== null) loggedWithRequestId.add(error);
  }
  return masked;
}

/** Whether yoga's logger should skip this error: it is logged with its request id instead. */
export function isLoggedWithRequestId(value: unknown): boolean {
  return typeof value === 'object' && value !== null && loggedWithRequestId.has(value);
}

/** Stamps the request id on masked errors and logs what they masked (same id, full detail). */
export function useMaskedErrorIds(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      const state = currentRequest();
      if (Array.isArray(result)) setResult(result.map((one) => withRequestId(one, state)));
      else if (!isAsyncIterable(result)) setResult(withRequestId(result, state));
    },
  };
}

function withRequestId<R extends ExecutionResult>(result: R, state: RequestState): R {
  if (!result.errors?.some((error) => error.extensions?.['code'] === 'INTERNAL_SERVER_ERROR')) return result;
  const errors = result.errors.map((error) => {
    if (error.extensions?.['code'] !== 'INTERNAL_SERVER_ERROR') return error;
    if (maskedOriginals.has(error)) {
      state.log.error(
        { err: maskedOriginals.get(error), path: error.path?.join('.') },
        'unexpected error while serving a GraphQL request (masked as INTERNAL_SERVER_ERROR)',
      );
    }
    return createGraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: { ...error.extensions, requestId: state.id },
    });
  });
  return { ...result, errors };
}
