/** The connector of each provider. Adding a vendor means one folder and one line here. */
import { DeskGraphError, isDeskGraphError, ticketLabel } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import type { Connector, ConnectorFactory } from './connector.js';
import { createHeadoniConnector } from './headoni/client.js';
import { createHostupConnector } from './hostup/client.js';
import { createIntercomConnector } from './intercom/client.js';
import { createTeamBattlesConnector } from './teambattles/client.js';
import { createTickitiConnector } from './tickiti/client.js';

/**
 * A vendor answer the wire schema let through but the mapper could not map (a value no test
 * thought of) is still the vendor's bad answer, never INTERNAL_SERVER_ERROR: the read fails as
 * UPSTREAM_BAD_RESPONSE, which a stale copy may cover.
 */
function mappedSafely(factory: ConnectorFactory): ConnectorFactory {
  return (transport, settings): Connector => {
    const connector = factory(transport, settings);
    return {
      provider: connector.provider,
      async fetchTicket(ref, signal) {
        try {
          return await connector.fetchTicket(ref, signal);
        } catch (error) {
          if (isDeskGraphError(error) || signal.aborted) throw error;
          throw new DeskGraphError(
            'UPSTREAM_BAD_RESPONSE',
            `${connector.provider} answered ${ticketLabel(connector.provider, ref)} with a payload DeskGraph could not map.`,
            { provider: connector.provider, ref, cause: error },
          );
        }
      },
    };
  };
}

export const CONNECTORS: Record<Provider, ConnectorFactory> = {
  HEADONI: mappedSafely(createHeadoniConnector),
  TICKITI: mappedSafely(createTickitiConnector),
  INTERCOM: mappedSafely(createIntercomConnector),
  HOSTUP: mappedSafely(createHostupConnector),
  TEAMBATTLES: mappedSafely(createTeamBattlesConnector),
};
