/** Starts a vendor simulator on port 0 and a connector pointed at it, over a real undici Agent. */
import { Agent } from 'undici';
import { afterAll, afterEach, expect, it } from 'vitest';
import type { Connector, ConnectorFactory, ConnectorSettings } from '../../src/connectors/connector.js';
import { HttpTransport } from '../../src/transport/http.js';
import type { VendorSimulator } from '../../src/simulators/simulator.js';
import { checkRef } from '../../src/domain/refs.js';

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
      fetch: (ref) => connector.fetchTicket(checkRef(simulator.spec.provider, ref), AbortSignal.timeout(5000)),
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

export interface VendorFailureCases {
  /** A ref of a sample ticket the simulator holds. */
  ref: string;
  /** A well-formed ref the simulator does not hold. */
  unknownRef: string;
  /** A token the simulator rejects. */
  wrongToken: string;
  /** The HTTP statuses the vendor's page documents, with the code each must map to. */
  statuses: ReadonlyArray<readonly [number, string]>;
  /** What a payload without its first required field is reported as (`path: reason.`). */
  missingField: string;
}

/**
 * The failures every connector answers the same way (CONTRACT §3), against its simulator: the
 * vendor's documented statuses, an unknown ticket, a rejected token (never repeated), and every
 * malformed body. Call inside the connector's describe block.
 */
export function itMapsVendorFailures<T>(harness: () => Promise<Harness<T>>, cases: VendorFailureCases): void {
  const { ref, unknownRef, wrongToken, statuses, missingField } = cases;
  const provider = async () => (await harness()).simulator.spec.provider;

  it.each(statuses)('maps HTTP %i to %s', async (status, code) => {
    const h = await harness();
    h.simulator.setControls({ failStatus: status });
    expect((await failure(h.fetch(ref))).code).toBe(code);
  });

  it('is NOT_FOUND for an unknown ticket', async () => {
    const h = await harness();
    expect(await failure(h.fetch(unknownRef))).toEqual({
      code: 'NOT_FOUND',
      message: `${await provider()} ticket "${unknownRef}" does not exist or is not visible to DeskGraph.`,
    });
  });

  it('is UPSTREAM_UNAUTHORIZED with a wrong token, and never repeats the token', async () => {
    const h = await harness();
    const result = await failure(h.connectorWith({ token: wrongToken }).fetchTicket(checkRef(h.simulator.spec.provider, ref), AbortSignal.timeout(5000)));
    expect(result.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(result.message).not.toContain(wrongToken);
  });

  it.each([
    ['not-json', 'with a body that is not JSON.'],
    ['missing-field', `with a payload its API does not promise: ${missingField}`],
    ['truncated', 'with a body that is not JSON.'],
  ] as const)('is UPSTREAM_BAD_RESPONSE for a %s body', async (malformed, tail) => {
    const h = await harness();
    h.simulator.setControls({ malformed });
    const name = await provider();
    expect(await failure(h.fetch(ref))).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', message: `${name} answered ${name} ticket "${ref}" ${tail}` });
  });

  it('is UPSTREAM_BAD_RESPONSE for an oversize body', async () => {
    const h = await harness();
    h.simulator.setControls({ malformed: 'oversize' });
    expect(await failure(h.fetch(ref))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: `${await provider()} answered with a body larger than 1048576 bytes.`,
    });
  });
}
