/** HostUp wire → unified ticket (CONTRACT §2). Pure and synchronous. */
import { attachmentId, messageId } from '../../domain/global-id.js';
import type { Attachment, AuthorKind, Message, Ticket, TicketStatus } from '../../domain/model.js';
import type { MapContext } from '../connector.js';
import { httpUrl, isoFromString, lookup, messageBody, NO_BODY, oldestFirst, person, priorityFromName } from '../values.js';
import type { HostUpAttachment, HostUpTicket } from './wire.js';

const STATUS: Record<string, TicketStatus> = {
  open: 'OPEN',
  // The customer wrote last: the ticket is open again for staff.
  customer_reply: 'OPEN',
  in_progress: 'IN_PROGRESS',
  // Staff answered last: the ball is with the customer.
  answered: 'WAITING_ON_CUSTOMER',
  on_hold: 'ON_HOLD',
  closed: 'CLOSED',
  unknown: 'UNKNOWN',
};

const SENDER: Record<string, AuthorKind> = {
  customer: 'CUSTOMER',
  staff: 'AGENT',
  automation: 'AUTOMATION',
};

function mapAttachment(ticketId: string, attachment: HostUpAttachment, context: MapContext): Attachment {
  return {
    id: attachmentId('HOSTUP', ticketId, attachment.id),
    nativeId: attachment.id,
    name: attachment.filename ?? null,
    contentType: attachment.mimeType ?? null,
    size: null,
    sha256: null,
    inline: false,
    // HostUp sends a path on its own host; the gateway's callers need a full URL.
    url: absoluteHttpUrl(context, attachment.downloadUrl),
  };
}

/** downloadUrl made absolute against the provider's baseUrl; one that is no http(s) URL is null. */
function absoluteHttpUrl(context: MapContext, pathOrUrl: string): string | null {
  try {
    return httpUrl(context.absoluteUrl(pathOrUrl));
  } catch {
    return null;
  }
}

export function mapHostUpTicket(wire: HostUpTicket, context: MapContext): Ticket {
  const messages: Message[] = (wire.messages ?? []).map((message) => ({
    id: messageId('HOSTUP', wire.id, message.id),
    nativeId: message.id,
    authorKind: lookup(SENDER, message.sender) ?? 'UNKNOWN',
    author: person({ name: message.senderName ?? null }),
    // HostUp's API has no internal notes.
    visibility: 'PUBLIC',
    pinned: false,
    bodyFormat: 'TEXT',
    // An encrypted message has no readable body, whatever `body` holds.
    body: message.encrypted ? NO_BODY : messageBody(message.body),
    createdAt: isoFromString(message.sentAt),
    updatedAt: null,
    attachments: (message.attachments ?? []).map((attachment) => mapAttachment(wire.id, attachment, context)),
  }));

  return {
    provider: 'HOSTUP',
    // The route also takes the number "during migration"; the tkt_ id is the lasting ref.
    ref: wire.id,
    nativeId: wire.id,
    number: wire.number ?? null,
    subject: wire.subject ?? null,
    description: wire.body ?? null,
    status: lookup(STATUS, wire.status) ?? 'UNKNOWN',
    vendorStatus: wire.status ?? null,
    statusLabel: null,
    priority: priorityFromName(wire.priority),
    vendorPriority: wire.priority ?? null,
    requester: person({ name: wire.requesterName ?? null }),
    assignee: null,
    group:
      wire.departmentSlug || wire.departmentName
        ? { id: wire.departmentSlug ?? null, name: wire.departmentName ?? null }
        : null,
    category: null,
    createdAt: isoFromString(wire.createdAt),
    updatedAt: isoFromString(wire.updatedAt),
    resolvedAt: null,
    closedAt: null,
    messages: oldestFirst(messages),
    // Root attachments only; GraphQL appends each message's after them.
    attachments: (wire.attachments ?? []).map((attachment) => mapAttachment(wire.id, attachment, context)),
  };
}
