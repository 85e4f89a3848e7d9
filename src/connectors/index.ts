/** The connector of each provider. Adding a vendor means one folder and one line here. */
import type { Provider } from '../domain/provider.js';
import type { ConnectorFactory } from './connector.js';
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
