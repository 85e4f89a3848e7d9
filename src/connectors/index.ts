/** The connector of each provider. Adding a vendor means one folder and one line here. */
import { DeskGraphError, isDeskGraphError, ticketLabel } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import type { Connector, ConnectorFactory } from './connector.js';
import type { DownloaderFactory } from './downloads.js';
import { createHostUpDownloader } from './hostup/attachments.js';
import { createTickitiDownloader } from './tickiti/attachments.js';
import { createHeadoniConnector } from './headoni/client.js';
import { createHostUpConnector } from './hostup/client.js';
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
  HOSTUP: mappedSafely(createHostUpConnector),
  TEAMBATTLES: mappedSafely(createTeamBattlesConnector),
};

/**
 * The attachment downloader of each provider whose vendor documents a download; the others'
 * attachment URLs are served as the vendor gives them.
 */
export const DOWNLOADERS: Partial<Record<Provider, DownloaderFactory>> = {
  TICKITI: createTickitiDownloader,
  HOSTUP: createHostUpDownloader,
};
