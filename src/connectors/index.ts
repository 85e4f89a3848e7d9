/** The connector of each provider. Adding a vendor means one folder and one line here. */
import type { Provider } from '../domain/provider.js';
import type { ConnectorFactory } from './connector.js';
import type { DownloaderFactory } from './downloads.js';
import { createHostUpDownloader } from './hostup/attachments.js';
import { createTickitiDownloader } from './tickiti/attachments.js';
import { createHeadoniConnector } from './headoni/client.js';
import { createHostupConnector } from './hostup/client.js';
import { createIntercomConnector } from './intercom/client.js';
import { createTeamBattlesConnector } from './teambattles/client.js';
import { createTickitiConnector } from './tickiti/client.js';

export const CONNECTORS: Record<Provider, ConnectorFactory> = {
  HEADONI: createHeadoniConnector,
  TICKITI: createTickitiConnector,
  INTERCOM: createIntercomConnector,
  HOSTUP: createHostupConnector,
  TEAMBATTLES: createTeamBattlesConnector,
};

/**
 * The attachment downloader of each provider whose vendor documents a download; the others'
 * attachment URLs are served as the vendor gives them.
 */
export const DOWNLOADERS: Partial<Record<Provider, DownloaderFactory>> = {
  TICKITI: createTickitiDownloader,
  HOSTUP: createHostUpDownloader,
};
