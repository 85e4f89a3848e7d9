/**
 * Ticket, the Node interface, and the queries that return tickets: `ticket`, `tickets`, `node`.
 * Ticket is a federation entity keyed by `id` and by `provider ref`; every path to a ticket
 * goes through the request's loader, so duplicates are read once.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { DeskGraphError } from '../domain/errors.js';
import { decodeTicketId, ticketId } from '../domain/global-id.js';
import type { Attachment, Message, TicketRead } from '../domain/model.js';
import { isProvider, type Provider } from '../domain/provider.js';
import type { Caller } from '../domain/caller.js';
import { indexAttachments } from './attachment-owners.js';
import type { GatewayContext } from './context.js';
import { builder } from './builder.js';
import { CacheStatusEnum, ProviderEnum, TicketPriorityEnum, TicketStatusEnum, VisibilityEnum } from './enums.js';
import { graphqlResult, toGraphQLError } from './errors.js';
import { AttachmentRef, BODY_FIELDS, GroupRef, MessageRef, PersonRef } from './message.js';
import { selectsField } from './selection.js';

/** Most refs one `tickets` call accepts by default (CONTRACT §1; `limits.refs`). */
export const MAX_TICKET_REFS = 100;

export const NodeRef = builder.interfaceRef<TicketRead>('Node').implement({
  fields: (t) => ({ id: t.id({ resolve: (read) => ticketId(read.ticket.provider, read.ticket.ref) }) }),
  // Tickets are the only nodes today.
  resolveType: () => 'Ticket',
});

export const TicketRef = builder.objectRef<TicketRead>('Ticket');

TicketRef.implement({
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id({
      description: 'Opaque global id; node(id) returns this ticket.',
      resolve: (read) => ticketId(read.ticket.provider, read.ticket.ref),
    }),
    provider: t.field({ type: ProviderEnum, resolve: (read) => read.ticket.provider }),
    ref: t.string({
      description: 'The canonical ref: ticket(provider, ref) always finds this ticket.',
      resolve: (read) => read.ticket.ref,
    }),
    nativeId: t.string({ description: "The vendor's primary id.", resolve: (read) => read.ticket.nativeId }),
    number: t.string({ nullable: true, description: 'The human-facing ticket number.', resolve: (read) => read.ticket.number }),
    subject: t.string({ nullable: true, resolve: (read) => read.ticket.subject }),
    description: t.string({
      nullable: true,
      description: 'Opening body, where the vendor keeps one apart from messages.',
      resolve: (read) => read.ticket.description,
    }),
    status: t.field({ type: TicketStatusEnum, resolve: (read) => read.ticket.status }),
    vendorStatus: t.string({ nullable: true, resolve: (read) => read.ticket.vendorStatus }),
    statusLabel: t.string({ nullable: true, resolve: (read) => read.ticket.statusLabel }),
    priority: t.field({ type: TicketPriorityEnum, nullable: true, resolve: (read) => read.ticket.priority }),
    vendorPriority: t.string({ nullable: true, resolve: (read) => read.ticket.vendorPriority }),
    requester: t.field({ type: PersonRef, nullable: true, resolve: (read) => read.ticket.requester }),
    assignee: t.field({ type: PersonRef, nullable: true, resolve: (read) => read.ticket.assignee }),
    group: t.field({ type: GroupRef, nullable: true, resolve: (read) => read.ticket.group }),
    category: t.string({ nullable: true, resolve: (read) => read.ticket.category }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (read) => read.ticket.createdAt }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (read) => read.ticket.updatedAt }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (read) => read.ticket.resolvedAt }),
    closedAt: t.field({ type: 'DateTime', nullable: true, resolve: (read) => read.ticket.closedAt }),
    messages: t.field({
      type: [MessageRef],
      description: 'Oldest first; vendor order breaks ties.',
      args: { visibility: t.arg({ type: VisibilityEnum, required: false }) },
      resolve: (read, { visibility }, context, info) => {
        indexAttachments(read.ticket);
        const visible = visibleMessages(read, context.caller);
        const messages = visibility ? visible.filter((message) => message.visibility === visibility) : visible;
        // Bodies are rendered only when asked for, all of the thread's at once, in parallel.
        if (messages.length === 0 || !selectsField(info, BODY_FIELDS)) return messages;
        return context.bodies.renderThread(read.ticket, messages).then(() => messages);
      },
    }),
    attachments: t.field({
      type: [AttachmentRef],
      description: "Ticket-level attachments, then each message's, in message order.",
      resolve: (read, _args, context) => {
        indexAttachments(read.ticket);
        return allAttachments(read, context.caller);
      },
    }),
    fetchedAt: t.field({
      type: 'DateTime',
      description: 'When the gateway read it from the vendor.',
      resolve: (read) => read.fetchedAt,
    }),
    cacheStatus: t.field({ type: CacheStatusEnum, resolve: (read) => read.cacheStatus }),
  }),
});

