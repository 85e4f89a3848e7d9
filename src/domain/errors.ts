/**
 * The one error family of DeskGraph. Every failure the gateway expects carries one stable
 * `code` of CONTRACT §3; the GraphQL layer turns it into a `GraphQLError` in one place
 * (`schema/errors.ts`). Messages are plain words for people and never carry a credential or a
 * raw upstream body: build them from what the gateway knows, not from what a vendor sent.
 */
import type { Provider } from './provider.js';

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'PROVIDER_NOT_CONFIGURED',
  'NOT_FOUND',
  'UPSTREAM_UNAUTHORIZED',
  'UPSTREAM_FORBIDDEN',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DeskGraphErrorOptions {
  provider?: Provider | undefined;
  ref?: string | undefined;
  /** For RATE_LIMITED: whole seconds until the vendor accepts requests again. */
  retryAfterSeconds?: number | undefined;
  /** HTTP status the vendor answered with, when there was one (kept for logs and metrics). */
  upstreamStatus?: number | undefined;
  /**
   * The same read may succeed if repeated at once: a dropped connection or a 502/503/504.
   * Only these are retried. @default false
   */
  retryable?: boolean | undefined;
  cause?: unknown;
}

export class DeskGraphError extends Error {
  override readonly name = 'DeskGraphError';
  readonly code: ErrorCode;
  readonly provider: Provider | undefined;
  readonly ref: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: DeskGraphErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.provider = options.provider;
    this.ref = options.ref;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamStatus = options.upstreamStatus;
    this.retryable = options.retryable ?? false;
  }
}

export function isDeskGraphError(error: unknown): error is DeskGraphError {
  return error instanceof DeskGraphError;
}

/** How a ticket is named in error messages: "HOSTUP ticket tkt_abc". */
export function ticketLabel(provider: Provider, ref: string): string {
  return `${provider} ticket ${JSON.stringify(ref)}`;
}
