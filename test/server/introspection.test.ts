/**
 * Locked-down deployments: introspection and GraphiQL each off by configuration; the open
 * gateway's start-up warning.
 */
import { getIntrospectionQuery } from 'graphql';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS_CONFIG, startTestGateway, type TestGateway } from './fixtures.js';

async function page(gateway: TestGateway): Promise<{ status: number; html: string }> {
  const response = await request(gateway.url, { headers: { accept: 'text/html' }, reset: true });
  return { status: response.statusCode, html: await response.body.text() };
}

describe('by default', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ providers: PROVIDERS_CONFIG });
  });

  it('answers introspection and _service, and serves GraphiQL', async () => {
    expect((await gateway.query(getIntrospectionQuery())).json.errors).toBeUndefined();
    expect((await gateway.query('{ __type(name: "Ticket") { name } }')).json.data).toEqual({ __type: { name: 'Ticket' } });
    const sdl = await gateway.query('{ _service { sdl } }');
    expect((sdl.json.data?.['_service'] as { sdl: string }).sdl).toContain('type Ticket');
    expect((await page(gateway)).html).toContain('<title>DeskGraph</title>');
  });

  it('suggests names in errors', async () => {
    const response = await gateway.query('{ ticket(provider: HOSTUP, rf: "1") { ref } }');
    expect(response.json.errors?.[0]?.message).toBe('Unknown argument "rf" on field "Query.ticket". Did you mean "ref"?');
  });

  it('warns once at start that the gateway is open to anyone', () => {
    const warnings = gateway.logs.filter((line) => line['level'] === 40 && String(line['msg']).includes('answers anyone'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!['msg']).toBe(
      'no auth.keys are configured: this gateway answers anyone who can reach it, INTERNAL staff notes included. Configure auth.keys unless a trusted proxy in front checks callers.',
    );
  });
});

describe('with introspection.enabled: false', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ providers: PROVIDERS_CONFIG, introspection: { enabled: false } });
  });

  it.each([
    ['__schema', getIntrospectionQuery()],
    ['__type', '{ __type(name: "Ticket") { name fields { name } } }'],
    ['_service', '{ _service { sdl } }'],
  ])('refuses %s', async (field, query) => {
    const response = await gateway.query(query);
    expect(response.status).toBe(400);
    expect(response.json.data).toBeUndefined();
    expect(response.json.errors?.[0]?.message).toContain(field === '_service' ? '`_service`' : `"${field}"`);
    expect(response.text).not.toContain('type Ticket');
  });

  it('still serves queries, __typename and federation _entities', async () => {
    const response = await gateway.query(
      '{ __typename ticket(provider: HOSTUP, ref: "tkt_1") { ref } _entities(representations: [{ __typename: "Ticket", provider: HOSTUP, ref: "tkt_2" }]) { ... on Ticket { ref } } }',
    );
    expect(response.json).toEqual({ data: { __typename: 'Query', ticket: { ref: 'tkt_1' }, _entities: [{ ref: 'tkt_2' }] } });
  });

  it.each([
    ['field', '{ ticket(provider: HOSTUP, ref: "1") { subjct } }', 'Cannot query field "subjct" on type "Ticket".'],
    ['argument', '{ ticket(provider: HOSTUP, rf: "1") { ref } }', 'Unknown argument "rf" on field "Query.ticket".'],
    ['type', 'query($p: Provder!) { ticket(provider: $p, ref: "1") { ref } }', 'Unknown type "Provder".'],
    ['enum value', '{ ticket(provider: HOSTUPP, ref: "1") { ref } }', 'Value "HOSTUPP" does not exist in "Provider" enum.'],
  ])('gives no "Did you mean" for a misspelt %s', async (_what, query, message) => {
    const response = await gateway.query(query);
    expect(response.json.errors?.map((error) => error.message)).toContain(message);
    expect(response.text).not.toContain('Did you mean');
  });

  it('gives no suggestion for a misspelt enum value in variables either', async () => {
    const response = await gateway.query('query($p: Provider!) { ticket(provider: $p, ref: "1") { ref } }', { p: 'HOSTUPP' });
    expect(response.json.errors?.[0]?.message).toBe('Variable "$p" got invalid value "HOSTUPP"; Value "HOSTUPP" does not exist in "Provider" enum.');
  });
});

describe('with graphiql.enabled: false', () => {
  it('serves no GraphiQL page, while GraphQL over POST still works', async () => {
    const gateway = await startTestGateway({ providers: PROVIDERS_CONFIG, graphiql: { enabled: false } });
    const { status, html } = await page(gateway);
    expect(status).not.toBe(200);
    expect(html).not.toContain('<title>');
    expect((await gateway.query('{ providers { provider } }')).status).toBe(200);
  });
});
