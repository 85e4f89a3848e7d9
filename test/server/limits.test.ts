/**
 * Hostile queries (CONTRACT §6): each limit at its default answers at once, before any vendor is
 * asked; the largest query within each limit is served.
 */
import { Readable } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { request } from 'undici';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ticketId } from '../../src/domain/global-id.js';
import { PROVIDERS } from '../../src/domain/provider.js';
import { PROVIDERS_CONFIG, startTestGateway, type TestGateway } from './fixtures.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ providers: PROVIDERS_CONFIG });
});
beforeEach(() => {
  for (const provider of PROVIDERS) gateway.connectors[provider].calls.length = 0;
});

/** `{ __schema { types { fields { type { ofType … { name } } } } } }`, `depth` fields deep. */
function introspectionOfDepth(depth: number): string {
  let selection = 'name';
  for (let i = 0; i < depth - 5; i++) selection = `ofType { ${selection} }`;
  return `{ __schema { types { fields { type { ${selection} } } } } }`;
}

function tickets(count: number, prefix = 'tkt_'): string {
  return Array.from({ length: count }, (_, i) => `{ provider: HOSTUP, ref: "${prefix}${i}" }`).join(' ');
}

function limitErrors(response: { json: { errors?: { extensions?: Record<string, unknown> }[] } }) {
  return (response.json.errors ?? []).map((error) => [error.extensions?.['code'], error.extensions?.['limit']]);
}

describe('depth (15, introspection counted)', () => {
  it("passes GraphiQL's own introspection query, with every option GraphiQL may ask for", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    const response = await gateway.query(query);
    expect(response.json.errors).toBeUndefined();
    expect((response.json.data?.['__schema'] as { queryType: { name: string } }).queryType.name).toBe('Query');
  });

  it('serves 15 levels and refuses 16 with BAD_USER_INPUT', async () => {
    expect((await gateway.query(introspectionOfDepth(15))).json.errors).toBeUndefined();
    const response = await gateway.query(introspectionOfDepth(16));
    expect(response.status).toBe(400);
    expect(response.json.errors?.[0]).toEqual({
      message: 'Query depth limit of 15 exceeded, found 16. (limits.depth)',
      extensions: { code: 'BAD_USER_INPUT', limit: 'depth' },
    });
  });

  it('counts fragments as the fields they spread, so they cannot hide depth', async () => {
    const query = `{ __schema { types { ...F } } } fragment F on __Type { fields { type { ...G } } }
      fragment G on __Type { ${introspectionOfDepth(16).replace(/^\{ __schema \{ types \{ fields \{ type \{ /, '').replace(/ \} \} \} \} \}$/, '')} }`;
    expect(limitErrors(await gateway.query(query))).toContainEqual(['BAD_USER_INPUT', 'depth']);
  });
});

