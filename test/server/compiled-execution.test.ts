/**
 * useCompiledExecution answers exactly what graphql-js answers. A property test (fast-check)
 * generates queries over DeskGraph's real schema, walking its types: every field of every object
 * type and interface, aliases (colliding ones included, so fields merge), named fragments (one
 * fragment spread in several merged fields), inline fragments with and without a type
 * condition, @include/@skip, arguments as literals and as variables (well- and ill-typed
 * variable values, missing ones), and tickets whose reads fail or that hold nulls and values no
 * scalar or enum accepts at every depth. Each query goes to two DeskGraph yoga servers over one
 * fake ticket service, one with the compiled executor and one without; the HTTP answers (data,
 * errors, paths, locations, masking) and the executors' own results before masking (the
 * messages masking hides) must be identical. The run also proves the compiled executor itself
 * answered most queries (the rest it hands to graphql-js: directives, `node`, introspection).
 *
 * A fixed seed keeps CI repeatable; `FC_SEED=random npx vitest run test/server/compiled-execution.test.ts`
 * explores further, and a failure prints the query and the seed that reproduce it.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLInputType,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DeskGraphError, ticketLabel } from '../../src/domain/errors.js';
import { attachmentId, messageId, ticketId } from '../../src/domain/global-id.js';
import type { Message, Ticket, TicketRead } from '../../src/domain/model.js';
import type { Provider } from '../../src/domain/provider.js';
import { buildSchema } from '../../src/schema/index.js';
import { useCompiledExecution } from '../../src/server/compiled-execution.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { describeProviders } from '../../src/server/provider-directory.js';
import { createDeskGraphYoga } from '../../src/server/yoga.js';
import { inlineBodies } from '../helpers/bodies.js';
import { testTicket } from '../helpers/tickets.js';

const FC = {
  seed: process.env['FC_SEED'] === 'random' ? undefined : Number(process.env['FC_SEED'] ?? 20_261_201),
  numRuns: 300,
};

// ——— The fake ticket service: every ref a different way for a read to succeed or fail ———

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

/** What each ref does when read (valid for HOSTUP; the digit ones for TICKITI too). */
const BREAKS: Record<string, ((ticket: Ticket) => void) | 'not-found' | 'bug'> = {
  tkt_ok: () => {},
  '404': 'not-found',
  '500': 'bug',
  // A null where the schema promises a value, at depth 2, 3 (in a non-null list) and 5.
  tkt_nullstatus: (ticket) => void ((ticket as { status: unknown }).status = null),
  tkt_nullkind: (ticket) => void ((ticket.messages[1] as { authorKind: unknown }).authorKind = null),
  tkt_nullinline: (ticket) => void ((ticket.messages[2]!.attachments[0] as { inline: unknown }).inline = null),
  // Values an enum does not have, and a list that is not one.
  tkt_badenum: (ticket) => void ((ticket as { status: unknown }).status = 'SHOUTING'),
  tkt_badvisibility: (ticket) => void ((ticket.messages[0] as { visibility: unknown }).visibility = 'SECRET'),
  tkt_notalist: (ticket) => void ((ticket.messages[0] as { attachments: unknown }).attachments = 7),
  // A nullable field whose read throws: null and a masked error, at depth 3.
  tkt_throws: (ticket) =>
    void Object.defineProperty(ticket.requester!, 'email', {
      get() {
        throw new Error('email getter bug');
      },
    }),
  '220001': () => {},
};
const REFS = [...Object.keys(BREAKS), 'Not a ref!'];

function read(provider: Provider, ref: string): TicketRead {
  const breaks = BREAKS[ref];
  if (breaks === undefined || breaks === 'not-found') {
    throw new DeskGraphError('NOT_FOUND', `${ticketLabel(provider, ref)} does not exist.`, { provider, ref });
  }
  if (breaks === 'bug') throw new Error('mapper bug');
  const ticket: Ticket = testTicket({
    provider,
    ref,
    nativeId: ref,
    subject: `Subject ${ref}`,
    requester: { name: 'Alice', email: 'alice@example.com', vendorId: '7' },
    group: { id: 'g1', vendorId: 'g1', name: 'Billing' },
    messages: [message(provider, ref, '1', 'PUBLIC'), message(provider, ref, '2', 'INTERNAL'), message(provider, ref, '3', 'PUBLIC')],
  });
  breaks(ticket);
  return { ticket, fetchedAt: '2026-06-04T16:00:00.000Z', cacheStatus: 'HIT' };
}

