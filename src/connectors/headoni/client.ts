/** Headoni client: `GET /api/v1/tickets/{idOrNumber}` with a bearer token. */
import type { Connector, ConnectorFactory } from '../connector.js';
import { expectOk } from '../responses.js';
import { encodePathSegment } from '../../upstream/http.js';
import { mapHeadoniTicket } from './map.js';
import { headoniTicketResponse } from './wire.js';

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
    return mapHeadoniTicket(expectOk(headoniTicketResponse, 'HEADONI', ref, response).ticket, settings.sanitize);
  },
});
