/**
 * Intercom client: `GET /tickets/{id}` with a bearer token and `Intercom-Version` (the
 * configured version, else versions.ts's default). Ref = the ticket's `id` (digits);
 * `ticket_id` is a display number the API does not accept.
 *
 * Errors are Intercom's `error.list` (401 `unauthorized`, 403 `api_plan_restricted`, 404
 * `ticket_not_found`, 429 `rate_limit_exceeded`, 5xx) and follow the generic mapping; its
 * rate-limit signal is `X-RateLimit-Limit/Remaining/Reset` (Reset in epoch seconds, no
 * `Retry-After`), which the provider gate reads from every answer.
 */
import { DeskGraphError, ticketLabel } from '../../domain/errors.js';
import { encodePathSegment, type UpstreamResponse } from '../../transport/http.js';
import { mapContext, type Connector, type ConnectorFactory } from '../connector.js';
import { expectOk } from '../responses.js';
import { mapIntercomTicket } from './map.js';
import { DEFAULT_INTERCOM_VERSION, INTERCOM_TICKET_VERSIONS } from './versions.js';
import { intercomErrorList, intercomTicket } from './wire.js';

/**
 * Intercom quirk: a version it does not know, or one without the Tickets API (before 2.9), is a
 * 400 `intercom_version_invalid`, which the generic mapping would report as a bad ref. It is the
 * gateway's configuration that is wrong, so it is reported as such (naming the version, never
 * the token, and never Intercom's own message).
 */
function versionRejected(ref: string, version: string, response: UpstreamResponse): DeskGraphError | undefined {
  if (response.status !== 400) return undefined;
  const parsed = intercomErrorList.safeParse(response.json);
  if (!parsed.success || !parsed.data.errors.some((error) => error.code === 'intercom_version_invalid')) return undefined;
  return new DeskGraphError(
    'PROVIDER_NOT_CONFIGURED',
    `INTERCOM rejected the configured Intercom-Version ${JSON.stringify(version)} while reading ${ticketLabel('INTERCOM', ref)}; set providers.intercom.version to one of ${INTERCOM_TICKET_VERSIONS.join(', ')}.`,
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