/**
 * The messages this caller may know of. A key without `internal` sees a thread in which staff
 * notes never existed: not returned whatever the `visibility` argument, not counted, and their
 * attachments not listed.
 */
function visibleMessages(read: TicketRead, caller: Caller): Message[] {
  const { messages } = read.ticket;
  return caller.internal ? messages : messages.filter((message) => message.visibility !== 'INTERNAL');
}

function allAttachments(read: TicketRead, caller: Caller): Attachment[] {
  const { attachments } = read.ticket;
  const messages = visibleMessages(read, caller);
  return messages.some((message) => message.attachments.length > 0)
    ? [...attachments, ...messages.flatMap((message) => message.attachments)]
    : attachments;
}

type TicketKeyRepresentation = { id: string } | { provider: Provider; ref: string };

builder.asEntity(TicketRef, {
  key: [builder.selection<{ id: string }>('id'), builder.selection<{ provider: Provider; ref: string }>('provider ref')],
  resolveReference: (representation: TicketKeyRepresentation, context) => {
    let key;
    try {
      key = 'id' in representation ? decodeTicketId(String(representation.id)) : representation;
      // Representations are plain JSON from the router: check them as input, not trust them.
      if (!isProvider(key.provider) || typeof key.ref !== 'string') {
        throw new DeskGraphError('BAD_USER_INPUT', 'A Ticket representation needs an id, or a provider and a ref.');
      }
    } catch (error) {
      // A rejection, not a throw: a synchronous throw fails the whole `_entities` list (and,
      // as it is non-null, `data`), where one bad representation must only null its own item.
      return Promise.reject(toGraphQLError(error));
    }
    return graphqlResult(context.tickets.load({ provider: key.provider, ref: key.ref }));
  },
});

/** Fails a root field that is itself over the request's budget (server/request-budget.ts). */
function admit(context: GatewayContext, info: GraphQLResolveInfo): void {
  const refusal = context.budget.fieldRefusal(info.path.key);
  if (refusal) throw toGraphQLError(refusal);
}

const TicketRefInput = builder.inputType('TicketRefInput', {
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, required: true }),
    ref: t.string({ required: true }),
  }),
});

builder.queryType({});
builder.mutationType({});

builder.mutationFields((t) => ({
  refreshTicket: t.field({
    type: TicketRef,
    nullable: true,
    description:
      "Reads the ticket from the vendor now (through the provider's budget and single flight) and replaces the cached copy on every replica: a dashboard's refresh button, or a vendor webhook. Needs a key that may read the provider (FORBIDDEN otherwise, without a vendor call). When the vendor fails and a copy is cached, that copy is served with cacheStatus STALE.",
    args: {
      provider: t.arg({ type: ProviderEnum, required: true }),
      ref: t.arg.string({ required: true }),
    },
    resolve: (_root, { provider, ref }, context, info) => {
      admit(context, info);
      return graphqlResult(context.refresh({ provider, ref }));
    },
  }),
}));

builder.queryFields((t) => ({
  ticket: t.field({
    type: TicketRef,
    nullable: true,
    description: 'One ticket with its whole thread; null with an error when it cannot be read.',
    args: {
      provider: t.arg({ type: ProviderEnum, required: true }),
      ref: t.arg.string({ required: true }),
    },
    resolve: (_root, { provider, ref }, context, info) => {
      admit(context, info);
      return graphqlResult(context.tickets.load({ provider, ref }));
    },
  }),
  tickets: t.field({
    type: [TicketRef],
    nullable: { list: false, items: true },
    description: `Many tickets across providers, in the order of refs (at most ${MAX_TICKET_REFS} by default: limits.refs); a ref that fails is null with its own error.`,
    args: { refs: t.arg({ type: [TicketRefInput], required: true }) },
    resolve: (_root, { refs }, context, info) => {
      admit(context, info);
      // One promise per item: a rejected one is null at its index with its own error.
      return refs.map(({ provider, ref }) => graphqlResult(context.tickets.load({ provider, ref })));
    },
  }),
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: 'Any node by its global id (today: tickets).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context, info) => {
      admit(context, info);
      let key;
      try {
        key = decodeTicketId(String(id));
      } catch (error) {
        throw toGraphQLError(error instanceof DeskGraphError ? error : new DeskGraphError('BAD_USER_INPUT', String(error)));
      }
      return graphqlResult(context.tickets.load(key));
    },
  }),
}));
