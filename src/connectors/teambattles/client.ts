/**
 * TeamBattles client: `GET /api/v1/tickets/{ticketId}` with a bearer token (`tb_…`).
 * A ticket the key owner does not own reads as `404 TICKET_NOT_FOUND`, exactly like an unknown
 * id, so both are NOT_FOUND (CONTRACT §3: "or is not visible to the gateway's key"); a key
 * without `tickets.read:read` is 403. errorForStatus maps both as they are.
 */
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk } from '../responses.js';
import { encodePathSegment } from '../../transport/http.js';
import { mapTeamBattlesTicket } from './map.js';
import { teamBattlesTicket } from './wire.js';

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
    return mapTeamBattlesTicket(expectOk(teamBattlesTicket, 'TEAMBATTLES', ref, response), mapContext(transport, settings));
  },
});
