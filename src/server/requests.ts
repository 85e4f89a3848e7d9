/**
 * Request ids, per-request loggers and the masking of unexpected errors.
 *
 * Every request gets an id: the caller's `x-request-id` when it is a short, safe token (so a
 * proxy's id follows the request through), else a fresh UUID. The id goes back in the
 * `x-request-id` response header, on every log line of the request (a pino child logger in the
 * GraphQL context) and on every masked error, so "INTERNAL_SERVER_ERROR, requestId X" in a
 * client's hands finds the stack trace in the log.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import type { Caller } from '../domain/caller.js';
import type { Logger } from './logger.js';
import { requestIdFrom } from './request-context.js';

export interface RequestState {
  readonly id: string;
  /** The logger of this request: every line carries `requestId` (and, once known, `caller`). */
  log: Logger;
  /** Set by the caller check; the open caller where no keys are configured. */
  caller: Caller | undefined;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
}

const states = new WeakMap<Request, RequestState>();

/** This request's state, made on first use (the first plugin to see a request makes it). */
export function requestState(request: Request, logger: Logger): RequestState {
  let state = states.get(request);
  if (!state) {
    const id = requestIdFrom(request.headers.get('x-request-id'));
    state = { id, log: logger.child({ requestId: id }), caller: undefined, startedAt: performance.now() };
    states.set(request, state);
  }
  return state;
}

/** The code of each error response made before GraphQL ran, for the GraphQL error metrics. */
const earlyErrors = new WeakMap<Response, string>();

/** A GraphQL-over-HTTP error response made before GraphQL runs (401, 413…). */
export function graphqlErrorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  message: string,
  extensions: Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  const response = new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
  if (typeof extensions['code'] === 'string') earlyErrors.set(response, extensions['code']);
  return response;
}

/** The error code of a response `graphqlErrorResponse` made (no result reached onResultProcess). */
export function earlyErrorCode(response: Response): string | undefined {
  return earlyErrors.get(response);
}

/** Masked errors → what they masked, logged once the request (and its id) is known. */
const maskedOriginals = new WeakMap<GraphQLError, unknown>();
/** Originals yoga's own logger would print without a request id: logged here instead. */
const loggedWithRequestId = new WeakSet<object>();

/**
 * yoga's `maskedErrors.maskError`: expected failures (GraphQLErrors made on purpose, with a code)
 * pass; anything else becomes "Unexpected error." with INTERNAL_SERVER_ERROR. isDev is forced
 * off: NODE_ENV=development must not put stack traces in responses.
 */
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

export interface RequestIdsOptions {
  logger: Logger;
}

/**
 * Gives each request its id and logger, sets `x-request-id` on the response, logs one line when
 * it is served, and stamps the id on masked errors while logging what they masked (same id,
 * full detail).
 */
export function useRequestIds(options: RequestIdsOptions): Plugin {
  const { logger } = options;
  return {
    onRequest({ request }) {
      requestState(request, logger);
    },
    onResultProcess({ request, result, setResult }) {
      const state = requestState(request, logger);
      if (Array.isArray(result)) setResult(result.map((one) => withRequestId(one, state)));
      else if (!isAsyncIterable(result)) setResult(withRequestId(result, state));
    },
    onResponse({ request, response }) {
      // GraphiQL's page and CORS preflights are answered before onRequest above: made here.
      const state = requestState(request, logger);
      if (!response.headers.has('x-request-id')) response.headers.set('x-request-id', state.id);
      // One line per request: what was asked (method and path, never the query or its
      // variables, which hold customer refs), how it ended and how long it took.
      state.log.info(
        { method: request.method, path: new URL(request.url).pathname, status: response.status, ms: Math.round(performance.now() - state.startedAt) },
        'request served',
      );
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

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The single results in what yoga's `onResultProcess` hands a plugin: one result, a batch of
 * them, or none for a stream (DeskGraph has no subscriptions or @defer).
 */
export function executionResults(result: unknown): ExecutionResult[] {
  const all = Array.isArray(result) ? (result as unknown[]) : [result];
  return all.filter(
    (one): one is ExecutionResult => typeof one === 'object' && one !== null && !isAsyncIterable(one) && ('data' in one || 'errors' in one),
  );
}
