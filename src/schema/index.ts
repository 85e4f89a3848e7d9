/** Assembles the schema: each module registers its types on the builder; this only builds. */
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import { guardEntities } from './entities.js';
import './scalars.js';
import './enums.js';
import './message.js';
import './ticket.js';
import './provider-info.js';

let schema: GraphQLSchema | undefined;

/** The federation v2 subgraph schema DeskGraph serves (`_service`, `_entities` included). */
export function buildSchema(): GraphQLSchema {
  if (!schema) {
    schema = builder.toSubGraphSchema({
      linkUrl: 'https://specs.apollo.dev/federation/v2.6',
      federationDirectives: ['@key'],
    });
    guardEntities(schema);
  }
  return schema;
}

/** The SDL that `schema.graphql` holds: the subgraph SDL with `@link` and `@key`. */
export function printSchemaSdl(): string {
  return `${printSubgraphSchema(buildSchema()).trim()}\n`;
}
