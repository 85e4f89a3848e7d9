import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField } from '../../src/schema/selection.js';

/** The `messages` field of `query`, with the document's fragments, as a resolver's info has them. */
function messagesInfo(query: string) {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const ticket = operation.selectionSet.selections[0] as FieldNode;
  const messages = ticket.selectionSet!.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'messages');
  return { fieldNodes: messages, fragments };
}

const BODY = new Set(['bodyText', 'bodyHtml', 'bodyTruncated']);

describe('selectsField', () => {
  it.each([
    ['{ ticket { messages { id bodyText } } }', true],
    ['{ ticket { messages { id nativeId attachments { name } } } }', false],
    ['{ ticket { messages { ... on Message { bodyHtml } } } }', true],
    ['{ ticket { messages { ...M } } } fragment M on Message { id ...N } fragment N on Message { bodyTruncated }', true],
    ['{ ticket { messages { ...M } } } fragment M on Message { id ...M }', false],
    ['{ ticket { messages { id } messages { body: bodyText } } }', true],
    ['{ ticket { messages { attachments { bodyText: name } } } }', false],
  ])('%s → %s', (query, expected) => {
    expect(selectsField(messagesInfo(query), BODY)).toBe(expected);
  });
});