const config = parseConfig({ providers: { hostup: { baseUrl: 'https://hostup.example', token: 't' }, tickiti: { baseUrl: 'https://tickiti.example', token: 't' } } }, {});

// ——— Two servers, and what their executors returned before masking ———

let compiledPlans = 0;
let standardPlans = 0;

function server(compiled: boolean) {
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
  const counting = useCompiledExecution({ onPlan: (_name, planned) => void (planned ? (compiledPlans += 1) : (standardPlans += 1)) });
  const yoga = createDeskGraphYoga({
    service: { read: async (provider, ref) => read(provider, ref) },
    directory: describeProviders(config),
    bodies: inlineBodies(),
    logger: createLogger('silent'),
    compiledExecution: false,
    // The recorder wraps whichever executor was set before it.
    plugins: compiled ? [counting, recorder] : [recorder],
  });
  return { yoga, results };
}

const standard = server(false);
const compiled = server(true);

async function ask(target: ReturnType<typeof server>, query: string, variables: Record<string, unknown>) {
  const before = target.results.length;
  const response = await target.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // Masked errors carry their request's id: the one thing two servers cannot share.
  const text = (await response.text()).replace(/"requestId":"[^"]+"/g, '"requestId":"…"');
  return { status: response.status, text, executed: target.results.slice(before) };
}

// ——— Queries over the real schema ———

const schema = buildSchema();
const PROVIDER_VALUES = ['HOSTUP', 'TICKITI', 'HEADONI'];
/** The variables a generated query may use, with their declared types. */
const VARIABLES = { p: 'Provider!', r: 'String!', v: 'Visibility', id: 'ID!', yes: 'Boolean!' } as const;
type VariableName = keyof typeof VARIABLES;

/** A selection, printed later (fragments are lifted to the document and shared by content). */
type Selection =
  | { kind: 'field'; alias: string | undefined; name: string; args: string; directive: string; selections: Selection[]; twice: boolean }
  | { kind: 'inline'; on: string | undefined; directive: string; selections: Selection[] }
  | { kind: 'spread'; on: string; selections: Selection[] };

const directive = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(' @include(if: true)', ' @include(if: false)', ' @skip(if: true)', ' @skip(if: false)', ' @include(if: $yes)', ' @skip(if: $yes)') },
);

const globalIds = [...REFS.map((ref) => ticketId('HOSTUP', ref)), ticketId('TICKITI', '220001'), 'not-an-id'];

/** A value for one argument, by its type (a new argument type in the schema fails here, loudly). */
function argumentValue(arg: GraphQLArgument): fc.Arbitrary<string | undefined> {
  const named = getNamedType(arg.type);
  const required = isNonNullType(arg.type);
  const optional = <T,>(value: fc.Arbitrary<T>) => (required ? value : fc.option(value, { nil: undefined }));
  if (named.name === 'Provider') return optional(fc.oneof(fc.constantFrom(...PROVIDER_VALUES), fc.constant('$p')));
  if (named.name === 'Visibility') return optional(fc.constantFrom('PUBLIC', 'INTERNAL', 'null', '$v'));
  if (arg.name === 'ref') return optional(fc.oneof(fc.constantFrom(...REFS).map((ref) => JSON.stringify(ref)), fc.constant('$r')));
  if (arg.name === 'id') return optional(fc.oneof(fc.constantFrom(...globalIds).map((id) => JSON.stringify(id)), fc.constant('$id')));
  if (isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type) && isInputObjectType(named)) {
    const item = fc
      .record({ provider: fc.constantFrom(...PROVIDER_VALUES), ref: fc.constantFrom(...REFS) })
      .map(({ provider, ref }) => `{ provider: ${provider}, ref: ${JSON.stringify(ref)} }`);
    return fc.array(item, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
  }
  throw new Error(`no generator for argument ${arg.name}: ${String(arg.type as GraphQLInputType)}`);
}

function argumentsOf(args: readonly GraphQLArgument[]): fc.Arbitrary<string> {
  if (args.length === 0) return fc.constant('');
  return fc.tuple(...args.map(argumentValue)).map((values) => {
    const given = args.flatMap((arg, index) => (values[index] === undefined ? [] : [`${arg.name}: ${values[index]}`]));
    return given.length === 0 ? '' : `(${given.join(', ')})`;
  });
}

