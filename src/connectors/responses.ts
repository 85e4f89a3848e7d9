/**
 * What every client does with a vendor's answer: statuses to CONTRACT §3 codes and payload
 * validation. Vendor-specific wrinkles are handled in each client before falling back here.
 */
import type { z } from 'zod';
import { DeskGraphError, ticketLabel, type ErrorCode } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import type { UpstreamResponse } from '../upstream/http.js';
import { retryAfterSeconds } from '../upstream/rate-limit-headers.js';

/** The CONTRACT §3 code an HTTP status means, when the vendor's body says nothing more precise. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'BAD_USER_INPUT';
  if (status === 401) return 'UPSTREAM_UNAUTHORIZED';
  if (status === 403) return 'UPSTREAM_FORBIDDEN';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'UPSTREAM_BAD_RESPONSE';
}

/**
 * What a vendor's documented error code says, read by its client from the error body: the
 * CONTRACT §3 code (which wins over the status's) and, where it tells the operator more than the
 * status does, a sentence of DeskGraph's own words. Never the vendor's text: it may carry
 * customer data or echo the request.
 */
export interface VendorErrorMeaning {
  code: ErrorCode;
  /** A full sentence, e.g. "Its token belongs to another desk than the configured baseUrl." */
  cause?: string | undefined;
}

/** Turns a non-2xx answer into the error of CONTRACT §3 (by status, or by the vendor's documented code). */
export function errorForStatus(
  provider: Provider,
  ref: string,
  response: UpstreamResponse,
  meaning?: VendorErrorMeaning,
): DeskGraphError {
  const { status } = response;
  const code = meaning?.code ?? codeForStatus(status);
  const label = ticketLabel(provider, ref);
  const options = { provider, ref, upstreamStatus: status };
  const cause = meaning?.cause ? ` ${meaning.cause}` : '';
  switch (code) {
    case 'BAD_USER_INPUT':
      return new DeskGraphError(code, `${provider} rejected the ref of ${label} as invalid.${cause}`, options);
    case 'UPSTREAM_UNAUTHORIZED':
      return new DeskGraphError(
        code,
        `${provider} rejected DeskGraph's credential while reading ${label}; check the provider's token.${cause}`,
        options,
      );
    case 'UPSTREAM_FORBIDDEN':
      return new DeskGraphError(code, `${provider} refused DeskGraph access to ${label}.${cause}`, options);
    case 'NOT_FOUND':
      return new DeskGraphError(code, `${label} does not exist or is not visible to DeskGraph.${cause}`, options);
    case 'RATE_LIMITED': {
      const retryAfter = retryAfterSeconds(response.headers);
      return new DeskGraphError(
        code,
        `${provider}'s rate limit is spent; ${label} can be read again ${retryAfter === undefined ? 'later' : `in ${retryAfter}s`}.${cause}`,
        { ...options, retryAfterSeconds: retryAfter },
      );
    }
    case 'UPSTREAM_UNAVAILABLE':
      return new DeskGraphError(code, `${provider} failed (HTTP ${status}) while reading ${label}.${cause}`, {
        ...options,
        // A gateway or overload answer may pass; a 500 is the vendor's own bug and will repeat.
        retryable: status === 502 || status === 503 || status === 504,
      });
    default:
      return new DeskGraphError(
        'UPSTREAM_BAD_RESPONSE',
        `${provider} answered HTTP ${status}, which its API does not document, while reading ${label}.${cause}`,
        options,
      );
  }
}

/**
 * The vendor's documented error code in an error body, looked up in the client's table; undefined
 * when the body has none or one the table does not know (the status decides then). `read` picks
 * the code out of the vendor's envelope and must not throw on any JSON.
 */
export function vendorMeaning(
  response: UpstreamResponse,
  read: (body: unknown) => string | undefined,
  table: Readonly<Record<string, VendorErrorMeaning>>,
): VendorErrorMeaning | undefined {
  const vendorCode = response.json === undefined ? undefined : read(response.json);
  return vendorCode !== undefined && Object.hasOwn(table, vendorCode) ? table[vendorCode] : undefined;
}

/**
 * Validates a 2xx payload against the connector's wire schema. Unknown fields are tolerated;
 * non-JSON or a missing/mistyped required field is UPSTREAM_BAD_RESPONSE. The message names
 * the offending path, never the value (it may be customer data).
 */
export function parseWire<S extends z.ZodType>(
  schema: S,
  provider: Provider,
  ref: string,
  response: UpstreamResponse,
): z.output<S> {
  const label = ticketLabel(provider, ref);
  if (response.jsonError || response.json === undefined) {
    const why = response.jsonProblem === undefined ? 'a body that is not JSON' : `a body DeskGraph does not read: ${response.jsonProblem}`;
    throw new DeskGraphError('UPSTREAM_BAD_RESPONSE', `${provider} answered ${label} with ${why}.`, {
      provider,
      ref,
      upstreamStatus: response.status,
    });
  }
  const result = schema.safeParse(response.json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new DeskGraphError(
    'UPSTREAM_BAD_RESPONSE',
    `${provider} answered ${label} with a payload its API does not promise: ${where}: ${issue?.message ?? 'invalid'}.`,
    { provider, ref, upstreamStatus: response.status },
  );
}

/** Reads a 2xx answer or throws the status's error (refined by `meaning`, the vendor's documented code). */
export function expectOk<S extends z.ZodType>(
  schema: S,
  provider: Provider,
  ref: string,
  response: UpstreamResponse,
  meaning?: (response: UpstreamResponse) => VendorErrorMeaning | undefined,
): z.output<S> {
  if (response.status < 200 || response.status > 299) throw errorForStatus(provider, ref, response, meaning?.(response));
  return parseWire(schema, provider, ref, response);
}
