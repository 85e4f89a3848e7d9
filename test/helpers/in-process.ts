/**
 * The vendor simulators and a gateway in this process, over real loopback HTTP: for tests that
 * move the clock or read the gateway's own objects. (test/helpers/processes.ts runs the built
 * binaries instead.)
 */
import { request } from 'undici';
import { parseConfig } from '../../src/config/load.js';
import { PROVIDERS, providerKey, type Provider } from '../../src/domain/provider.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import type { Logger } from '../../src/server/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import type { VendorSimulator } from '../../src/simulators/simulator.js';

export interface Desks {
  simulators: Record<Provider, VendorSimulator<unknown>>;
  urls: Record<Provider, string>;
  close(): Promise<void>;
}

export async function startDesks(): Promise<Desks> {
  const simulators = {} as Record<Provider, VendorSimulator<unknown>>;
  const urls = {} as Record<Provider, string>;
  for (const provider of PROVIDERS) {
    simulators[provider] = SIMULATORS[provider].create();
    urls[provider] = await simulators[provider].listen(0, '127.0.0.1');
  }
  return { simulators, urls, close: async () => void (await Promise.all(PROVIDERS.map((p) => simulators[p].close()))) };
}

export interface GatewayOverDesks {
  gateway: Gateway;
  url: string;
}

/**
 * A gateway over every desk, listening on loopback. `settings` adds to a provider's entry;
 * `extra` adds top-level configuration (auth, limits…).
 */
export async function startGatewayOver(
  desks: Desks,
  logger: Logger,
  settings: Partial<Record<Provider, Record<string, unknown>>> = {},
  extra: Record<string, unknown> = {},
): Promise<GatewayOverDesks> {
  const providers: Record<string, unknown> = {};
  for (const provider of PROVIDERS) {
    const entry = SIMULATORS[provider];
    providers[providerKey(provider)] = { baseUrl: desks.urls[provider], token: entry.token, ...entry.demoSettings, ...settings[provider] };
  }
  const gateway = createGateway({ config: parseConfig({ providers, ...extra }, {}, 'test configuration'), logger });
  return { gateway, url: await gateway.listen(0, '127.0.0.1') };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

export async function postQuery(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Answer['body'] };
}

export const sampleRef = (provider: Provider, index: number): string => SIMULATORS[provider].sampleRef(index);
