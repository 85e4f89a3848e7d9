/**
 * The request id, made, carried and logged in one place (as Hive Gateway's `useRequestId`).
 *
 * Every request gets an id: the caller's `x-request-id` when it is a short, safe token (so a
 * proxy's id follows the request through), else a fresh UUID. `useRequestId` makes it when yoga
 * starts on a request and runs the whole request (every plugin hook, the resolvers, the loaders,
 * the ticket service, down to the vendor call) inside an AsyncLocalStorage scope holding it, so
 * a vendor call's log line names the request that caused it (for a shared single-flight call:
 * the request that started it). The id goes back in the `x-request-id` response header and on
 * every line of the request's logger; error-masking.ts stamps it on masked errors.
 *
 * The attachment route, which streams outside yoga, enters the same scope with `runAsRequest`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from '../domain/caller.js';
import type { Logger } from '../telemetry/logger.js';

export interface RequestState {
  readonly id: string;
  /** The logger of this request: every line carries `requestId` (and, once known, `caller`). */
  log: Logger;
  /** Set by the caller check (auth.ts). */
  caller: Caller | undefined;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
}

const storage = new AsyncLocalStorage<RequestState>();

/** Letters, digits, `.`, `_`, `-`, at most 64: safe in a header, a log line and a URL. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's `x-request-id` when it is a short, safe token, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

function begin(header: string | string[] | null | undefined, logger: Logger): RequestState {
  const id = requestIdFrom(header);
  return { id, log: logger.child({ requestId: id }), caller: undefined, startedAt: performance.now() };
}

/** The request being served. Throws outside one: a hook that runs without it is a wiring mistake. */
export function currentRequest(): RequestState {
  const state = storage.getStore();
  if (!state) throw new Error('no request is being served here (useRequestId must be the first plugin)');
  return state;
}

/** The id of the request being served, if any (vendor-call log lines). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.id;
}

/** Runs `work` as a request of its own, for a route served outside yoga (attachments). */
export function runAsRequest<T>(header: string | string[] | undefined, logger: Logger, work: (state: RequestState) => T): T {
  const state = begin(header, logger);
  return storage.run(state, () => work(state));
}

const PROBES = new Set(['/healthz', '/readyz']);

export interface RequestIdOptions {
  logger: Logger;
}

/**
 * Gives each request its id, logger and scope, sets `x-request-id` on the response and logs one
 * line when the request is served: what was asked (method and path, never the query or its
 * variables, which hold customer refs), how it ended and how long it took.
 */
export function useRequestId(options: RequestIdOptions): Plugin {
  return {
    instrumentation: {
      request({ request }, wrapped) {
        return storage.run(begin(request.headers.get('x-request-id'), options.logger), wrapped);
      },
    },
    onResponse({ request, response }) {
      const state = currentRequest();
      if (!response.headers.has('x-request-id')) response.headers.set('x-request-id', state.id);
      const path = new URL(request.url).pathname;
      // An orchestrator probes every few seconds: those lines are debug, not the log's bulk.
      state.log[PROBES.has(path) ? 'debug' : 'info'](
        { method: request.method, path, status: response.status, ms: Math.round(performance.now() - state.startedAt) },
        'request served',
      );
    },
  };
}
