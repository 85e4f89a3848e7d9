/**
 * Headoni client: `GET /api/v1/tickets/{idOrNumber}` with a bearer token.
 *
 * Errors are `{ "error": "<code>", "detail"?: "…" }` (https://docs.headoni.com/docs/api/overview,
 * "Errors"; the get-ticket page adds `400 invalid_id`). The status decides the CONTRACT §3 code;
 * the documented codes that tell an operator more than the status add a sentence of their own.
 */
import { encodePathSegment } from '../../upstream/http.js';
import type { Connector, ConnectorFactory } from '../connector.js';
import { expectOk, vendorMeaning, type VendorErrorMeaning } from '../responses.js';
import { mapHeadoniTicket } from './map.js';
import { headoniError, headoniTicketResponse } from './wire.js';

/** Headoni's documented error codes (overview page, get-ticket page). */
const ERRORS: Readonly<Record<string, VendorErrorMeaning>> = {
  invalid_id: { code: 'BAD_USER_INPUT', cause: 'Headoni reads tickets by an all-digits number or id.' },
  unauthenticated: { code: 'UPSTREAM_UNAUTHORIZED', cause: 'Headoni reports it missing, unknown, revoked or expired.' },
  insufficient_scope: { code: 'UPSTREAM_FORBIDDEN', cause: 'The token lacks the tickets:read scope.' },
  token_desk_mismatch: {
    code: 'UPSTREAM_FORBIDDEN',
    cause: "The token belongs to another desk than the provider's baseUrl.",
  },
  ticket_not_found: { code: 'NOT_FOUND' },
};

const errorCodeOf = (body: unknown) => {
  const parsed = headoniError.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
};

export const createHeadoniConnector: ConnectorFactory = (transport, settings): Connector => ({
  provider: 'HEADONI',
  async fetchTicket(ref, signal) {
    const response = await transport.send(
      {
        method: 'GET',
        path: `/api/v1/tickets/${encodePathSegment(ref)}`,
        headers: { authorization: `Bearer ${settings.token}`, accept: 'application/json' },
      },
      signal,
    );
    const wire = expectOk(headoniTicketResponse, 'HEADONI', ref, response, (failed) => vendorMeaning(failed, errorCodeOf, ERRORS));
    return mapHeadoniTicket(wire.ticket);
  },
});
