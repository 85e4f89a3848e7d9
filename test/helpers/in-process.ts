/**
 * The vendor simulators and a gateway in this process, over real loopback HTTP: for tests that
 * move the clock or read the gateway's own objects. (test/helpers/processes.ts runs the built
 * binaries instead.) `useDesksGateway` is the setup most such files share, hooks included.
 */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { PROVIDERS, providerKey, type Provider } from '../../src/domain/provider.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { createLogger, type Logger } from '../../src/telemetry/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import type { SimulatorControls, VendorSimulator } from '../../src/simulators/simulator.js';

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

/** What `settings` adds to each provider's configuration entry. */
export type ProviderSettings = Partial<Record<Provider, Record<string, unknown>>>;

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
  settings: ProviderSettings = {},
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

export interface DesksGatewayOptions {
  /**
   * Fakes `Date` only (sockets and timers stay real) from this instant before each test, so the
   * clock stands still unless the test moves it (`later`). @default undefined: the real clock
   */
  fakeDate?: string;
  /** Makes each started gateway's logger, e.g. `() => (log = captureLog()).logger`. @default a silent logger */
  logger?: () => Logger;
}

export interface DesksGateway {
  /** The simulators, started before the file's own `beforeAll` hooks run. */
  readonly desks: Desks;
  /**
   * A gateway over every desk (see `startGatewayOver`); gives its /graphql URL. Started in a test
   * (or `beforeEach`), it is closed after that test; started in `beforeAll`, after the file. A
   * test that starts a second one closes the first itself (`close`).
   */
  start(settings?: ProviderSettings, extra?: Record<string, unknown>): Promise<string>;
  /** The gateway last started: the test's own, else the file's. */
  gateway(): Gateway;
  /** Closes the test's gateway now (a drain under test, a restart) so that `afterEach` leaves it be. @default graceMs 0 */
  close(graceMs?: number): Promise<void>;
  /** `postQuery`'s body. */
  query(url: string, document: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer['body']>;
  /** Requests this desk saw since the test began. */
  requests(provider: Provider): number;
  /** Requests every desk together saw since the test began. */
  vendorRequests(): number;
  controls(provider: Provider, changes: Partial<SimulatorControls>): void;
  /** Moves the faked clock on (`fakeDate`). */
  later(seconds: number): void;
}

/**
 * Registers the hooks an in-process e2e file repeats: the desks started once for the file, reset
 * (and the clock faked, with `fakeDate`) before each test, and the gateway a test started closed
 * after it. Call it at the top of the file, before the file's own hooks, which then see `desks`.
 */
export function useDesksGateway(options: DesksGatewayOptions = {}): DesksGateway {
  const makeLogger = options.logger ?? (() => createLogger('silent'));
  let desks: Desks | undefined;
  let fileGateway: Gateway | undefined;
  let testGateway: Gateway | undefined;
  let inTest = false;

  beforeAll(async () => {
    desks = await startDesks();
  });
  afterAll(async () => {
    await fileGateway?.close(0);
    await desks?.close();
  });
  beforeEach(() => {
    inTest = true;
    if (options.fakeDate !== undefined) vi.useFakeTimers({ toFake: ['Date'], now: new Date(options.fakeDate) });
    for (const provider of PROVIDERS) started().simulators[provider].reset();
  });
  afterEach(async () => {
    inTest = false;
    await testGateway?.close(0);
    testGateway = undefined;
    if (options.fakeDate !== undefined) vi.useRealTimers();
  });

  const started = (): Desks => {
    if (desks === undefined) throw new Error('useDesksGateway: the desks start in beforeAll');
    return desks;
  };
  return {
    get desks() {
      return started();
    },
    async start(settings = {}, extra = {}) {
      const { gateway, url } = await startGatewayOver(started(), makeLogger(), settings, extra);
      if (inTest) testGateway = gateway;
      else fileGateway = gateway;
      return url;
    },
    gateway() {
      const gateway = testGateway ?? fileGateway;
      if (gateway === undefined) throw new Error('useDesksGateway: no gateway started');
      return gateway;
    },
    async close(graceMs = 0) {
      const gateway = testGateway;
      testGateway = undefined;
      await gateway?.close(graceMs);
    },
    query: async (url, document, variables = {}, headers = {}) => (await postQuery(url, document, variables, headers)).body,
    requests: (provider) => started().simulators[provider].stats.requests,
    vendorRequests: () => PROVIDERS.reduce((sum, provider) => sum + started().simulators[provider].stats.requests, 0),
    controls: (provider, changes) => started().simulators[provider].setControls(changes),
    later: (seconds) => vi.setSystemTime(Date.now() + seconds * 1000),
  };
}
