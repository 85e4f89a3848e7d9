/**
 * `useTracing()`: a span per GraphQL operation, child of the caller's trace when the request
 * carries a W3C `traceparent` (and `tracestate`), a new trace otherwise. Installed only when
 * tracing is on (tracing.ts). Everything the operation causes (the ticket loader's batches, the
 * vendor calls) nests under it through the active context.
 *
 * Span: `query <OperationName>` (`graphql.operation.type`, `graphql.operation.name`, SERVER
 * kind), `deskgraph.request_id` (the `x-request-id` of the logs), and when the result holds
 * errors, status ERROR with `deskgraph.graphql.error_codes`. Never the document or its
 * variables: they hold customers' refs, as the logs never do.
 *
 * Why not @envelop/opentelemetry: its 9.x depends on the 1.x SDK (`sdk-trace-base` ^1) beside
 * the 2.x this gateway runs, starts a span per resolver (every scalar field of every message),
 * and reads no incoming `traceparent`. This plugin uses yoga's own `instrumentation.operation`
 * hook, which wraps parsing, validation and execution of each operation.
 */
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { executionResults } from '../server/execution-results.js';
import { currentRequestId } from '../server/request-id.js';

/** Reads `traceparent` / `tracestate` only: the propagator validates them (a bad one starts a new trace). */
const propagator = new W3CTraceContextPropagator();
const headersGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};
/** GraphQL names are [_A-Za-z][_0-9A-Za-z]*; a long one is cut, so span names stay short. */
const MAX_NAME = 100;

export function useTracing(): Plugin {
  return {
    instrumentation: {
      operation({ request }, wrapped) {
        const parent = propagator.extract(ROOT_CONTEXT, request.headers, headersGetter);
        const requestId = currentRequestId();
        const span = trace.getTracer('deskgraph').startSpan(
          'graphql.operation',
          { kind: SpanKind.SERVER, attributes: requestId ? { 'deskgraph.request_id': requestId } : {} },
          parent,
        );
        return context.with(trace.setSpan(parent, span), () => endWhenDone(span, wrapped));
      },
    },
    onExecute({ args }) {
      const span = trace.getActiveSpan();
      const operation = getOperationAST(args.document, args.operationName);
      if (!span || !operation) return;
      const name = operation.name?.value.slice(0, MAX_NAME);
      span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
      span.setAttribute('graphql.operation.type', operation.operation);
      if (name) span.setAttribute('graphql.operation.name', name);
    },
    onExecutionResult({ result }) {
      const span = trace.getActiveSpan();
      if (!span) return;
      const codes = new Set<string>();
      for (const single of executionResults(result)) {
        for (const error of single.errors ?? []) {
          const code = error.extensions?.['code'];
          codes.add(typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : 'UNKNOWN');
        }
      }
      if (codes.size === 0) return;
      const list = [...codes].sort();
      span.setAttribute('deskgraph.graphql.error_codes', list);
      span.setStatus({ code: SpanStatusCode.ERROR, message: list.join(', ') });
    },
  };
}

function endWhenDone<T>(span: Span, wrapped: () => T): T {
  try {
    const result = wrapped();
    // Yoga's hooks may return a promise or a synchronous thenable of its own.
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      return (result as PromiseLike<unknown>).then(
        (value) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          span.end();
          throw error;
        },
      ) as T;
    }
    span.end();
    return result;
  } catch (error) {
    span.end();
    throw error;
  }
}
