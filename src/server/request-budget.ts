/**
 * What one request may cost (CONTRACT §6), decided in one place:
 *
 * - `limits.refs`: most refs one `tickets` list, or representations one `_entities` list, holds;
 * - `limits.ticketsPerRequest`: most tickets one answer holds, repeats included (50 aliases of
 *   100 refs of one cached ticket would otherwise build a response of hundreds of MiB);
 * - `limits.upstreamCallsPerRequest`: most distinct tickets the request reads.
 *
 * The first two are decided from the operation itself before any resolver runs
 * (`useRequestBudget`, at execution start): the variables are coerced and the root fields
 * collected as graphql-js does (defaults, fragments, `@skip`/`@include`, merged aliases), and
 * each counts the tickets it asks for
 * (`ticket`, `node`, `refreshTicket`: one; `tickets`, `_entities`: the length of their list).
 * Over a limit, the request reads no ticket: a root field past the limit fails as a whole, and
 * the loads of the fields before it fail with the same error (`refusal`), so the vendors are
 * never asked. Nothing depends on when dataloader dispatches its batch.
 */
import { getDirectiveValues, getVariableValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind } from 'graphql';
import type { ExecutionArgs, FieldNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../config/schema.js';
import { DeskGraphError } from '../domain/errors.js';
import type { FieldBudget } from '../schema/context.js';

export type BudgetLimits = Pick<LimitsConfig, 'refs' | 'ticketsPerRequest' | 'upstreamCallsPerRequest'>;

/** A root field and the tickets it asks for. */
export interface PlannedField {
  /** The response key (the alias, else the field name). */
  key: string;
  tickets: number;
  /** `tickets` or `_entities`: the list `limits.refs` bounds. */
  list?: 'refs' | 'representations';
}

export class RequestBudget implements FieldBudget {
  private refused: DeskGraphError | undefined;
  /** Root fields that are themselves over a limit: they fail as a whole. */
  private readonly overFields = new Set<string>();
  private readsStarted = 0;

  constructor(private readonly limits: BudgetLimits) {}

  /** Decides from the operation's root fields, before any of them resolves. */
  plan(fields: readonly PlannedField[]): void {
    const overList = fields.find((field) => field.list !== undefined && field.tickets > this.limits.refs);
    if (overList) {
      const name = overList.list === 'refs' ? 'tickets' : '_entities';
      this.refuse(
        overList.key,
        `${name} accepts at most ${this.limits.refs} ${overList.list} (limits.refs); ${overList.tickets} were given, so this request reads no ticket.`,
      );
      return;
    }
    const total = fields.reduce((sum, field) => sum + field.tickets, 0);
    if (total <= this.limits.ticketsPerRequest) return;
    let counted = 0;
    const message = `This request asks for ${total} tickets in one answer (repeats included); one answer may hold at most ${this.limits.ticketsPerRequest} (limits.ticketsPerRequest), so this request reads no ticket.`;
    for (const field of fields) {
      counted += field.tickets;
      if (counted > this.limits.ticketsPerRequest) this.overFields.add(field.key);
    }
    this.refused = new DeskGraphError('BAD_USER_INPUT', message);
  }

  /** The error a root field fails with as a whole: it is itself over a limit. */
  fieldRefusal(key: string | number): DeskGraphError | undefined {
    return this.refused && this.overFields.has(String(key)) ? this.refused : undefined;
  }

  /** Why this request may read no ticket at all, if it may not. */
  refusal(): DeskGraphError | undefined {
    return this.refused;
  }

  /**
   * Starts `count` distinct reads; false (and none is counted) when they would take the request
   * past `limits.upstreamCallsPerRequest`.
   */
  startReads(count: number): boolean {
    if (this.readsStarted + count > this.limits.upstreamCallsPerRequest) return false;
    this.readsStarted += count;
    return true;
  }

  /** Distinct reads started so far, and the most allowed. */
  reads(): { started: number; max: number } {
    return { started: this.readsStarted, max: this.limits.upstreamCallsPerRequest };
  }

  private refuse(key: string, message: string): void {
    this.refused = new DeskGraphError('BAD_USER_INPUT', message);
    this.overFields.add(key);
  }
}

export interface RequestBudgetOptions {
  /** The request's budget, from its GraphQL context. */
  budgetOf(context: unknown): RequestBudget | undefined;
}

/** Plans each operation's budget when its execution starts, before any resolver runs. */
export function useRequestBudget(options: RequestBudgetOptions): Plugin {
  return {
    onExecute({ args }) {
      options.budgetOf(args.contextValue)?.plan(plannedFields(args));
    },
  };
}

const ONE_TICKET = new Set(['ticket', 'node', 'refreshTicket']);

/**
 * The root fields of the operation `args` runs, with the tickets each asks for. Variables are
 * coerced as execution coerces them (defaults filled in); when they do not coerce, execution
 * fails before any resolver runs, so nothing is planned.
 */
export function plannedFields(args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName' | 'variableValues'>): PlannedField[] {
  const operations = args.document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = args.operationName ? operations.find((one) => one.name?.value === args.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of args.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const coercion = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  if (coercion.errors) return [];
  const variables = coercion.coerced;
  const fields = new Map<string, FieldNode>();
  collectRootFields(operation.selectionSet, fragments, variables, fields, new Set());
  return [...fields].map(([key, field]): PlannedField => {
    const name = field.name.value;
    if (ONE_TICKET.has(name)) return { key, tickets: 1 };
    if (name === 'tickets') return { key, tickets: listLength(field, 'refs', variables), list: 'refs' };
    if (name === '_entities') return { key, tickets: listLength(field, 'representations', variables), list: 'representations' };
    return { key, tickets: 0 };
  });
}

/** graphql-js's CollectFields for the root selection set: first occurrence of a response key wins its place. */
function collectRootFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  fields: Map<string, FieldNode>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (!included(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (!fields.has(key)) fields.set(key, selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectRootFields(selection.selectionSet, fragments, variables, fields, visited);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (visited.has(name) || !fragment) continue;
      visited.add(name);
      collectRootFields(fragment.selectionSet, fragments, variables, fields, visited);
    }
  }
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: Record<string, unknown>): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
  } catch {
    // A bad @skip/@include is execution's error to report; counted as included (the safe side).
    return true;
  }
}

/** How many items the list argument holds (a single value stands for a list of one). */
function listLength(field: FieldNode, name: string, variables: Record<string, unknown>): number {
  const argument = field.arguments?.find((one) => one.name.value === name);
  return argument ? valueLength(argument.value, variables) : 0;
}

function valueLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.NULL) return 0;
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    if (Array.isArray(given)) return given.length;
    return given === undefined || given === null ? 0 : 1;
  }
  return 1;
}