/** Fields a caller of this type may select: federation's own (`_service`, `_entities`) aside. */
function fieldsOf(type: GraphQLCompositeType) {
  if (!isObjectType(type) && !('getFields' in type)) return [];
  return Object.values(type.getFields()).filter((field) => !field.name.startsWith('_'));
}

const selectionsMemo = new Map<string, fc.Arbitrary<Selection[]>>();

/** 1–3 selections on `type`, at most `depth` object levels deep. */
function selectionsOn(type: GraphQLCompositeType, depth: number): fc.Arbitrary<Selection[]> {
  const key = `${type.name}:${depth}`;
  const memo = selectionsMemo.get(key);
  if (memo) return memo;
  const fields = fieldsOf(type).filter((field) => depth > 0 || !isObjectLike(getNamedType(field.type)));
  const field = fc.oneof(
    ...fields.map((definition) => {
      const named = getNamedType(definition.type);
      const sub: fc.Arbitrary<Selection[]> = isObjectLike(named) ? selectionsOn(named as GraphQLCompositeType, depth - 1) : fc.constant<Selection[]>([]);
      // `node` (an interface: graphql-js runs it) less often, so most queries test the compiled path.
      const weight = definition.name === 'node' ? 1 : 4;
      return { weight, arbitrary: fc.record({
        kind: fc.constant('field' as const),
        // Few aliases, so that fields often merge, sometimes with arguments that conflict.
        alias: fc.option(fc.constantFrom('a', 'b', 'status', 'subject'), { nil: undefined, freq: 2 }),
        name: fc.constant(definition.name),
        args: argumentsOf(definition.args),
        directive,
        selections: sub,
        twice: fc.constantFrom(false, false, false, true),
      }) };
    }),
    { weight: 1, arbitrary: fc.constant<Selection>({ kind: 'field', alias: undefined, name: '__typename', args: '', directive: '', selections: [], twice: false }) },
  );
  const possible = isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
  const nested: fc.Arbitrary<Selection>[] = [];
  if (depth > 0) {
    const inner = fc.oneof(...possible.map((concrete) => selectionsOn(concrete, depth - 1).map((selections) => ({ concrete, selections }))));
    nested.push(
      fc.record({ on: fc.option(fc.constant(type.name), { nil: undefined }), directive, body: selectionsOn(type, depth - 1) }).map(
        ({ on, directive: d, body }): Selection => ({ kind: 'inline', on, directive: d, selections: body }),
      ),
      inner.map(({ concrete, selections }): Selection => ({ kind: 'inline', on: concrete.name, directive: '', selections })),
      selectionsOn(type, depth - 1).map((selections): Selection => ({ kind: 'spread', on: type.name, selections })),
    );
  }
  const arbitrary = fc.array(nested.length > 0 ? fc.oneof({ weight: 5, arbitrary: field }, ...nested.map((a) => ({ weight: 1, arbitrary: a }))) : field, {
    minLength: 1,
    maxLength: 3,
  });
  selectionsMemo.set(key, arbitrary);
  return arbitrary;
}

function isObjectLike(type: unknown): boolean {
  return isObjectType(type) || isAbstractType(type);
}

/**
 * Where response keys meet: a selection set with the fragments merged into it. A key asked again
 * for another field or other arguments (which validation refuses) gets a fresh alias instead, so
 * most generated queries run; the same field asked twice merges, its sub-selections in one scope.
 */
type Scope = Map<string, { signature: string; child: Scope }>;

