/**
 * What every client does with a vendor's answer: statuses to CONTRACT §3 codes and payload
 * validation. Vendor-specific wrinkles are handled in each client before falling back here.
 */
import type { z } from 'zod';
import { DeskGraphError, ticketLabel } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import type { UpstreamResponse } from '../upstream/http.js';
import { MAX_COOLDOWN_CEILING_MS, retryAfterSeconds } from '../upstream/rate-limit-headers.js';

/** Turns a non-2xx answer into the error of CONTRACT §3. */
export function errorForStatus(provider: Provider, ref: string, response: UpstreamResponse): DeskGraphError {
  const { status } = response;
  const label = ticketLabel(provider, ref);
  const options = { provider, ref, upstreamStatus: status };
  if (status === 400 || status === 422) {
    return new DeskGraphError('BAD_USER_INPUT', `${provider} rejected the ref of ${label} as invalid.`, options);
  }
  if (status === 401) {
    return new DeskGraphError(
      'UPSTREAM_UNAUTHORIZED',
      `${provider} rejected DeskGraph's credential while reading ${label}; check the provider's token.`,
      options,
    );
  }
  if (status === 403) {
    return new DeskGraphError('UPSTREAM_FORBIDDEN', `${provider} refused DeskGraph access to ${label}.`, options);
  }
  if (status === 404 || status === 410) {
    return new DeskGraphError('NOT_FOUND', `${label} does not exist or is not visible to DeskGraph.`, options);
  }
  if (status === 429) {
    // The provider's gate cuts this further, to its own maxCooldownSeconds.
    const retryAfter = retryAfterSeconds(response.headers, Date.now(), { maxCooldownMs: MAX_COOLDOWN_CEILING_MS });
    return new DeskGraphError(
      'RATE_LIMITED',
      `${provider}'s rate limit is spent; ${label} can be read again ${retryAfter === undefined ? 'later' : `in ${retryAfter}s`}.`,
      { ...options, retryAfterSeconds: retryAfter },
    );
  }
  if (status >= 500) {
    return new DeskGraphError('UPSTREAM_UNAVAILABLE', `${provider} failed (HTTP ${status}) while reading ${label}.`, {
      ...options,
      // A gateway or overload answer may pass; a 500 is the vendor's own bug and will repeat.
      retryable: status === 502 || status === 503 || status === 504,
    });
  }
  return new DeskGraphError(
    'UPSTREAM_BAD_RESPONSE',
    `${provider} answered HTTP ${status}, which its API does not document, while reading ${label}.`,
    options,
  );
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
    throw new DeskGraphError('UPSTREAM_BAD_RESPONSE', `${provider} answered ${label} with a body that is not JSON.`, {
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

/** Reads a 2xx answer or throws the status's error. */
export function expectOk<S extends z.ZodType>(
  schema: S,
  provider: Provider,
  ref: string,
  response: UpstreamResponse,
): z.output<S> {
  if (response.status < 200 || response.status > 299) throw errorForStatus(provider, ref, response);
  return parseWire(schema, provider, ref, response);
}
