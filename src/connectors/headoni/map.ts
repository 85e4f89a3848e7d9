/** Headoni wire → unified ticket (CONTRACT §2). Pure and synchronous. */
import { messageId } from '../../domain/global-id.js';
import type { AuthorKind, Message, Ticket, TicketStatus } from '../../domain/model.js';
import { isoFromString, lookup, messageBody, oldestFirst, person, priorityFromName } from '../values.js';
import type { HeadoniTicket } from './wire.js';

const STATUS: Record<string, TicketStatus> = {
  open: 'OPEN',
  awaiting_reply: 'WAITING_ON_CUSTOMER',
  resolved: 'RESOLVED',
  closed: 'CLOSED',
};

const AUTHOR: Record<string, AuthorKind> = {
  agent: 'AGENT',
  end_user: 'CUSTOMER',
  system: 'SYSTEM',
  automation: 'AUTOMATION',
};

export function mapHeadoniTicket(wire: HeadoniTicket): Ticket {
  const messages: Message[] = wire.messages.map((message) => ({
    id: messageId('HEADONI', wire.id, message.id),
    nativeId: message.id,
    authorKind: lookup(AUTHOR, message.authorKind) ?? 'UNKNOWN',
    author: null,
    // Headoni's API returns public messages only.
    visibility: 'PUBLIC',
    pinned: false,
    bodyFormat: 'MARKDOWN',
    body: messageBody(message.bodyMd),
    createdAt: isoFromString(message.createdAt),
    updatedAt: null,
    attachments: [],
  }));

  return {
    provider: 'HEADONI',
    // Headoni accepts a number or an id; the id is the stable one.
    ref: wire.id,
    nativeId: wire.id,
    number: String(wire.number),
    subject: wire.subject ?? null,
    description: null,
    status: lookup(STATUS, wire.status.internalType) ?? 'UNKNOWN',
    vendorStatus: wire.status.internalType,
    statusLabel: wire.status.label ?? null,
    priority: priorityFromName(wire.priority),
    vendorPriority: wire.priority ?? null,
    requester: person({ name: wire.requester?.name ?? null, email: wire.requester?.email ?? null }),
    assignee: null,
    group: wire.department ? { id: wire.department.id ?? null, name: wire.department.name ?? null } : null,
    category: wire.ticketType?.name ?? null,
    createdAt: isoFromString(wire.createdAt),
    updatedAt: isoFromString(wire.updatedAt),
    resolvedAt: null,
    closedAt: null,
    messages: oldestFirst(messages),
    attachments: [],
  };
}
