/**
 * Tickiti client: `POST /api/v1/tickets/show` with `{ "ticket_number": ref }` and a bearer
 * token. A read that is a POST: the ref travels in the JSON body, not the path, so the body
 * is built with JSON.stringify and the path is fixed.
 */
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk, vendorMeaning, type VendorErrorMeaning } from '../responses.js';
import { mapTickitiTicket } from './map.js';
import { tickitiError, tickitiShowResponse } from './wire.js';

/**
 * The codes of the Show ticket page's "Error responses" (https://docs.tickiti.com/topic/show_ticket_api/).
 * They agree with their statuses; 403's cause is the page's list of reasons.
 */
const ERRORS: Readonly<Record<string, VendorErrorMeaning>> = {
  validation_failed: { code: 'BAD_USER_INPUT' },
  not_found: { code: 'NOT_FOUND' },
  unauthenticated: { code: 'UPSTREAM_UNAUTHORIZED' },
  forbidden: {
    code: 'UPSTREAM_FORBIDDEN',
    cause:
      "Tickiti refuses a token without the tickets:read ability, one whose user cannot see the ticket's queue, or one not owned by a staff account.",
  },
};

const errorCodeOf = (body: unknown) => {
  const parsed = tickitiError.safeParse(body);
  return parsed.success ? parsed.data : undefined;
};

export const createTickitiConnector: ConnectorFactory = (transport, settings): Connector => ({
  provider: 'TICKITI',
  async fetchTicket(ref, signal) {
    const response = await transport.send(
      {
        method: 'POST',
        path: '/api/v1/tickets/show',
        headers: {
          authorization: `Bearer ${settings.token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        // A string, as in the page's example, though the number comes back as an integer.
        body: JSON.stringify({ ticket_number: ref }),
      },
      signal,
    );
    // A 200 whose envelope says `ok: false` fails the schema (UPSTREAM_BAD_RESPONSE).
    const { data } = expectOk(tickitiShowResponse, 'TICKITI', ref, response, (failed) => vendorMeaning(failed, errorCodeOf, ERRORS));
    return mapTickitiTicket(data, mapContext(transport, settings));
  },
});
