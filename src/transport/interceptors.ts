/**
 * What watches every vendor exchange, as undici interceptors composed onto the keep-alive pool
 * per provider (`agent.compose(...vendorInterceptors(...))`), below the connectors:
 *
 * - budget: the provider's rate-limit headers reach its gate (`observe`), on every answer;
 * - metrics: status counts and time to the answer headers (or the failure);
 * - logging: one line per call, with the request id of the GraphQL request that caused it;
 * - `extra`: a slot for more (tracing spans), placed outermost so they time everything below.
 *
 * Each is built by `observeExchanges`, which forwards every handler call unchanged: interceptors
 * only look. Nothing here touches the body (the transport caps and parses it).
 */
import { AsyncResource } from 'node:async_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { VendorHeaders } from './rate-limit-headers.js';

export type Interceptor = Dispatcher.DispatcherComposeInterceptor;

export type FailureKind = 'network' | 'timeout';

/** Told once per exchange: either `response` (the answer's headers arrived) or `failure`. */
export interface ExchangeListener {
  response?(status: number, headers: VendorHeaders, durationMs: number): void;
  failure?(kind: FailureKind, durationMs: number, error: Error): void;
}

/**
 * An interceptor that tells `listener` how each exchange went, and changes nothing. The listener
 * runs in the async context of the call that started the exchange (its request id), not in the
 * pooled socket's.
 */
export function observeExchanges(listener: ExchangeListener): Interceptor {
  return (dispatch) => (options, handler) => {
    const started = performance.now();
    let answered = false;
    const response = AsyncResource.bind((status: number, headers: VendorHeaders, ms: number) => listener.response?.(status, headers, ms));
    const failure = AsyncResource.bind((kind: FailureKind, ms: number, error: Error) => listener.failure?.(kind, ms, error));
    const observed: Dispatcher.DispatchHandler = {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
      onResponseStart: (controller, status, headers, message) => {
        answered = true;
        if (listener.response) response(status, flattenIncoming(headers), performance.now() - started);
        return handler.onResponseStart?.(controller, status, headers, message);
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => {
        if (!answered && listener.failure) failure(failureKind(error), performance.now() - started, error);
        return handler.onResponseError?.(controller, error);
      },
    };
    return dispatch(options, observed);
  };
}

/** A timeout is our deadline (an abort) or undici's own headers/body/connect timeout. */
export function failureKind(error: Error): FailureKind {
  const code = (error as { code?: unknown }).code;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  if (code === 'UND_ERR_ABORTED' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return 'timeout';
  }
  return 'network';
}

function flattenIncoming(raw: IncomingHttpHeaders): VendorHeaders {
  const headers: VendorHeaders = {};
  for (const [name, value] of Object.entries(raw)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

export interface VendorInterceptorOptions {
  /** The provider's gate: reads rate-limit headers of every answer. */
  budget: { observe(status: number, headers: VendorHeaders): void };
  metrics?: ExchangeListener | undefined;
  logging?: ExchangeListener | undefined;
  /** Outermost interceptors (e.g. OpenTelemetry spans around each vendor call). */
  extra?: readonly Interceptor[] | undefined;
}

/**
 * The provider's interceptors in compose order (the last is outermost): budget observation
 * nearest the wire, then metrics, logging and the extra ones.
 */
export function vendorInterceptors(options: VendorInterceptorOptions): Interceptor[] {
  const { budget, metrics, logging, extra = [] } = options;
  return [
    observeExchanges({ response: (status, headers) => budget.observe(status, headers) }),
    ...(metrics ? [observeExchanges(metrics)] : []),
    ...(logging ? [observeExchanges(logging)] : []),
    ...extra,
  ];
}
