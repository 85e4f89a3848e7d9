/**
 * What one request may cost (issue 11, defects 2 and 3), over real HTTP: `_entities` bound by
 * `limits.refs`, every answer bound by `limits.ticketsPerRequest` (repeats included), both
 * refused before any vendor call; and a bad `_entities` item null at its own index, the others
 * served, with no error-level log line.
 */
import { describe, expect, it } from 'vitest';
import { ticketId } from '../../src/domain/global-id.js';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { postQuery, sampleRef, useDesksGateway } from '../helpers/in-process.js';

let log: CapturedLog;
const env = useDesksGateway({ logger: () => (log = captureLog('info')).logger });
const start = (extra: Record<string, unknown> = {}) => env.start({}, extra);
const { vendorRequests } = env;
const HOSTUP_REF = sampleRef('HOSTUP', 0);
const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Ticket { provider ref subject } }
  }
`;

describe('_entities and limits.refs', () => {
  it('refuses more representations than limits.refs before any vendor call', async () => {
    const url = await start();
    const representations = Array.from({ length: 5000 }, () => ({ __typename: 'Ticket', provider: 'HOSTUP', ref: HOSTUP_REF }));
    const answer = await postQuery(url, ENTITIES, { representations });
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: '_entities accepts at most 100 representations (limits.refs); 5000 were given, so this request reads no ticket.',
        path: ['_entities'],
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(vendorRequests()).toBe(0);
  });

  it('over the limit, sibling fields read nothing either', async () => {
    const url = await start({ limits: { refs: 3 } });
    const answer = await postQuery(
      url,
      `query($representations: [_Any!]!) {
        one: ticket(provider: HOSTUP, ref: "${HOSTUP_REF}") { subject }
        _entities(representations: $representations) { ... on Ticket { subject } }
      }`,
      { representations: Array.from({ length: 4 }, () => ({ __typename: 'Ticket', provider: 'HOSTUP', ref: HOSTUP_REF })) },
    );
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(vendorRequests()).toBe(0);
  });
});

describe('limits.ticketsPerRequest', () => {
  it("counts a variable's default value, as execution fills it in", async () => {
    const url = await start({ limits: { refs: 3, ticketsPerRequest: 4 } });
    const refs = Array.from({ length: 3 }, () => `{ provider: HOSTUP, ref: "${HOSTUP_REF}" }`).join(', ');
    const answer = await postQuery(url, `query($r: [TicketRefInput!]! = [${refs}]) { a: tickets(refs: $r) { ref } b: tickets(refs: $r) { ref } }`);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.map((error) => [error.path?.[0], error.message])).toEqual([
      ['b', 'This request asks for 6 tickets in one answer (repeats included); one answer may hold at most 4 (limits.ticketsPerRequest), so this request reads no ticket.'],
    ]);
    expect(vendorRequests()).toBe(0);
  });

  it('refuses 50 aliases of 100 refs of one ticket before any vendor call', async () => {
    const url = await start();
    const refs = Array.from({ length: 100 }, () => ({ provider: 'HOSTUP', ref: HOSTUP_REF }));
    const aliases = Array.from({ length: 50 }, (_, index) => `a${index}: tickets(refs: $refs) { subject messages { bodyText } }`).join('\n');
    const answer = await postQuery(url, `query($refs: [TicketRefInput!]!) { ${aliases} }`, { refs });
    expect(answer.status).toBe(200);
    const codes = new Set(answer.body.errors?.map((error) => error.extensions?.['code']));
    expect(codes).toEqual(new Set(['BAD_USER_INPUT']));
    expect(answer.body.errors?.[0]?.message).toBe(
      'This request asks for 5000 tickets in one answer (repeats included); one answer may hold at most 200 (limits.ticketsPerRequest), so this request reads no ticket.',
    );
    // `tickets` is a non-null list: the aliases over the limit null the whole answer; the ones
    // within it read nothing either (no vendor request below).
    expect(answer.body.data).toBeNull();
    expect(vendorRequests()).toBe(0);
  });

  it('counts ticket, node, tickets and _entities together, and serves an answer at the limit', async () => {
    const url = await start({ limits: { ticketsPerRequest: 4 } });
    const id = ticketId('HOSTUP', HOSTUP_REF);
    const document = (extra: string) => `query($representations: [_Any!]!) {
      one: ticket(provider: HOSTUP, ref: "${HOSTUP_REF}") { subject }
      two: node(id: "${id}") { id }
      three: tickets(refs: [{ provider: HOSTUP, ref: "${HOSTUP_REF}" }]) { subject }
      _entities(representations: $representations) { ... on Ticket { subject } }
      ${extra}
    }`;
    const representations = [{ __typename: 'Ticket', id }];
    const atLimit = await postQuery(url, document(''), { representations });
    expect(atLimit.body.errors).toBeUndefined();
    expect(vendorRequests()).toBe(1);
    const over = await postQuery(url, document(`five: ticket(provider: HOSTUP, ref: "${HOSTUP_REF}") { subject }`), { representations });
    expect(over.body.errors?.map((error) => [error.path?.[0], error.extensions?.['code']])).toEqual(
      expect.arrayContaining([['five', 'BAD_USER_INPUT']]),
    );
    expect(over.body.data).toMatchObject({ one: null, three: [null], five: null });
    expect(vendorRequests()).toBe(1);
  });
});

describe('a bad _entities item', () => {
  it('is null with BAD_USER_INPUT at its own index; the others are served; nothing is logged as an error', async () => {
    const url = await start();
    const teambattles = sampleRef('TEAMBATTLES', 0);
    const representations = [
      { __typename: 'Ticket', provider: 'HOSTUP', ref: HOSTUP_REF },
      'x',
      1,
      [],
      { __typename: 'Nope', id: 'x' },
      { __typename: 'Query' },
      { __typename: 'Ticket' },
      { __typename: 'Ticket', id: 'not-an-id' },
      { __typename: 'Ticket', provider: 'HOSTUP', ref: '../etc' },
      null,
      { __typename: 'Ticket', id: ticketId('TEAMBATTLES', teambattles) },
    ];
    const answer = await postQuery(url, ENTITIES.replace('[_Any!]!', '[_Any]!'), { representations });
    // [_Any]! is not the argument's type: the validation error names it, no item is read.
    expect(answer.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');

    const served = await postQuery(url, ENTITIES, { representations: representations.filter((item) => item !== null) });
    const items = served.body.data?.['_entities'] as ({ provider: string; ref: string } | null)[];
    expect(items.map((item) => item && `${item.provider}:${item.ref}`)).toEqual([
      `HOSTUP:${HOSTUP_REF}`,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      `TEAMBATTLES:${teambattles}`,
    ]);
    expect(served.body.errors?.map((error) => [error.path, error.extensions?.['code']])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((index) => [['_entities', index], 'BAD_USER_INPUT']),
    );
    expect(served.body.errors?.[0]?.message).toBe(
      'Representation 1 of _entities is not an object: send { __typename: "Ticket", id } or { __typename: "Ticket", provider, ref }.',
    );
    expect(served.body.errors?.[3]?.message).toBe('Representation 4 of _entities has no __typename of an entity of this subgraph ("Ticket").');
    expect(vendorRequests()).toBe(2);
    expect(log.errors()).toEqual([]);
  });
});
