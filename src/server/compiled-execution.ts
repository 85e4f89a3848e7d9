/**
 * Compiled execution: what graphql-jit does, for the queries DeskGraph answers all day (kept by
 * hand rather than @envelop/graphql-jit: the README's "Compiled execution" says why, with numbers;
 * test/server/compiled-execution.test.ts compares it with graphql-js on generated queries). Tickets
 * are sanitized and mapped once, when fetched, so a cache hit is pure GraphQL work; profiling
 * showed a third of that work in the general executor (field collection, per-field type dispatch
 * and argument coercion, resolve-info objects for fields that only read a property).
 *
 * `useCompiledExecution()` compiles each operation once (per schema and parsed document, which
 * yoga's parse cache keeps identical for identical query text) into a plan: the fields to run
 * for each object type, their resolver and arguments, and a completion closure for each return
 * type. Running a plan calls the same resolvers with the same arguments and produces the same
 * result as yoga's executor (@graphql-tools/executor, graphql-js's algorithm): same data, same
 * errors (message, path, locations), same null propagation. Anything outside what the plan covers runs in the standard executor instead:
 * mutations and subscriptions, directives (@skip, @include, @defer), abstract types (`node`),
 * introspection and federation fields, object types with `isTypeOf`, variables that do not
 * coerce (the standard executor reports those).
 */
import {
  defaultFieldResolver,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  locatedError,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface CompiledExecutionOptions {
  /**
   * Told once per operation (per parsed document and operation name) whether it compiled or
   * runs in the standard executor: for tests and logs. @default none
   */
  onPlan?(operationName: string | undefined, compiled: boolean): void;
}

/**
 * Compiles each operation once and runs it without the general executor's per-field work.
 * Plans are kept per parsed document (weakly: they go when yoga's parse cache drops the
 * document), so this relies on yoga's parser cache, which is on by default.
 */
export function useCompiledExecution(options: CompiledExecutionOptions = {}): Plugin {
  const plans = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationPlan | null>>>();

  const planFor = (args: ExecutionArgs): OperationPlan | null => {
    let bySchema = plans.get(args.schema);
    if (!bySchema) plans.set(args.schema, (bySchema = new WeakMap()));
    let byName = bySchema.get(args.document);
    if (!byName) bySchema.set(args.document, (byName = new Map()));
    const name = args.operationName ?? '';
    let plan = byName.get(name);
    if (plan === undefined) {
      plan = compileOperation(args.schema, args.document, args.operationName);
      byName.set(name, plan);
      options.onPlan?.(args.operationName ?? plan?.operation.name?.value, plan !== null);
    }
    return plan;
  };

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const plan = planFor(args);
      if (!plan) return;
      setExecuteFn((executionArgs) => {
        const definitions = plan.operation.variableDefinitions ?? [];
        if (definitions.length === 0) return runOperation(plan, executionArgs, {});
        const variables = getVariableValues(executionArgs.schema, definitions, executionArgs.variableValues ?? {});
        // Variables that do not coerce: the standard executor reports them.
        if (variables.errors) return executeFn(executionArgs);
        return runOperation(plan, executionArgs, variables.coerced);
      });
    },
  };
}

interface OperationPlan {
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  root: ObjectPlan;
}

interface ObjectPlan {
  type: GraphQLObjectType;
  fields: FieldPlan[];
}

interface FieldPlan {
  responseKey: string;
  fieldName: string;
  fieldNodes: FieldNode[];
  /** Undefined for `__typename`. */
  field: GraphQLField<unknown, unknown> | undefined;
  parentType: GraphQLObjectType;
  /**
   * The field's arguments when no variable feeds them (worked out once; each call gets a copy),
   * or undefined when they depend on the request's variables.
   */
  constantArgs: Record<string, unknown> | undefined;
  nonNull: boolean;
  complete: Completer;
}

/** Completes a resolved value for its type (graphql-js's completeValue, specialized). */
type Completer = (value: unknown, path: Path, run: Run) => unknown;

interface Path {
  prev: Path | undefined;
  key: string | number;
  typename: string | undefined;
}

