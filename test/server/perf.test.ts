/**
 * useCompiledExecution answers exactly what the standard executor answers: the same bytes for
 * data and errors (messages, paths, locations, masking), for the operations it compiles and for
 * those it hands back. Two DeskGraph yoga servers over one fake ticket service, the same requests;
 * and the executors' own results before masking, for the messages masking hides.
 */
import type { Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DeskGraphError, ticketLabel } from '../../src/domain/errors.js';
import { attachmentId, messageId } from '../../src/domain/global-id.js';
import type { Message, Ticket, TicketRead } from '../../src/domain/model.js';
import type { Provider } from '../../src/domain/provider.js';
import { createLogger } from '../../src/server/logger.js';
import { useCompiledExecution } from '../../src/server/perf.js';
import { describeProviders } from '../../src/server/providers.js';
import { createDeskGraphYoga } from '../../src/server/yoga.js';
import { testTicket } from '../helpers/tickets.js';
import { inlineBodies } from '../helpers/bodies.js';

function message(provider: Provider, ticket: string, id: string, visibility: Message['visibility']): Message {
  return {
    id: messageId(provider, ticket, id),
    nativeId: id,
    authorKind: visibility === 'INTERNAL' ? 'AGENT' : 'CUSTOMER',
    author: id === '1' ? { name: 'Alice', email: 'alice@example.com', vendorId: null } : null,
    visibility,
    pinned: id === '3',
    bodyFormat: 'TEXT',
    body: { source: `Body ${id}`, vendorText: null },
    createdAt: `2026-06-04T15:0${id}:00.000Z`,
    updatedAt: null,
    attachments: [
      { id: attachmentId(provider, ticket, `a${id}`), nativeId: `a${id}`, name: `${id}.pdf`, contentType: 'application/pdf', size: 10, sha256: null, inline: false, url: null },
    ],
  };
}

/** A ref (valid for HOSTUP) whose ticket breaks a non-null field. */
const NULL_STATUS = 'tkt_nullstatus';

/** Refs: "404" is NOT_FOUND, "500" a bug (masked), NULL_STATUS has no status. */
function read(provider: Provider, ref: string): TicketRead {
  if (ref === '404') throw new DeskGraphError('NOT_FOUND', `${ticketLabel(provider, ref)} does not exist.`, { provider, ref });
  if (ref === '500') throw new Error('mapper bug');
  const ticket: Ticket = testTicket({
    provider,
    ref,
    nativeId: ref,
    subject: `Subject ${ref}`,
    requester: { name: 'Alice', email: 'alice@example.com', vendorId: '7' },
    group: { id: 'g1', name: 'Billing' },
    messages: [message(provider, ref, '1', 'PUBLIC'), message(provider, ref, '2', 'INTERNAL'), message(provider, ref, '3', 'PUBLIC')],
  });
  if (ref === NULL_STATUS) (ticket as { status: unknown }).status = null;
  return { ticket, fetchedAt: '2026-06-04T16:00:00.000Z', cacheStatus: 'HIT' };
}

const config = parseConfig({ providers: { hostup: { baseUrl: 'https://hostup.example', token: 't' }, tickiti: { baseUrl: 'https://tickiti.example', token: 't' } } }, {});

/** Whether the last new operation compiled (true) or went to the standard executor (false). */
let lastPlan: boolean | undefined;

function server(compiled: boolean) {
  return createDeskGraphYoga({
    service: { read: async (provider, ref) => read(provider, ref) },
    directory: describeProviders(config),
    bodies: inlineBodies(),
    logger: createLogger('silent'),
    compiledExecution: false,
    plugins: compiled ? [useCompiledExecution({ onPlan: (_name, planned) => void (lastPlan = planned) })] : [],
  });
}

const standard = server(false);
const compiled = server(true);

async function ask(yoga: ReturnType<typeof server>, query: string, variables?: Record<string, unknown>) {
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // Masked errors carry their request's id: the one thing two servers cannot share.
  const text = (await response.text()).replace(/"requestId":"[^"]+"/g, '"requestId":"…"');
  return { status: response.status, text };
}

const FULL = `query Full($provider: Provider!, $ref: String!) {
  ticket(provider: $provider, ref: $ref) {
    id provider ref nativeId number subject description status vendorStatus statusLabel priority vendorPriority
    requester { name email vendorId } assignee { name } group { id name } category
    createdAt updatedAt resolvedAt closedAt
    messages { id nativeId authorKind author { name email } visibility pinned bodyFormat bodyText bodyHtml createdAt updatedAt
      attachments { id nativeId name contentType size sha256 inline url } }
    attachments { id name url }
    fetchedAt cacheStatus
  }
}`;

