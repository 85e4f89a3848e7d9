/**
 * A connector whose vendor answers every request with one canned HTTP answer (undici MockAgent,
 * no socket): for payloads and error bodies written exactly as a vendor's page shows them, which
 * the simulators do not all produce (a second rate-limit code, another desk's token, drift).
 */
import { MockAgent } from 'undici';
import type { Connector, ConnectorFactory, ConnectorSettings } from '../../src/connectors/connector.js';
import type { Provider } from '../../src/domain/provider.js';
import { HttpTransport } from '../../src/transport/http.js';
import { checkRef } from '../../src/domain/refs.js';

export const VENDOR_ORIGIN = 'https://vendor.example';

export interface CannedAnswer {
  status: number;
  /** JSON-serialised unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function connectorAnswering(
  provider: Provider,
  factory: ConnectorFactory,
  answer: CannedAnswer,
  settings: Partial<ConnectorSettings> = {},
): Connector {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  agent
    .get(VENDOR_ORIGIN)
    .intercept({ path: () => true, method: () => true })
    .reply(answer.status, body, { headers: { 'content-type': 'application/json', ...answer.headers } })
    .persist();
  const transport = new HttpTransport({ provider, baseUrl: VENDOR_ORIGIN, dispatcher: agent });
  return factory(transport, { token: 'test-token', ...settings });
}

/** Reads `ref` through a connector answering `answer`. */
export function readWith(provider: Provider, factory: ConnectorFactory, answer: CannedAnswer, ref: string, settings?: Partial<ConnectorSettings>) {
  return connectorAnswering(provider, factory, answer, settings).fetchTicket(checkRef(provider, ref), AbortSignal.timeout(5000));
}
