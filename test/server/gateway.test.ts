/**
 * The configuration file's `auth`, `limits`, `introspection` and `graphiql` reach the running
 * gateway (createGateway over a real vendor simulator): a locked-down file, end to end.
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import type { VendorSimulator } from '../../src/simulators/simulator.js';

const KEY = 'locked-down-key-0123456789';
const HOSTUP_REF = SIMULATORS.HOSTUP.sampleRef(0);

let simulator: VendorSimulator<unknown>;
let gateway: Gateway;
const dispatcher = new Agent();

beforeAll(async () => {
  simulator = SIMULATORS.HOSTUP.create();
  const baseUrl = await simulator.listen();
  const config = parseConfig({
    providers: { hostup: { baseUrl, token: SIMULATORS.HOSTUP.token } },
    auth: { keys: [{ name: 'dashboard', tokenSha256: createHash('sha256').update(KEY).digest('hex'), providers: ['HOSTUP'] }] },
    limits: { aliases: 2, refs: 3 },
    introspection: { enabled: false },
    graphiql: { enabled: false },
  });
  gateway = createGateway({ config, logger: createLogger('silent'), dispatcher });
  await gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close(0);
  await simulator?.close();
  await dispatcher.close();
});

async function graphql(query: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) {
  const response = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query }),
    reset: true,
  });
  return { status: response.statusCode, body: (await response.body.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe('a locked-down configuration', () => {
  it('asks for a key', async () => {
    const response = await graphql(`{ ticket(provider: HOSTUP, ref: "${HOSTUP_REF}") { ref } }`, {});
    expect([response.status, response.body.errors?.[0]?.extensions?.['code']]).toEqual([401, 'UNAUTHENTICATED']);
    expect(simulator.stats.requests).toBe(0);
  });

  it('serves the key its provider, and FORBIDDEN for the others', async () => {
    const response = await graphql(`{ hostup: ticket(provider: HOSTUP, ref: "${HOSTUP_REF}") { ref } headoni: ticket(provider: HEADONI, ref: "1") { ref } }`);
    expect(response.body.data).toEqual({ hostup: { ref: HOSTUP_REF }, headoni: null });
    expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(simulator.stats.requests).toBe(1);
  });

  it('applies its limits and refuses introspection', async () => {
    const aliases = await graphql('{ a: providers { provider } b: providers { provider } c: providers { provider } }');
    expect(aliases.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 'aliases' });
    const refs = await graphql('{ tickets(refs: [{ provider: HOSTUP, ref: "1" }, { provider: HOSTUP, ref: "2" }, { provider: HOSTUP, ref: "3" }, { provider: HOSTUP, ref: "4" }]) { ref } }');
    expect(refs.body.errors?.[0]?.message).toBe('tickets accepts at most 3 refs (limits.refs); 4 were given, so this request reads no ticket.');
    const schema = await graphql('{ __schema { types { name } } }');
    expect(schema.status).toBe(400);
    expect(schema.body.errors?.[0]?.message).toContain('introspection');
    expect(simulator.stats.requests).toBe(1);
  });

  it('serves no GraphiQL', async () => {
    // With GraphiQL on, a browser's GET gets the page, key or not. Off, a GET that accepts only
    // HTML is a GraphQL request like any other: 401 without a key, and 406 with one (yoga has
    // nothing to answer in HTML).
    const anonymous = await request(gateway.url, { headers: { accept: 'text/html' }, reset: true });
    expect(anonymous.statusCode).toBe(401);
    expect((await anonymous.body.json()) as unknown).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const withKey = await request(gateway.url, { headers: { accept: 'text/html', authorization: `Bearer ${KEY}` }, reset: true });
    expect(withKey.statusCode).toBe(406);
    expect(await withKey.body.text()).toBe('');
  });
});
