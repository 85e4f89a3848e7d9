/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DashboardTickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    provider\n    ref\n    number\n    subject\n    status\n    priority\n    requester {\n      name\n      email\n    }\n    updatedAt\n    messages {\n      authorKind\n      visibility\n      createdAt\n      bodyText\n    }\n  }\n}": typeof types.DashboardTicketsDocument,
    "fragment FullTicket on Ticket {\n  id\n  provider\n  ref\n  nativeId\n  number\n  subject\n  description\n  status\n  vendorStatus\n  statusLabel\n  priority\n  vendorPriority\n  requester {\n    name\n    email\n    vendorId\n  }\n  assignee {\n    name\n    email\n    vendorId\n  }\n  group {\n    id\n    vendorId\n    name\n  }\n  category\n  createdAt\n  updatedAt\n  resolvedAt\n  closedAt\n  messages {\n    id\n    nativeId\n    authorKind\n    author {\n      name\n      email\n      vendorId\n    }\n    visibility\n    pinned\n    bodyFormat\n    bodyText\n    bodyHtml\n    createdAt\n    updatedAt\n    attachments {\n      id\n      nativeId\n      name\n      contentType\n      size\n      sha256\n      inline\n      url\n    }\n  }\n  attachments {\n    id\n    nativeId\n    name\n    contentType\n    size\n    sha256\n    inline\n    url\n  }\n  fetchedAt\n  cacheStatus\n}\n\nquery Ticket($provider: Provider!, $ref: String!) {\n  ticket(provider: $provider, ref: $ref) {\n    ...FullTicket\n  }\n}\n\nquery TicketMessages($provider: Provider!, $ref: String!, $visibility: Visibility) {\n  ticket(provider: $provider, ref: $ref) {\n    id\n    messages(visibility: $visibility) {\n      nativeId\n      visibility\n      bodyText\n    }\n  }\n}\n\nquery Tickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    id\n    provider\n    ref\n    subject\n    cacheStatus\n  }\n}\n\nquery Node($id: ID!) {\n  node(id: $id) {\n    id\n    ... on Ticket {\n      provider\n      ref\n      subject\n    }\n  }\n}\n\nquery Providers {\n  providers {\n    provider\n    configured\n    origin\n    timeoutMs\n    ttlSeconds\n  }\n}": typeof types.FullTicketFragmentDoc,
};
const documents: Documents = {
    "query DashboardTickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    provider\n    ref\n    number\n    subject\n    status\n    priority\n    requester {\n      name\n      email\n    }\n    updatedAt\n    messages {\n      authorKind\n      visibility\n      createdAt\n      bodyText\n    }\n  }\n}": types.DashboardTicketsDocument,
    "fragment FullTicket on Ticket {\n  id\n  provider\n  ref\n  nativeId\n  number\n  subject\n  description\n  status\n  vendorStatus\n  statusLabel\n  priority\n  vendorPriority\n  requester {\n    name\n    email\n    vendorId\n  }\n  assignee {\n    name\n    email\n    vendorId\n  }\n  group {\n    id\n    vendorId\n    name\n  }\n  category\n  createdAt\n  updatedAt\n  resolvedAt\n  closedAt\n  messages {\n    id\n    nativeId\n    authorKind\n    author {\n      name\n      email\n      vendorId\n    }\n    visibility\n    pinned\n    bodyFormat\n    bodyText\n    bodyHtml\n    createdAt\n    updatedAt\n    attachments {\n      id\n      nativeId\n      name\n      contentType\n      size\n      sha256\n      inline\n      url\n    }\n  }\n  attachments {\n    id\n    nativeId\n    name\n    contentType\n    size\n    sha256\n    inline\n    url\n  }\n  fetchedAt\n  cacheStatus\n}\n\nquery Ticket($provider: Provider!, $ref: String!) {\n  ticket(provider: $provider, ref: $ref) {\n    ...FullTicket\n  }\n}\n\nquery TicketMessages($provider: Provider!, $ref: String!, $visibility: Visibility) {\n  ticket(provider: $provider, ref: $ref) {\n    id\n    messages(visibility: $visibility) {\n      nativeId\n      visibility\n      bodyText\n    }\n  }\n}\n\nquery Tickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    id\n    provider\n    ref\n    subject\n    cacheStatus\n  }\n}\n\nquery Node($id: ID!) {\n  node(id: $id) {\n    id\n    ... on Ticket {\n      provider\n      ref\n      subject\n    }\n  }\n}\n\nquery Providers {\n  providers {\n    provider\n    configured\n    origin\n    timeoutMs\n    ttlSeconds\n  }\n}": types.FullTicketFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardTickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    provider\n    ref\n    number\n    subject\n    status\n    priority\n    requester {\n      name\n      email\n    }\n    updatedAt\n    messages {\n      authorKind\n      visibility\n      createdAt\n      bodyText\n    }\n  }\n}"): (typeof documents)["query DashboardTickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    provider\n    ref\n    number\n    subject\n    status\n    priority\n    requester {\n      name\n      email\n    }\n    updatedAt\n    messages {\n      authorKind\n      visibility\n      createdAt\n      bodyText\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment FullTicket on Ticket {\n  id\n  provider\n  ref\n  nativeId\n  number\n  subject\n  description\n  status\n  vendorStatus\n  statusLabel\n  priority\n  vendorPriority\n  requester {\n    name\n    email\n    vendorId\n  }\n  assignee {\n    name\n    email\n    vendorId\n  }\n  group {\n    id\n    vendorId\n    name\n  }\n  category\n  createdAt\n  updatedAt\n  resolvedAt\n  closedAt\n  messages {\n    id\n    nativeId\n    authorKind\n    author {\n      name\n      email\n      vendorId\n    }\n    visibility\n    pinned\n    bodyFormat\n    bodyText\n    bodyHtml\n    createdAt\n    updatedAt\n    attachments {\n      id\n      nativeId\n      name\n      contentType\n      size\n      sha256\n      inline\n      url\n    }\n  }\n  attachments {\n    id\n    nativeId\n    name\n    contentType\n    size\n    sha256\n    inline\n    url\n  }\n  fetchedAt\n  cacheStatus\n}\n\nquery Ticket($provider: Provider!, $ref: String!) {\n  ticket(provider: $provider, ref: $ref) {\n    ...FullTicket\n  }\n}\n\nquery TicketMessages($provider: Provider!, $ref: String!, $visibility: Visibility) {\n  ticket(provider: $provider, ref: $ref) {\n    id\n    messages(visibility: $visibility) {\n      nativeId\n      visibility\n      bodyText\n    }\n  }\n}\n\nquery Tickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    id\n    provider\n    ref\n    subject\n    cacheStatus\n  }\n}\n\nquery Node($id: ID!) {\n  node(id: $id) {\n    id\n    ... on Ticket {\n      provider\n      ref\n      subject\n    }\n  }\n}\n\nquery Providers {\n  providers {\n    provider\n    configured\n    origin\n    timeoutMs\n    ttlSeconds\n  }\n}"): (typeof documents)["fragment FullTicket on Ticket {\n  id\n  provider\n  ref\n  nativeId\n  number\n  subject\n  description\n  status\n  vendorStatus\n  statusLabel\n  priority\n  vendorPriority\n  requester {\n    name\n    email\n    vendorId\n  }\n  assignee {\n    name\n    email\n    vendorId\n  }\n  group {\n    id\n    vendorId\n    name\n  }\n  category\n  createdAt\n  updatedAt\n  resolvedAt\n  closedAt\n  messages {\n    id\n    nativeId\n    authorKind\n    author {\n      name\n      email\n      vendorId\n    }\n    visibility\n    pinned\n    bodyFormat\n    bodyText\n    bodyHtml\n    createdAt\n    updatedAt\n    attachments {\n      id\n      nativeId\n      name\n      contentType\n      size\n      sha256\n      inline\n      url\n    }\n  }\n  attachments {\n    id\n    nativeId\n    name\n    contentType\n    size\n    sha256\n    inline\n    url\n  }\n  fetchedAt\n  cacheStatus\n}\n\nquery Ticket($provider: Provider!, $ref: String!) {\n  ticket(provider: $provider, ref: $ref) {\n    ...FullTicket\n  }\n}\n\nquery TicketMessages($provider: Provider!, $ref: String!, $visibility: Visibility) {\n  ticket(provider: $provider, ref: $ref) {\n    id\n    messages(visibility: $visibility) {\n      nativeId\n      visibility\n      bodyText\n    }\n  }\n}\n\nquery Tickets($refs: [TicketRefInput!]!) {\n  tickets(refs: $refs) {\n    id\n    provider\n    ref\n    subject\n    cacheStatus\n  }\n}\n\nquery Node($id: ID!) {\n  node(id: $id) {\n    id\n    ... on Ticket {\n      provider\n      ref\n      subject\n    }\n  }\n}\n\nquery Providers {\n  providers {\n    provider\n    configured\n    origin\n    timeoutMs\n    ttlSeconds\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;