/** [what, query, variables, compiled (or handed to the standard executor)] */
const CASES: [string, string, Record<string, unknown> | undefined, boolean][] = [
  ['a full ticket, by variables', FULL, { provider: 'HOSTUP', ref: 'tkt_1' }, true],
  ['a ticket that is not found', FULL, { provider: 'HOSTUP', ref: '404' }, true],
  ['a ticket whose read is a bug (masked)', FULL, { provider: 'TICKITI', ref: '500' }, true],
  ['a null in a non-null field, propagated to the ticket', FULL, { provider: 'HOSTUP', ref: NULL_STATUS }, true],
  [
    'aliases, fragments, inline fragments on the interface, __typename',
    `{ a: ticket(provider: HOSTUP, ref: "1") { ...Card ... on Node { id } } b: ticket(provider: TICKITI, ref: "2") { __typename subject s2: subject }
       ticket(provider: HOSTUP, ref: "1") { ref ... on Ticket { subject messages { id } } messages { bodyText } } }
     fragment Card on Ticket { id subject requester { name } }`,
    undefined,
    true,
  ],
  [
    'an argument from a literal and from a variable',
    `query V($v: Visibility) { ticket(provider: HOSTUP, ref: "1") { all: messages { id } internal: messages(visibility: INTERNAL) { id } byVariable: messages(visibility: $v) { id } } }`,
    { v: 'PUBLIC' },
    true,
  ],
  [
    'a list with failing items: null at their index, each with its own error',
    `{ tickets(refs: [{ provider: HOSTUP, ref: "1" }, { provider: HOSTUP, ref: "404" }, { provider: TICKITI, ref: "500" }, { provider: HEADONI, ref: "x" }, { provider: HOSTUP, ref: "${NULL_STATUS}" }]) { ref status } }`,
    undefined,
    true,
  ],
  ['a variable that does not coerce', FULL, { provider: 'NOPE', ref: '1' }, true],
  ['a missing variable', FULL, { ref: '1' }, true],
  ['node by global id (an abstract type: the standard executor)', `{ node(id: "VGlja2V0OkhPU1RVUDp0a3RfMQ") { id ... on Ticket { subject } } }`, undefined, false],
  [
    '@include (directives: the standard executor)',
    `query I($yes: Boolean!) { ticket(provider: HOSTUP, ref: "1") { subject @include(if: $yes) ref } }`,
    { yes: false },
    false,
  ],
  ['introspection (the standard executor)', `{ __typename __type(name: "Ticket") { name } }`, undefined, false],
  ['providers, an async list of objects', `{ providers { provider configured origin } }`, undefined, true],
];

describe('useCompiledExecution', () => {
  it.each(CASES)('answers like the standard executor: %s', async (_name, query, variables, compiles) => {
    const expected = await ask(standard, query, variables);
    lastPlan = undefined;
    const actual = await ask(compiled, query, variables);
    expect(actual).toEqual(expected);
    // FULL is planned once, by its first case; the others are new documents.
    if (lastPlan !== undefined) expect(lastPlan).toBe(compiles);
  });

  it('answers repeated requests from the same plan, each with its own variables', async () => {
    for (const ref of ['tkt_1', '404', 'tkt_2', NULL_STATUS, 'tkt_1']) {
      expect(await ask(compiled, FULL, { provider: 'HOSTUP', ref })).toEqual(await ask(standard, FULL, { provider: 'HOSTUP', ref }));
    }
  });

  it('keeps the order of fields and of errors', async () => {
    const query = `{ b: ticket(provider: HOSTUP, ref: "404") { ref } a: ticket(provider: HOSTUP, ref: "1") { subject ref } c: ticket(provider: TICKITI, ref: "500") { ref } }`;
    const { text } = await ask(compiled, query);
    expect(text).toBe((await ask(standard, query)).text);
    expect(Object.keys((JSON.parse(text) as { data: object }).data)).toEqual(['b', 'a', 'c']);
  });
});

describe('useCompiledExecution, before masking', () => {
  /** The executor's own results, before yoga masks unexpected errors. */
  const recorded = (compiledToo: boolean) => {
    const results: unknown[] = [];
    const recorder: Plugin = {
      onExecute({ executeFn, setExecuteFn }) {
        setExecuteFn(async (args) => {
          const result = await executeFn(args);
          results.push(JSON.parse(JSON.stringify(result)));
          return result;
        });
      },
    };
    const yoga = createDeskGraphYoga({
      service: { read: async (provider, ref) => read(provider, ref) },
      directory: describeProviders(config),
      bodies: inlineBodies(),
      logger: createLogger('silent'),
      compiledExecution: false,
      plugins: compiledToo ? [useCompiledExecution(), recorder] : [recorder],
    });
    return { yoga, results };
  };
  const plain = recorded(false);
  const fast = recorded(true);

  it.each([
    ['a null in a non-null field', FULL, { provider: 'HOSTUP', ref: NULL_STATUS }],
    ['a bug in a read', FULL, { provider: 'TICKITI', ref: '500' }],
    [
      'failing list items',
      `{ tickets(refs: [{ provider: HOSTUP, ref: "${NULL_STATUS}" }, { provider: TICKITI, ref: "500" }, { provider: HOSTUP, ref: "1" }]) { ref status } }`,
    ],
  ] as [string, string, Record<string, unknown>?][])('gives the same errors: %s', async (_name, query, variables) => {
    await ask(plain.yoga, query, variables);
    await ask(fast.yoga, query, variables);
    const expected = plain.results.at(-1);
    expect(JSON.stringify(expected)).toMatch(/Cannot return null for non-nullable field Ticket.status|mapper bug/);
    expect(fast.results.at(-1)).toEqual(expected);
  });
});
