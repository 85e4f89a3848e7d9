/**
 * Tickiti client: `POST /api/v1/tickets/show` with `{ "ticket_number": ref }` and a bearer
 * token. A read that is a POST: the ref travels in the JSON body, not the path, so the body
 * is built with JSON.stringify and the path is fixed.
 */
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk } from '../responses.js';
import { mapTickitiTicket } from './map.js';
import { tickitiShowResponse } from './wire.js';

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
    // Statuses follow the page: 422 validation_failed (BAD_USER_INPUT), 404 not_found,
    // 401 unauthenticated, 403 forbidden, all as errorForStatus maps them. A 200 whose
    // envelope says `ok: false` fails the schema (UPSTREAM_BAD_RESPONSE).
    const { data } = expectOk(tickitiShowResponse, 'TICKITI', ref, response);
    return mapTickitiTicket(data, mapContext(transport, settings));
  },
});
