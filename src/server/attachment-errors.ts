/**
 * The attachment route's answers when no file is served: the CONTRACT §3 code as an HTTP status,
 * in /graphql's JSON error shape (`{ errors: [{ message, extensions: { code, provider, ref } }] }`),
 * with `Retry-After` for RATE_LIMITED. Anything unexpected is a masked 500 with the request id,
 * logged in full.
 */
import type { ServerResponse } from 'node:http';
import { isDeskGraphError, type ErrorCode } from '../domain/errors.js';
import type { Logger } from '../telemetry/logger.js';
import { currentRequestId } from './request-id.js';

export const ATTACHMENT_ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PROVIDER_NOT_CONFIGURED: 404,
  RATE_LIMITED: 429,
  UPSTREAM_UNAUTHORIZED: 502,
  UPSTREAM_FORBIDDEN: 502,
  UPSTREAM_BAD_RESPONSE: 502,
  UPSTREAM_UNAVAILABLE: 503,
};

/** Answers `error` (the response has not started). `statusOverride` for 405. */
export function sendError(res: ServerResponse, method: string | undefined, error: unknown, log: Logger, statusOverride?: number): void {
  const requestId = currentRequestId();
  let status = 500;
  let message = 'Unexpected error.';
  const extensions: Record<string, unknown> = { code: 'INTERNAL_SERVER_ERROR' };
  if (isDeskGraphError(error)) {
    status = statusOverride ?? ATTACHMENT_ERROR_STATUS[error.code];
    message = error.message;
    extensions['code'] = error.code;
    if (error.provider !== undefined) extensions['provider'] = error.provider;
    if (error.ref !== undefined) extensions['ref'] = error.ref;
    if (error.retryAfterSeconds !== undefined) {
      extensions['retryAfterSeconds'] = error.retryAfterSeconds;
      res.setHeader('retry-after', String(error.retryAfterSeconds));
    }
    if (status >= 500) log.warn({ code: error.code, provider: error.provider, upstreamStatus: error.upstreamStatus }, 'attachment not served');
  } else {
    log.error({ err: error }, 'unexpected error while serving an attachment');
  }
  // As /graphql: the request id on the answers a caller may ask about (a refused key, a 500).
  if (requestId !== undefined && (status === 500 || status === 401 || status === 429)) extensions['requestId'] = requestId;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(method === 'HEAD' ? undefined : JSON.stringify({ errors: [{ message, extensions }] }));
}
