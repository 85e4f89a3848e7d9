/**
 * TeamBattles client: `GET /api/v1/tickets/{ticketId}` with a bearer token (`tb_…`).
 * A ticket the key owner does not own reads as `404 TICKET_NOT_FOUND`, exactly like an unknown
 * id, so both are NOT_FOUND (CONTRACT §3: "or is not visible to the gateway's key").
 *
 * Errors are `{ error, details? }` with the codes of
 * https://teambattles.gg/docs/developers/authentication ("Common Error Codes") and
 * https://teambattles.gg/docs/developers/rate-limits ("Error codes"); a 429 carries
 * `Retry-After` and `X-RateLimit-Reset` in seconds from now.
 */
import { encodePathSegment } from '../../upstream/http.js';
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk, vendorMeaning, type VendorErrorMeaning } from '../responses.js';
import { mapTeamBattlesTicket } from './map.js';
import { teamBattlesError, teamBattlesTicket } from './wire.js';

const ERRORS: Readonly<Record<string, VendorErrorMeaning>> = {
  error_api_key_required: { code: 'UPSTREAM_UNAUTHORIZED', cause: 'TeamBattles received no API key.' },
  error_api_key_invalid: { code: 'UPSTREAM_UNAUTHORIZED', cause: 'TeamBattles reports the API key invalid or revoked.' },
  error_api_key_expired: { code: 'UPSTREAM_UNAUTHORIZED', cause: 'TeamBattles reports the API key past its expiry date.' },
  error_api_key_muted: { code: 'UPSTREAM_FORBIDDEN', cause: 'TeamBattles has temporarily muted the API key.' },
  error_api_key_permission_denied: { code: 'UPSTREAM_FORBIDDEN', cause: 'The API key lacks the tickets.read:read permission.' },
  error_api_plan_required: { code: 'UPSTREAM_FORBIDDEN', cause: 'TeamBattles requires a higher API plan.' },
  error_api_feature_required: { code: 'UPSTREAM_FORBIDDEN', cause: 'TeamBattles requires an API feature the plan lacks.' },
  error_api_rate_limited: { code: 'RATE_LIMITED' },
  error_ip_rate_limited: { code: 'RATE_LIMITED', cause: "TeamBattles' per-IP flood guard tripped." },
  TICKET_NOT_FOUND: { code: 'NOT_FOUND' },
  error_invalid_request: { code: 'BAD_USER_INPUT' },
  error_internal: { code: 'UPSTREAM_UNAVAILABLE' },
};

const errorCodeOf = (body: unknown) => {
  const parsed = teamBattlesError.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
};

export const createTeamBattlesConnector: ConnectorFactory = (transport, settings): Connector => ({
  provider: 'TEAMBATTLES',
  async fetchTicket(ref, signal) {
    const response = await transport.send(
      {
        method: 'GET',
        path: `/api/v1/tickets/${encodePathSegment(ref)}`,
        headers: { authorization: `Bearer ${settings.token}`, accept: 'application/json' },
      },
      signal,
    );
    const wire = expectOk(teamBattlesTicket, 'TEAMBATTLES', ref, response, (failed) => vendorMeaning(failed, errorCodeOf, ERRORS));
    return mapTeamBattlesTicket(wire, mapContext(transport, settings));
  },
});
