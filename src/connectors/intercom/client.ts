/**
 * Intercom client: `GET /tickets/{id}` with a bearer token and `Intercom-Version` (the
 * configured version, else 2.11). Ref = the ticket's `id` (digits); `ticket_id` is a display
 * number the API does not accept.
 */
import { DeskGraphError, ticketLabel } from '../../domain/errors.js';
import { encodePathSegment, type UpstreamResponse } from '../../transport/http.js';
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk } from '../responses.js';
import { mapIntercomTicket } from './map.js';
import { intercomErrorList, intercomTicket } from './wire.js';

export const DEFAULT_INTERCOM_VERSION = '2.11';

/**
 * Intercom quirk: a version it does not know is a 400 `intercom_version_invalid`, which the
 * generic mapping would report as a bad ref. It is the gateway's configuration that is wrong,
 * so it is reported as such (and names the version, never the token).
 */
function versionRejected(ref: string, version: string, response: UpstreamResponse): DeskGraphError | undefined {
  if (response.status !== 400) return undefined;
  const parsed = intercomErrorList.safeParse(response.json);
  if (!parsed.success || !parsed.data.errors.some((error) => error.code === 'intercom_version_invalid')) return undefined;
  return new DeskGraphError(
    'PROVIDER_NOT_CONFIGURED',
    `INTERCOM rejected the configured Intercom-Version ${JSON.stringify(version)} while reading ${ticketLabel('INTERCOM', ref)}; set providers.intercom.version to a version Intercom supports.`,
    { provider: 'INTERCOM', ref, upstreamStatus: response.status },
  );
}

export const createIntercomConnector: ConnectorFactory = (transport, settings): Connector => ({
  provider: 'INTERCOM',
  async fetchTicket(ref, signal) {
    const version = settings.version ?? DEFAULT_INTERCOM_VERSION;
    const response = await transport.send(
      {
        method: 'GET',
        path: `/tickets/${encodePathSegment(ref)}`,
        headers: {
          authorization: `Bearer ${settings.token}`,
          accept: 'application/json',
          'intercom-version': version,
        },
      },
      signal,
    );
    const rejected = versionRejected(ref, version, response);
    if (rejected) throw rejected;
    // Everything else follows the generic mapping: 401 unauthorized, 403, 404 ticket_not_found, 429, 5xx.
    return mapIntercomTicket(expectOk(intercomTicket, 'INTERCOM', ref, response), mapContext(transport, settings));
  },
});