interface Run {
  plan: OperationPlan;
  args: ExecutionArgs;
  variables: Record<string, unknown>;
  fieldResolver: GraphQLFieldResolver<unknown, unknown> | undefined;
  errors: GraphQLError[];
}

// ——— Compiling ———

/** Thrown inside compilation when the operation needs the standard executor. */
class Unsupported extends Error {}

function compileOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): OperationPlan | null {
  const operation = getOperationAST(document, operationName);
  const queryType = schema.getQueryType();
  if (!operation || operation.operation !== 'query' || !queryType) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  try {
    return { operation, fragments, root: compileObject(schema, queryType, [operation.selectionSet], fragments) };
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

function compileObject(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): ObjectPlan {
  if (type.isTypeOf) throw new Unsupported();
  const grouped = new Map<string, FieldNode[]>();
  // One visited-fragments set across the merged fields' selection sets, as graphql-js's
  // collectSubfields: a fragment spread in two of them is collected once, so its fields' nodes
  // (and an error's locations) are not listed twice.
  const visited = new Set<string>();
  for (const selectionSet of selectionSets) collectFields(schema, type, selectionSet, fragments, grouped, visited);
  const fields: FieldPlan[] = [];
  for (const [responseKey, fieldNodes] of grouped) {
    const fieldName = fieldNodes[0]!.name.value;
    // Results are plain objects, which a `__proto__` key would corrupt: the standard executor.
    if (responseKey === '__proto__') throw new Unsupported();
    if (fieldName === '__typename') {
      fields.push({ responseKey, fieldName, fieldNodes, field: undefined, parentType: type, constantArgs: {}, nonNull: true, complete: (value) => value });
      continue;
    }
    const field = type.getFields()[fieldName];
    // Introspection (__schema, __type) and fields not in the schema: the standard executor.
    if (!field) throw new Unsupported();
    const subSelections = fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    fields.push({
      responseKey,
      fieldName,
      fieldNodes,
      field: field as GraphQLField<unknown, unknown>,
      parentType: type,
      constantArgs: constantArguments(field as GraphQLField<unknown, unknown>, fieldNodes[0]!),
      nonNull: isNonNullType(field.type),
      complete: compileType(schema, field.type, { subSelections, fragments, parentType: type, fieldName, fieldNodes }),
    });
  }
  return { type, fields };
}

/** graphql-js's collectFields for one concrete type, without directives (they are unsupported). */
function collectFields(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  into: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.directives && selection.directives.length > 0) throw new Unsupported();
    switch (selection.kind) {
      case Kind.FIELD: {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = into.get(key);
        if (nodes) nodes.push(selection);
        else into.set(key, [selection]);
        break;
      }
      case Kind.INLINE_FRAGMENT:
        if (appliesTo(schema, type, selection.typeCondition?.name.value)) {
          collectFields(schema, type, selection.selectionSet, fragments, into, visited);
        }
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (visited.has(name) || !fragment) break;
        visited.add(name);
        if (appliesTo(schema, type, fragment.typeCondition.name.value)) {
          collectFields(schema, type, fragment.selectionSet, fragments, into, visited);
        }
        break;
      }
    }
  }
}

/** The field's arguments, when they are the same for every request (no variable in them). */
function constantArguments(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> | undefined {
  let variables = false;
  visit(node, { Variable: () => void (variables = true), SelectionSet: () => false });
  if (variables) return undefined;
  try {
    return getArgumentValues(field, node, {});
  } catch {
    // Reported as this field's error when it runs, as graphql-js does.
    return undefined;
  }
}

function appliesTo(schema: GraphQLSchema, type: GraphQLObjectType, condition: string | undefined): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && !isObjectType(conditionType) && schema.isSubType(conditionType as never, type);
}

/** Where a completer is compiled: the field whose value it completes. */
interface FieldSite {
  subSelections: SelectionSetNode[];
  fragments: Record<string, FragmentDefinitionNode>;
  parentType: GraphQLObjectType;
  fieldName: string;
  fieldNodes: FieldNode[];
}