describe('aliases (50)', () => {
  const aliased = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `a${i}: ticket(provider: HOSTUP, ref: "tkt_a${i}") { ref }`).join(' ')} }`;

  it('serves 50 aliased tickets', async () => {
    const response = await gateway.query(aliased(50));
    expect(response.json.errors).toBeUndefined();
    expect(gateway.upstreamCalls()).toBe(50);
  });

  it('refuses 51 before any vendor is asked', async () => {
    const response = await gateway.query(aliased(51));
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      { message: 'Aliases limit of 50 exceeded, found 51. (limits.aliases)', extensions: { code: 'BAD_USER_INPUT', limit: 'aliases' } },
    ]);
    expect(gateway.upstreamCalls()).toBe(0);
  });
});

describe('tokens (5000)', () => {
  it('refuses a document of more than 5000 tokens while parsing, before any vendor is asked', async () => {
    // `{ provider: HOSTUP, ref: "tkt_0" }` is 7 tokens: 100 refs are ~700, a query of 720 refs > 5000.
    const response = await gateway.query(`{ a: tickets(refs: [${tickets(360)}]) { ref } b: tickets(refs: [${tickets(360, 'tkt_b')}]) { ref } }`);
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      { message: 'Token limit of 5000 exceeded. (limits.tokens)', extensions: { code: 'BAD_USER_INPUT', limit: 'tokens' } },
    ]);
    expect(gateway.upstreamCalls()).toBe(0);
  });
});

describe('directives (50)', () => {
  it('refuses 51 directives', async () => {
    const fields = Array.from({ length: 51 }, () => 'provider @include(if: true)').join(' ');
    const response = await gateway.query(`{ providers { ${fields} } }`);
    expect(limitErrors(response)).toEqual([['BAD_USER_INPUT', 'directives']]);
  });
});

describe('request body (1 MiB)', () => {
  /** A JSON body of exactly `size` bytes. */
  function bodyOf(size: number): string {
    const empty = JSON.stringify({ query: '{ providers { provider } }', variables: { pad: '' } });
    return JSON.stringify({ query: '{ providers { provider } }', variables: { pad: 'x'.repeat(size - empty.length) } });
  }

  it('serves a body of exactly 1 MiB', async () => {
    const body = bodyOf(1_048_576);
    expect(Buffer.byteLength(body)).toBe(1_048_576);
    const response = await gateway.post(body);
    expect([response.status, response.json.errors]).toEqual([200, undefined]);
  });

  it('is HTTP 413 for a larger Content-Length, without reading the body', async () => {
    const response = await gateway.post(bodyOf(1_048_577));
    expect(response.status).toBe(413);
    expect(response.json.errors).toEqual([
      {
        message: 'The request body is larger than this gateway accepts (1048576 bytes, limits.bodyBytes).',
        extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', limit: 'bodyBytes' },
      },
    ]);
  });

  it('is HTTP 413 for a chunked body once it passes the limit', async () => {
    // No Content-Length: 2 MB sent chunked, as a stream.
    const chunks = Readable.from(Array.from({ length: 20 }, () => 'x'.repeat(100_000)));
    const response = await request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, reset: true });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toMatchObject({ errors: [{ extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
  });
});

describe('refs per tickets (100)', () => {
  it('serves 100 and refuses 101 before any vendor is asked', async () => {
    const ok = await gateway.query(`{ tickets(refs: [${tickets(100)}]) { ref } }`);
    expect([ok.json.errors, gateway.upstreamCalls()]).toEqual([undefined, 100]);
    gateway.connectors.HOSTUP.calls.length = 0;
    const over = await gateway.query(`{ tickets(refs: [${tickets(101)}]) { ref } }`);
    expect(over.json.errors).toEqual([
      expect.objectContaining({ message: 'tickets accepts at most 100 refs (limits.refs); 101 were given, so this request reads no ticket.', extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    expect(gateway.upstreamCalls()).toBe(0);
  });

  it('reads nothing for sibling fields either when one tickets list is over the limit', async () => {
    const response = await gateway.query(
      `{ one: ticket(provider: TICKITI, ref: "1") { ref } node(id: "${ticketId('HEADONI', '2')}") { id } tickets(refs: [${tickets(101)}]) { ref } }`,
    );
    expect(response.json.data).toBeNull();
    expect(gateway.upstreamCalls()).toBe(0);
    expect(response.json.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });
});

describe('reads per request (200)', () => {
  // Room for 300 tickets in one answer (limits.ticketsPerRequest), so this limit is the one met.
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ providers: PROVIDERS_CONFIG, limits: { ticketsPerRequest: 1000 } });
  });
  beforeEach(() => {
    for (const provider of PROVIDERS) gateway.connectors[provider].calls.length = 0;
  });
  const REFS = 'query($a: [TicketRefInput!]!, $b: [TicketRefInput!]!, $c: [TicketRefInput!]!) { a: tickets(refs: $a) { ref } b: tickets(refs: $b) { ref } c: tickets(refs: $c) { ref } }';
  const refs = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => ({ provider: 'HOSTUP', ref: `tkt_${prefix}${i}` }));

  it('refuses a request whose fields ask for more than 200 distinct tickets, reading none of them', async () => {
    // Variables carry no tokens: 3 × 100 refs pass every document limit and meet this one.
    const response = await gateway.query(REFS, { a: refs('a', 100), b: refs('b', 100), c: refs('c', 100) });
    expect(response.status).toBe(200);
    expect(gateway.upstreamCalls()).toBe(0);
    expect(response.json.errors).toHaveLength(300);
    expect(response.json.errors?.[0]).toMatchObject({
      message: 'This request asks for 300 tickets; one request may read at most 200 (limits.upstreamCallsPerRequest). HOSTUP ticket "tkt_a0" was not read.',
      path: ['a', 0],
      extensions: { code: 'BAD_USER_INPUT', provider: 'HOSTUP', ref: 'tkt_a0' },
    });
  });

  it('counts distinct tickets: repeats of one ref and invalid refs cost nothing', async () => {
    const repeated = refs('r', 100);
    const invalid = Array.from({ length: 100 }, (_, i) => ({ provider: 'HOSTUP', ref: `bad ref ${i}` }));
    const response = await gateway.query(REFS, { a: repeated, b: repeated, c: [...refs('r', 50), ...invalid.slice(0, 50)] });
    expect(gateway.upstreamCalls()).toBe(100);
    expect(new Set(response.json.errors?.map((error) => error.extensions?.['code']))).toEqual(new Set(['BAD_USER_INPUT']));
    expect(response.json.errors).toHaveLength(50);
    expect((response.json.data?.['a'] as unknown[]).every((ticket) => ticket !== null)).toBe(true);
  });
});

describe('configured limits', () => {
  it('apply their configured values', async () => {
    const tight = await startTestGateway({
      providers: PROVIDERS_CONFIG,
      limits: { depth: 3, aliases: 1, tokens: 60, refs: 2, upstreamCallsPerRequest: 3, bodyBytes: 400 },
    });
    expect(limitErrors(await tight.query('{ providers { health { circuit } } }'))).toEqual([]);
    expect(limitErrors(await tight.query('{ __schema { types { fields { name } } } }'))).toEqual([['BAD_USER_INPUT', 'depth']]);
    expect(limitErrors(await tight.query('{ a: providers { provider } b: providers { provider } }'))).toEqual([['BAD_USER_INPUT', 'aliases']]);
    expect(limitErrors(await tight.query(`{ tickets(refs: [${tickets(9)}]) { ref } }`))).toEqual([['BAD_USER_INPUT', 'tokens']]);
    const refs = await tight.query('query($r: [TicketRefInput!]!) { tickets(refs: $r) { ref } }', {
      r: [{ provider: 'HOSTUP', ref: 'tkt_1' }, { provider: 'HOSTUP', ref: 'tkt_2' }, { provider: 'HOSTUP', ref: 'tkt_3' }],
    });
    expect(refs.json.errors?.[0]?.message).toBe('tickets accepts at most 2 refs (limits.refs); 3 were given, so this request reads no ticket.');
    const reads = await tight.query(
      'query($r: [TicketRefInput!]!) { a: tickets(refs: $r) { ref } }',
      { r: [{ provider: 'HOSTUP', ref: 'tkt_1' }, { provider: 'HOSTUP', ref: 'tkt_2' }] },
    );
    expect(reads.json.errors).toBeUndefined();
    // Two refs, one ticket and one node: four distinct reads, one over the budget of 3.
    const over = await tight.query(
      `query($r: [TicketRefInput!]!) { tickets(refs: $r) { ref } ticket(provider: TICKITI, ref: "1") { ref } node(id: "${ticketId('HEADONI', '2')}") { id } }`,
      { r: [{ provider: 'HOSTUP', ref: 'tkt_3' }, { provider: 'HOSTUP', ref: 'tkt_4' }] },
    );
    expect(over.json.errors?.map((error) => error.message.split(';')[0])).toEqual(Array(4).fill('This request asks for 4 tickets'));
    expect((await tight.post('x'.repeat(401))).status).toBe(413);
    expect(tight.upstreamCalls()).toBe(2);
  });
});
