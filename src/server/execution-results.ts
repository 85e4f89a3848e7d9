/**
 * What yoga's `onResultProcess` hands a plugin, read as single results: one result, a batch of
 * them, or none for a stream (DeskGraph has no subscriptions or @defer). Shared by the plugins
 * that read results (metrics, limits, tracing, error masking).
 */
import type { ExecutionResult } from 'graphql';

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

export function executionResults(result: unknown): ExecutionResult[] {
  const all = Array.isArray(result) ? (result as unknown[]) : [result];
  return all.filter(
    (one): one is ExecutionResult => typeof one === 'object' && one !== null && !isAsyncIterable(one) && ('data' in one || 'errors' in one),
  );
}
