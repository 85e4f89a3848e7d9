/** Tickiti wire → unified ticket (CONTRACT §2). Pure and synchronous. */
import { attachmentId, messageId } from '../../domain/global-id.js';
import type { Attachment, Message, Ticket, TicketPriority, TicketStatus } from '../../domain/model.js';
import type { MapContext } from '../connector.js';
import { isoFromString, messageBody, oldestFirst, person } from '../values.js';
import type { TickitiResponse, TickitiShowData, TickitiTicket } from './wire.js';

const STATUS: Record<string, TicketStatus> = {
  open: 'OPEN',
  closed: 'CLOSED',
  resolved: 'RESOLVED',
};

/**
 * Tickiti has no "on hold" status: a ticket is put on hold by setting `on_hold_until`, and its
 * `status` stays as it was. A hold still in the future at read time wins over the status.
 */
function statusOf(ticket: TickitiTicket, now: number): TicketStatus {
  const holdUntil = ticket.on_hold_until ? Date.parse(ticket.on_hold_until) : Number.NaN;
  if (!Number.isNaN(holdUntil) && holdUntil > now) return 'ON_HOLD';
  return Object.hasOwn(STATUS, ticket.status) ? STATUS[ticket.status]! : 'UNKNOWN';
}

/**
 * Tickiti priorities are opaque numeric strings ("20") whose meaning each installation
 * chooses, so only the configured `priorityMap` can name them. `hasOwn` keeps a vendor value
 * such as "constructor" from reading the object's prototype.
 */
function priorityOf(value: string | null | undefined, context: MapContext): TicketPriority | null {
  if (value == null || !Object.hasOwn(context.priorityMap, value)) return null;
  return context.priorityMap[value] ?? null;
}

function mapResponse(ticketId: string, response: TickitiResponse): Message {
  // "Any attachment metadata": absent or null means the response has none.
  const attachments: Attachment[] = (response.attachments ?? []).map((attachment) => ({
    id: attachmentId('TICKITI', ticketId, attachment.id),
    nativeId: attachment.id,
    name: attachment.name ?? null,
    contentType: null,
    size: attachment.file_size ?? null,
    sha256: attachment.sha256 ?? null,
    inline: attachment.is_inline ?? false,
    // Bytes come from a separate authenticated download endpoint; there is no public URL.
    url: null,
  }));
  return {
    id: messageId('TICKITI', ticketId, response.id),
    nativeId: response.id,
    authorKind: response.staff_response == null ? 'UNKNOWN' : response.staff_response ? 'AGENT' : 'CUSTOMER',
    author: person({ email: response.created_by_email ?? null }),
    visibility: response.is_internal ? 'INTERNAL' : 'PUBLIC',
    pinned: response.is_pinned ?? false,
    bodyFormat: 'HTML',
    // `html` is the raw stored body (email-sourced ones carry Outlook markup), sanitized when
    // rendered; the vendor's own plain text is the better text when it has one.
    body: messageBody(response.html, response.plain_text ?? null),
    createdAt: isoFromString(response.created_at),
    updatedAt: isoFromString(response.updated_at),
    attachments,
  };
}

export function mapTickitiTicket(wire: TickitiShowData, context: MapContext): Ticket {
  const { ticket } = wire;
  // Already text: "numeric ids are returned as strings", and an integer is read as its digits.
  const number = ticket.number;
  return {
    provider: 'TICKITI',
    // Tickiti reads tickets by number only, so the number is the fetchable ref.
    ref: number,
    nativeId: ticket.id,
    number,
    subject: ticket.subject ?? null,
    description: null,
    status: statusOf(ticket, context.now),
    vendorStatus: ticket.status,
    statusLabel: null,
    priority: priorityOf(ticket.priority, context),
    vendorPriority: ticket.priority ?? null,
    requester: person({ email: ticket.originator_email ?? null }),
    assignee: person({ email: ticket.assigned_to_email ?? null }),
    group: ticket.queue_id == null ? null : { id: ticket.queue_id, name: null },
    category: null,
    createdAt: isoFromString(ticket.created_at),
    updatedAt: isoFromString(ticket.updated_at),
    resolvedAt: isoFromString(ticket.resolved),
    closedAt: null,
    // Tickiti sends pinned responses first, then oldest to newest; the contract wants oldest
    // first everywhere (`pinned` stays on each message).
    messages: oldestFirst(wire.responses.map((response) => mapResponse(ticket.id, response))),
    // Tickiti has no ticket-level attachments; GraphQL appends each message's.
    attachments: [],
  };
}
