/**
 * The demo: the five vendor simulators on loopback with their sample desks, and a
 * configuration that wires the gateway to them with the simulators' own tokens.
 */
import { parseConfig } from './config/load.js';
import type { DeskGraphConfig } from './config/schema.js';
import { PROVIDERS, providerKey, type Provider } from './domain/provider.js';
import { graphiqlTour } from './server/graphiql-tour.js';
import { SIMULATORS } from './simulators/index.js';
import { SAMPLE_THREADS } from './simulators/sample-threads.js';
import type { VendorSimulator } from './simulators/simulator.js';

export interface Demo {
  config: DeskGraphConfig;
  urls: Record<Provider, string>;
  /** GraphiQL's default tab: one ticket from each provider. */
  defaultQuery: string;
  close(): Promise<void>;
}

/** The names a browser reaches a gateway on loopback by. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export interface DemoOptions {
  /**
   * Answer only on loopback host names (`server.allowedHosts`): the demo has no keys, so a page
   * elsewhere must not reach it by DNS rebinding. Off when the demo listens beyond loopback.
   * @default true
   */
  loopbackOnly?: boolean;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const simulators: VendorSimulator<unknown>[] = [];
  const urls = {} as Record<Provider, string>;
  const providers: Record<string, unknown> = {};
  try {
    for (const provider of PROVIDERS) {
      const entry = SIMULATORS[provider];
      const simulator = entry.create();
      simulators.push(simulator);
      urls[provider] = await simulator.listen(0, '127.0.0.1');
      providers[providerKey(provider)] = { baseUrl: urls[provider], token: entry.token, ...entry.demoSettings };
    }
  } catch (error) {
    await Promise.all(simulators.map((simulator) => simulator.close()));
    throw error;
  }
  const server = options.loopbackOnly === false ? {} : { allowedHosts: LOOPBACK_HOSTS };
  const config = parseConfig({ providers, server }, {}, 'demo configuration');
  return {
    config,
    urls,
    defaultQuery: tourQuery(),
    close: async () => {
      await Promise.all(simulators.map((simulator) => simulator.close()));
    },
  };
}

/** GraphiQL's default tab over the demo desks: the tour, with their sample tickets. */
export function tourQuery(): string {
  return graphiqlTour({ perDesk: SAMPLE_THREADS.length, ref: (provider, index) => SIMULATORS[provider].sampleRef(index) });
}