function compileType(schema: GraphQLSchema, type: GraphQLOutputType, site: FieldSite): Completer {
  const { parentType, fieldName } = site;
  if (isNonNullType(type)) {
    const inner = compileType(schema, type.ofType, site);
    const message = `Cannot return null for non-nullable field ${parentType.name}.${fieldName}.`;
    return (value, path, run) => {
      const completed = inner(value, path, run);
      if (isPromise(completed)) {
        return completed.then((resolved) => {
          if (resolved === null) throw new Error(message);
          return resolved;
        });
      }
      if (completed === null) throw new Error(message);
      return completed;
    };
  }
  if (isListType(type)) {
    const itemType = type.ofType as GraphQLOutputType;
    const item = compileType(schema, itemType, site);
    const itemNonNull = isNonNullType(itemType);
    const message = `Expected Iterable, but did not find one for field "${parentType.name}.${fieldName}".`;
    return (value, path, run) => {
      if (value instanceof Error) throw value;
      if (value == null) return null;
      if (typeof value !== 'object' || !(Symbol.iterator in value)) throw new GraphQLError(message);
      return completeList(value as Iterable<unknown>, item, itemNonNull, site.fieldNodes, path, run);
    };
  }
  if (isLeafType(type)) {
    return (value) => {
      if (value instanceof Error) throw value;
      if (value == null) return null;
      let serialized: unknown;
      try {
        serialized = type.serialize(value);
      } catch (error) {
        // As yoga's executor (@graphql-tools/executor): a value the scalar or enum cannot
        // serialize is the gateway's bug, not the caller's, so it is a plain Error (masked).
        throw error instanceof GraphQLError ? new Error(error.message) : error;
      }
      if (serialized == null) {
        const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
        throw new Error(`Expected \`${type.name}.serialize(${shown})\` to return non-nullable value, returned: ${String(serialized)}`);
      }
      return serialized;
    };
  }
  // Abstract types (interfaces, unions) need resolveType: the standard executor.
  if (!isObjectType(type)) throw new Unsupported();
  const plan = compileObject(schema, type, site.subSelections, site.fragments);
  return (value, path, run) => {
    if (value instanceof Error) throw value;
    if (value == null) return null;
    return runFields(plan, value, path, run);
  };
}

// ——— Running ———

function runOperation(plan: OperationPlan, args: ExecutionArgs, variables: Record<string, unknown>): ExecutionResult | Promise<ExecutionResult> {
  const run: Run = { plan, args, variables, fieldResolver: args.fieldResolver ?? undefined, errors: [] };
  const response = (data: unknown): ExecutionResult =>
    run.errors.length === 0 ? { data: data as ExecutionResult['data'] } : { errors: run.errors, data: data as ExecutionResult['data'] };
  try {
    const data = runFields(plan.root, args.rootValue, undefined, run);
    if (isPromise(data)) {
      return data.then(response, (error: unknown) => {
        run.errors.push(error as GraphQLError);
        return response(null);
      });
    }
    return response(data);
  } catch (error) {
    run.errors.push(error as GraphQLError);
    return response(null);
  }
}

/**
 * graphql-js's executeFields: every field of one object, then the object (or its promise).
 * A plain object (graphql-js makes a prototype-less one, which V8 keeps as a slow dictionary):
 * its keys are the plan's, in the plan's order, so every result of one plan shares one shape.
 */
function runFields(plan: ObjectPlan, source: unknown, path: Path | undefined, run: Run): unknown {
  const result: Record<string, unknown> = {};
  let pending: Promise<unknown>[] | undefined;
  for (const field of plan.fields) {
    const value = runField(field, source, { prev: path, key: field.responseKey, typename: plan.type.name }, run);
    result[field.responseKey] = value;
    if (isPromise(value)) (pending ??= []).push(value.then((resolved) => void (result[field.responseKey] = resolved)));
  }
  return pending ? Promise.all(pending).then(() => result) : result;
}

