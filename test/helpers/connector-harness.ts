/** Starts a vendor simulator on port 0 and a connector pointed at it, over a real undici Agent. */
import { Agent } from 'undici';
import { afterAll, afterEach } from 'vitest';
import type { Connector, ConnectorFactory, ConnectorSettings } from '../../src/connectors/connector.js';
import { HttpTransport } from '../../src/upstream/http.js';
import type { VendorSimulator } from '../../src/simulators/simulator.js';

export interface Harness<T> {
  simulator: VendorSimulator<T>;
  connector: Connector;
  /** A connector with another token, for 401 tests. */
  connectorWith(settings: Partial<ConnectorSettings>): Connector;
  fetch(ref: string): ReturnType<Connector['fetchTicket']>;
}

/**
 * Call at the top of a describe block: starts the simulator before the first use, resets its
 * controls and counts after each test, closes it after all.
 */
export function useConnectorHarness<T>(
  createSimulator: () => VendorSimulator<T>,
  factory: ConnectorFactory,
  settings: Omit<ConnectorSettings, 'token'> = {},
): () => Promise<Harness<T>> {
  let harness: Harness<T> | undefined;
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });

  afterEach(() => harness?.simulator.reset());
  afterAll(async () => {
    await harness?.simulator.close();
    await dispatcher.close();
  });

  return async () => {
    if (harness) return harness;
    const simulator = createSimulator();
    const baseUrl = await simulator.listen();
    const transport = new HttpTransport({ provider: simulator.spec.provider, baseUrl, dispatcher, maxBodyBytes: 1024 * 1024 });
    const connectorWith = (overrides: Partial<ConnectorSettings>) =>
      factory(transport, { token: simulator.spec.token, ...settings, ...overrides });
    const connector = connectorWith({});
    harness = {
      simulator,
      connector,
      connectorWith,
      fetch: (ref) => connector.fetchTicket(ref, AbortSignal.timeout(5000)),
    };
    return harness;
  };
}

/** Awaits a promise expected to reject with a DeskGraphError and returns its code and message. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  throw new Error('expected the call to fail');
}
