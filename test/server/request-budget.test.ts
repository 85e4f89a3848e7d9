/**
 * The request budget is decided from the operation before any resolver runs: these pin how root
 * fields are collected and counted (as graphql-js collects them) and which fields a refusal fails.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema/index.js';
import { plannedFields, RequestBudget } from '../../src/server/request-budget.js';

const schema = buildSchema();
const REF = { provider: 'HOSTUP', ref: '1' };
const plan = (query: string, variableValues: Record<string, unknown> = {}, operationName?: string) =>
  plannedFields({ schema, document: parse(query), variableValues, operationName });

describe('plannedFields', () => {
  it('counts one for ticket, node and refreshTicket, and the list length for tickets and _entities', () => {
    expect(
      plan(`query($r: [TicketRefInput!]!, $e: [_Any!]!) {
        ticket(provider: HOSTUP, ref: "1") { ref }
        n: node(id: "x") { id }
        tickets(refs: $r) { ref }
        literal: tickets(refs: [{ provider: HOSTUP, ref: "1" }, { provider: HOSTUP, ref: "2" }]) { ref }
        _entities(representations: $e) { __typename }
        providers { provider }
      }`, { r: [REF, REF, REF], e: [{}, {}, {}, {}] }),
    ).toEqual([
      { key: 'ticket', tickets: 1 },
      { key: 'n', tickets: 1 },
      { key: 'tickets', tickets: 3, list: 'refs' },
      { key: 'literal', tickets: 2, list: 'refs' },
      { key: '_entities', tickets: 4, list: 'representations' },
      { key: 'providers', tickets: 0 },
    ]);
    expect(plan('mutation { refreshTicket(provider: HOSTUP, ref: "1") { ref } }')).toEqual([{ key: 'refreshTicket', tickets: 1 }]);
  });

  it('follows fragments and inline fragments once, honours @skip/@include with variables, and merges a repeated response key', () => {
    expect(
      plan(`query($yes: Boolean!, $no: Boolean!) {
        ...Root
        ... on Query { b: ticket(provider: HOSTUP, ref: "2") { ref } }
        skipped: ticket(provider: HOSTUP, ref: "3") @skip(if: true) { ref }
        excluded: ticket(provider: HOSTUP, ref: "4") @include(if: $no) { ref }
        included: ticket(provider: HOSTUP, ref: "5") @include(if: $yes) { ref }
        a: ticket(provider: HOSTUP, ref: "1") { subject }
        ...Root
      }
      fragment Root on Query { a: ticket(provider: HOSTUP, ref: "1") { ref } }`, { yes: true, no: false }),
    ).toEqual([
      { key: 'a', tickets: 1 },
      { key: 'b', tickets: 1 },
      { key: 'included', tickets: 1 },
    ]);
  });

  it('coerces variables as execution does: defaults count, and variables that do not coerce plan nothing', () => {
    const refs = Array.from({ length: 10 }, (_, i) => `{ provider: HOSTUP, ref: "${i}" }`).join(', ');
    expect(
      plan(`query($r: [TicketRefInput!]! = [${refs}], $skip: Boolean = true) {
        a: tickets(refs: $r) { ref }
        b: ticket(provider: HOSTUP, ref: "1") @skip(if: $skip) { ref }
      }`),
    ).toEqual([{ key: 'a', tickets: 10, list: 'refs' }]);
    expect(plan('query($r: [TicketRefInput!]!) { tickets(refs: $r) { ref } }', { r: 'not a list of refs' })).toEqual([]);
  });

  it('reads the operation named, a single value as a list of one, and nothing for an operation it cannot pick', () => {
    const document = `query One { ticket(provider: HOSTUP, ref: "1") { ref } }
      query Many($r: [TicketRefInput!]!) { tickets(refs: $r) { ref } }`;
    expect(plan(document, { r: { provider: 'HOSTUP', ref: '1' } }, 'Many')).toEqual([{ key: 'tickets', tickets: 1, list: 'refs' }]);
    expect(plan(document)).toEqual([]);
  });
});

describe('RequestBudget', () => {
  const limits = { refs: 3, ticketsPerRequest: 4, upstreamCallsPerRequest: 2 };

  it('fails only the root fields past ticketsPerRequest as a whole, and refuses every read', () => {
    const budget = new RequestBudget(limits);
    budget.plan([
      { key: 'one', tickets: 1 },
      { key: 'many', tickets: 3, list: 'refs' },
      { key: 'five', tickets: 1 },
    ]);
    expect(budget.fieldRefusal('one')).toBeUndefined();
    expect(budget.fieldRefusal('many')).toBeUndefined();
    expect(budget.fieldRefusal('five')?.message).toBe(
      'This request asks for 5 tickets in one answer (repeats included); one answer may hold at most 4 (limits.ticketsPerRequest), so this request reads no ticket.',
    );
    expect(budget.refusal()?.code).toBe('BAD_USER_INPUT');
  });

  it('fails a list over limits.refs as a whole, whatever the total', () => {
    const budget = new RequestBudget(limits);
    budget.plan([
      { key: 'one', tickets: 1 },
      { key: 'list', tickets: 4, list: 'representations' },
    ]);
    expect(budget.fieldRefusal('one')).toBeUndefined();
    expect(budget.fieldRefusal('list')?.message).toBe(
      '_entities accepts at most 3 representations (limits.refs); 4 were given, so this request reads no ticket.',
    );
    expect(budget.refusal()).toBe(budget.fieldRefusal('list'));
  });

  it('admits an answer at the limits, and counts reads up to upstreamCallsPerRequest', () => {
    const budget = new RequestBudget(limits);
    budget.plan([{ key: 'list', tickets: 3, list: 'refs' }, { key: 'one', tickets: 1 }]);
    expect(budget.refusal()).toBeUndefined();
    expect(budget.startReads(2)).toBe(true);
    expect(budget.startReads(1)).toBe(false);
    expect(budget.reads()).toEqual({ started: 2, max: 2 });
  });
});
