/**
 * HostUp client: `GET /api/v2/support/tickets/{id}` with a bearer token. The ref is the
 * `tkt_…` id or, during HostUp's migration, the numeric ticket number; both go in the path.
 *
 * Errors are RFC 7807 problem documents whose `code` is stable
 * (https://developer.hostup.se/endpoints/support/get-v2-support-tickets-id). Two codes mean a
 * spent limit, `rate_limit_exceeded` (https://developer.hostup.se/errors/rate_limit_exceeded) and
 * `rate_limited` (https://developer.hostup.se/errors/rate_limited): both are RATE_LIMITED, with
 * `Retry-After` seconds, else the ISO `X-RateLimit-Reset`, giving `retryAfterSeconds`.
 */
import { encodePathSegment } from '../../transport/http.js';
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk, vendorMeaning, type VendorErrorMeaning } from '../responses.js';
import { mapHostUpTicket } from './map.js';
import { hostUpProblem, hostUpTicket } from './wire.js';

/** The problem codes the ticket page documents, and HostUp's second rate-limit code. */
const ERRORS: Readonly<Record<string, VendorErrorMeaning>> = {
  invalid_request: { code: 'BAD_USER_INPUT' },
  unauthorized: { code: 'UPSTREAM_UNAUTHORIZED' },
  forbidden: { code: 'UPSTREAM_FORBIDDEN', cause: 'The API key lacks the read:support scope or does not own the ticket.' },
  not_found: { code: 'NOT_FOUND' },
  rate_limit_exceeded: { code: 'RATE_LIMITED' },
  rate_limited: { code: 'RATE_LIMITED' },
  internal_error: { code: 'UPSTREAM_UNAVAILABLE' },
};

const errorCodeOf = (body: unknown) => {
  const parsed = hostUpProblem.safeParse(body);
  return parsed.success ? parsed.data.code : undefined;
};

export const createHostUpConnector: ConnectorFactory = (transport, settings): Connector => ({
  provider: 'HOSTUP',
  async fetchTicket(ref, signal) {
    const response = await transport.send(
      {
        method: 'GET',
        path: `/api/v2/support/tickets/${encodePathSegment(ref)}`,
        headers: { authorization: `Bearer ${settings.token}`, accept: 'application/json' },
      },
      signal,
    );
    const wire = expectOk(hostUpTicket, 'HOSTUP', ref, response, (failed) => vendorMeaning(failed, errorCodeOf, ERRORS));
    return mapHostUpTicket(wire, mapContext(transport, settings));
  },
});
