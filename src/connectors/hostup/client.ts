/**
 * HostUp client: `GET /api/v2/support/tickets/{id}` with a bearer token. The ref is the
 * `tkt_…` id or, during HostUp's migration, the numeric ticket number; both go in the path.
 * Errors are RFC 7807 problem documents whose statuses carry the meaning, so the generic
 * mapping applies (429 brings `Retry-After` and `X-RateLimit-*`).
 */
import { encodePathSegment } from '../../transport/http.js';
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk } from '../responses.js';
import { mapHostUpTicket } from './map.js';
import { hostUpTicket } from './wire.js';

export const createHostupConnector: ConnectorFactory = (transport, settings): Connector => ({
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
    return mapHostUpTicket(expectOk(hostUpTicket, 'HOSTUP', ref, response), mapContext(transport, settings));
  },
});