function runField(field: FieldPlan, source: unknown, path: Path, run: Run): unknown {
  if (!field.field) return field.parentType.name;
  try {
    const value = resolveField(field, source, path, run);
    if (isPromise(value)) {
      return value
        .then((resolved) => field.complete(resolved, path, run))
        .then(undefined, (error: unknown) => fieldError(error, field.fieldNodes, path, field.nonNull, run));
    }
    const completed = field.complete(value, path, run);
    if (isPromise(completed)) return completed.then(undefined, (error: unknown) => fieldError(error, field.fieldNodes, path, field.nonNull, run));
    return completed;
  } catch (error) {
    return fieldError(error, field.fieldNodes, path, field.nonNull, run);
  }
}

function resolveField(field: FieldPlan, source: unknown, path: Path, run: Run): unknown {
  const definition = field.field!;
  const resolver = definition.resolve ?? run.fieldResolver;
  // The default resolver reads a property; only a function-valued one needs args and info.
  if (!resolver) {
    if ((typeof source !== 'object' || source === null) && typeof source !== 'function') return undefined;
    const property = (source as Record<string, unknown>)[field.fieldName];
    if (typeof property !== 'function') return property;
  }
  const args = field.constantArgs ? { ...field.constantArgs } : getArgumentValues(definition, field.fieldNodes[0]!, run.variables);
  return (resolver ?? defaultFieldResolver)(source, args, run.args.contextValue, info(field, path, run));
}

/**
 * The resolve info yoga's executor (@graphql-tools/executor) gives a resolver: graphql-js's,
 * plus `signal`, `getAbortSignal` and `getAsyncHelpers` (which @graphql-tools/utils adds to the
 * GraphQLResolveInfo type when it is loaded).
 */
function info(field: FieldPlan, path: Path, run: Run): GraphQLResolveInfo {
  const signal = (run.args as { signal?: AbortSignal }).signal;
  const resolveInfo = {
    fieldName: field.fieldName,
    fieldNodes: field.fieldNodes,
    returnType: field.field!.type,
    parentType: field.parentType,
    path,
    schema: run.args.schema,
    fragments: run.plan.fragments,
    rootValue: run.args.rootValue,
    operation: run.plan.operation,
    variableValues: run.variables,
    signal,
    getAbortSignal: () => signal,
    getAsyncHelpers: () => ({
      promiseAll: Promise.all.bind(Promise),
      track: (values: readonly unknown[]) => {
        const waitUntil = (run.args.contextValue as { waitUntil?: (promise: Promise<unknown>) => void } | undefined)?.waitUntil;
        if (typeof waitUntil === 'function') for (const value of values) if (isPromise(value)) waitUntil(value);
      },
    }),
  };
  return resolveInfo as unknown as GraphQLResolveInfo;
}

/** graphql-js's completeListValue. */
function completeList(
  items: Iterable<unknown>,
  complete: Completer,
  itemNonNull: boolean,
  fieldNodes: readonly FieldNode[],
  path: Path,
  run: Run,
): unknown {
  const completed: unknown[] = [];
  let pending = false;
  let index = 0;
  for (const item of items) {
    const itemPath: Path = { prev: path, key: index, typename: undefined };
    try {
      let value: unknown;
      if (isPromise(item)) {
        value = item.then((resolved) => complete(resolved, itemPath, run));
      } else {
        value = complete(item, itemPath, run);
      }
      if (isPromise(value)) {
        pending = true;
        completed.push(value.then(undefined, (error: unknown) => fieldError(error, fieldNodes, itemPath, itemNonNull, run)));
      } else {
        completed.push(value);
      }
    } catch (error) {
      completed.push(fieldError(error, fieldNodes, itemPath, itemNonNull, run));
    }
    index += 1;
  }
  return pending ? Promise.all(completed) : completed;
}

/** graphql-js's handleFieldError: null and an error here, or propagate to a nullable parent. */
function fieldError(rawError: unknown, fieldNodes: readonly FieldNode[], path: Path, nonNull: boolean, run: Run): null {
  const error = locatedError(rawError, fieldNodes, pathToArray(path));
  if (nonNull) throw error;
  run.errors.push(error);
  return null;
}

function pathToArray(path: Path): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at: Path | undefined = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse();
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