/** Prints an operation and its fragments; a fragment's name follows from its text, so equal ones are one. */
function print(selections: Selection[], directives: boolean): string {
  const fragments = new Map<string, string>();
  let aliases = 0;
  const block = (items: Selection[], scope: Scope): string => `{ ${items.map((item) => one(item, scope)).join(' ')} }`;
  const one = (selection: Selection, scope: Scope): string => {
    switch (selection.kind) {
      case 'field': {
        let alias = selection.alias;
        const signature = `${selection.name}${selection.args}`;
        let entry = scope.get(alias ?? selection.name);
        if (entry && entry.signature !== signature) {
          alias = `k${(aliases += 1)}`;
          entry = undefined;
        }
        if (!entry) scope.set(alias ?? selection.name, (entry = { signature, child: new Map() }));
        const sub = selection.selections.length > 0 ? ` ${block(selection.selections, entry.child)}` : '';
        const text = `${alias ? `${alias}: ` : ''}${selection.name}${selection.args}${directives ? selection.directive : ''}${sub}`;
        return selection.twice ? `${text} ${text}` : text;
      }
      case 'inline':
        return `...${selection.on ? ` on ${selection.on}` : ''}${directives ? selection.directive : ''} ${block(selection.selections, scope)}`;
      case 'spread': {
        const body = `on ${selection.on} ${block(selection.selections, scope)}`;
        let name = [...fragments].find(([, text]) => text === body)?.[0];
        if (!name) fragments.set((name = `F${fragments.size}`), body);
        return `...${name}`;
      }
    }
  };
  const operation = block(selections, new Map());
  const used = (Object.keys(VARIABLES) as VariableName[]).filter((name) => new RegExp(`\\$${name}\\b`).test(operation + [...fragments.values()].join(' ')));
  const header = used.length === 0 ? 'query Generated' : `query Generated(${used.map((name) => `$${name}: ${VARIABLES[name]}`).join(', ')})`;
  return [`${header} ${operation}`, ...[...fragments].map(([name, body]) => `fragment ${name} ${body}`)].join('\n');
}

/** Variable values: mostly well typed, sometimes missing, null or of the wrong type. */
const variables = fc.record(
  {
    p: fc.constantFrom('HOSTUP', 'TICKITI', 'HEADONI', 'NOPE', null, 7),
    r: fc.constantFrom(...REFS, null, 42),
    v: fc.constantFrom('PUBLIC', 'INTERNAL', null, 'EVERYONE'),
    id: fc.constantFrom(...globalIds, null),
    yes: fc.constantFrom(true, false, 'yes', null),
  },
  { requiredKeys: [] },
);

// One query in three has directives (graphql-js runs those), on one selection in nine.
const queries = fc
  .tuple(selectionsOn(schema.getQueryType()!, 4), fc.constantFrom(false, false, true))
  .map(([selections, directives]) => print(selections, directives));

describe('useCompiledExecution against graphql-js', () => {
  it('answers generated queries over the real schema identically: data, errors, paths, locations, masking', async () => {
    compiledPlans = 0;
    standardPlans = 0;
    await fc.assert(
      fc.asyncProperty(queries, variables, async (query, values) => {
        const expected = await ask(standard, query, values);
        const actual = await ask(compiled, query, values);
        expect(actual).toEqual(expected);
      }),
      FC,
    );
    // Most queries ran (few were refused by validation or limits), and the compiled executor
    // answered most of those itself rather than handing them to graphql-js.
    expect(compiledPlans + standardPlans).toBeGreaterThan(FC.numRuns * 0.7);
    expect(compiledPlans).toBeGreaterThan(standardPlans);
  }, 120_000);

  it('lists a location once when one fragment is spread in two merged fields (graphql-js shares the visited set)', async () => {
    const query = `{ ticket(provider: HOSTUP, ref: "tkt_nullstatus") { ...F } ticket(provider: HOSTUP, ref: "tkt_nullstatus") { ...F } }
fragment F on Ticket { status }`;
    const expected = await ask(standard, query, {});
    const actual = await ask(compiled, query, {});
    expect(actual).toEqual(expected);
    expect(JSON.parse(actual.text)).toEqual({
      data: { ticket: null },
      errors: [{ message: 'Unexpected error.', locations: [{ line: 2, column: 24 }], path: ['ticket', 'status'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: '…' } }],
    });
    expect(actual.executed).toEqual([
      {
        data: { ticket: null },
        errors: [{ message: 'Cannot return null for non-nullable field Ticket.status.', locations: [{ line: 2, column: 24 }], path: ['ticket', 'status'] }],
      },
    ]);
  });

  it('answers repeated requests from one plan, each with its own variables', async () => {
    const query = 'query One($r: String!) { ticket(provider: HOSTUP, ref: $r) { ref status messages { authorKind attachments { inline } } } }';
    const before = compiledPlans;
    for (const ref of ['tkt_ok', '404', 'tkt_nullkind', 'tkt_nullinline', '500', 'tkt_ok']) {
      expect(await ask(compiled, query, { r: ref })).toEqual(await ask(standard, query, { r: ref }));
    }
    expect(compiledPlans).toBe(before + 1);
  });
});
