/**
 * DateTime (ISO 8601, UTC, milliseconds) and JSON. Tickets carry timestamps already
 * normalised by the mappers, so serialising is a pass-through on the hot path.
 */
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('DateTime must be an ISO 8601 string such as "2026-06-04T15:21:09.000Z".');
  }
  return new Date(value).toISOString();
}

builder.scalarType('DateTime', {
  description: 'ISO 8601 date-time in UTC with milliseconds, e.g. "2026-06-04T15:21:09.000Z".',
  serialize: (value) => value,
  parseValue: parseDateTime,
});

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literal(field.value)]));
    default:
      throw new GraphQLError('JSON literals cannot use variables or enums.');
  }
}

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});
