/**
 * The request a piece of work is done for, carried by AsyncLocalStorage from the HTTP handler
 * through yoga, the loaders and the ticket service down to the vendor call, so that a vendor
 * call's log line names the request that caused it (for a shared single-flight call: the
 * request that started it).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Letters, digits, `.`, `_`, `-`, at most 64: safe in a header, a log line and a URL. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's `x-request-id` when it is a short, safe token (a proxy's id follows the request), else a fresh UUID. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

export function runInRequest<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
