/**
 * Federation's `_entities(representations: [_Any!]!)` as CONTRACT §6 wants it. The resolver
 * @apollo/subgraph provides trusts the router: a representation that is not an object, or names
 * a type the subgraph does not have, throws for the whole list (INTERNAL_SERVER_ERROR, `data`
 * null), and nothing bounds how many representations one request sends. Wrapped here:
 *
 * - more than `limits.refs` representations: BAD_USER_INPUT, and the request reads no ticket;
 * - each representation counts towards `limits.ticketsPerRequest` (repeats included);
 * - a representation that is not an object with the `__typename` of an entity is null with
 *   BAD_USER_INPUT at its own index; the others are served.
 *
 * Caller mistakes are GraphQLErrors with a code, so they are never masked nor logged as errors.
 */
import { GraphQLError, isUnionType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from './context.js';
import { toGraphQLError } from './errors.js';

export function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()['_entities'];
  const resolve = field?.resolve;
  if (!field || !resolve) return;
  const union = schema.getType('_Entity');
  const entityTypes = new Set(isUnionType(union) ? union.getTypes().map((type) => type.name) : []);

  const guarded: GraphQLFieldResolver<unknown, GatewayContext> = (source, args, context, info) => {
    const representations = args['representations'] as unknown[];
    // Over limits.refs or limits.ticketsPerRequest (server/request-budget.ts): the request reads no ticket.
    const refusal = context.budget.fieldRefusal(info.path.key);
    if (refusal) throw toGraphQLError(refusal);
    return representations.map((representation, index) => {
      const problem = representationProblem(representation, entityTypes);
      if (problem !== undefined) {
        // A rejection, not a throw: only this item is null (the list itself is non-null).
        return Promise.reject(
          new GraphQLError(`Representation ${index} of _entities ${problem}.`, { extensions: { code: 'BAD_USER_INPUT' } }),
        );
      }
      const [one] = resolve(source, { representations: [representation] }, context, info) as unknown[];
      return one;
    });
  };
  field.resolve = guarded as GraphQLFieldResolver<unknown, unknown>;
}

function representationProblem(representation: unknown, entityTypes: ReadonlySet<string>): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return 'is not an object: send { __typename: "Ticket", id } or { __typename: "Ticket", provider, ref }';
  }
  const typename = (representation as { __typename?: unknown }).__typename;
  if (typeof typename !== 'string' || !entityTypes.has(typename)) {
    return `has no __typename of an entity of this subgraph (${[...entityTypes].map((name) => `"${name}"`).join(', ')})`;
  }
  return undefined;
}
