/** TeamBattles wire → unified ticket (CONTRACT §2). Pure and synchronous. */
import { messageId } from '../../domain/global-id.js';
import type { AuthorKind, Message, Ticket, TicketStatus } from '../../domain/model.js';
import type { MapContext } from '../connector.js';
import { isoFromString, messageBody, oldestFirst, priorityFromName } from '../values.js';
import type { TeamBattlesMessage, TeamBattlesTicket } from './wire.js';

const STATUS: Record<string, TicketStatus> = {
  open: 'OPEN',
  in_progress: 'IN_PROGRESS',
  awaiting_response: 'WAITING_ON_CUSTOMER',
  resolved: 'RESOLVED',
  closed: 'CLOSED',
};

/**
 * The API key owner is always the reader, and tickets are owner-scoped, so "own message"
 * means the customer wrote it; anything neither system nor own comes from TeamBattles staff.
 */
function authorKind(message: TeamBattlesMessage): AuthorKind {
  if (message.isSystem) return 'SYSTEM';
  return message.isOwnMessage ? 'CUSTOMER' : 'AGENT';
}

export function mapTeamBattlesTicket(wire: TeamBattlesTicket, _context: MapContext): Ticket {
  const messages: Message[] = wire.messages.map((message) => ({
    id: messageId('TEAMBATTLES', wire.id, message.id),
    nativeId: message.id,
    authorKind: authorKind(message),
    // TeamBattles names no author on a message.
    author: null,
    // Internal staff notes are excluded by the vendor: everything here is public.
    visibility: 'PUBLIC',
    pinned: false,
    bodyFormat: 'TEXT',
    body: messageBody(message.content),
    createdAt: isoFromString(message.createdAt),
    updatedAt: null,
    attachments: [],
  }));

  return {
    provider: 'TEAMBATTLES',
    // `ticketNumber` is a display number the API does not accept: the id is the ref.
    ref: wire.id,
    nativeId: wire.id,
    number: String(wire.ticketNumber),
    subject: wire.subject ?? null,
    description: wire.description == null || wire.description.trim() === '' ? null : wire.description,
    status: Object.hasOwn(STATUS, wire.status) ? STATUS[wire.status]! : 'UNKNOWN',
    vendorStatus: wire.status,
    statusLabel: null,
    priority: priorityFromName(wire.priority),
    vendorPriority: wire.priority ?? null,
    requester: null,
    assignee: null,
    group: null,
    category: wire.category == null || wire.category.trim() === '' ? null : wire.category,
    createdAt: isoFromString(wire.createdAt),
    updatedAt: isoFromString(wire.updatedAt),
    resolvedAt: isoFromString(wire.resolvedAt),
    closedAt: isoFromString(wire.closedAt),
    messages: oldestFirst(messages),
    attachments: [],
  };
}
