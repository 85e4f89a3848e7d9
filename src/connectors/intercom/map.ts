/** Intercom wire → unified ticket (CONTRACT §2). Pure and synchronous. */
import { attachmentId, messageId } from '../../domain/global-id.js';
import type { Attachment, AuthorKind, Message, Ticket, TicketStatus, Visibility } from '../../domain/model.js';
import type { MapContext } from '../connector.js';
import { httpUrl, isoFromUnixSeconds, lookup, messageBody, NO_BODY, oldestFirst, person } from '../values.js';
import type { IntercomTicket, IntercomTicketPart } from './wire.js';

const STATUS: Record<string, TicketStatus> = {
  submitted: 'OPEN',
  in_progress: 'IN_PROGRESS',
  waiting_on_customer: 'WAITING_ON_CUSTOMER',
  resolved: 'RESOLVED',
};

// The page only says "a bot, admin, team or user"; the full list is CONTRACT §2's.
const AUTHOR: Record<string, AuthorKind> = {
  user: 'CUSTOMER',
  contact: 'CUSTOMER',
  lead: 'CUSTOMER',
  admin: 'AGENT',
  team: 'AGENT',
  bot: 'AUTOMATION',
};

/** Only comments and notes are messages; every other part type is an event (assignment, state change…). */
const MESSAGE_PARTS: Record<string, Visibility> = {
  comment: 'PUBLIC',
  note: 'INTERNAL',
};

/** A ticket attribute that should be text; anything else (or blank) is null. */
function textAttribute(attributes: Record<string, unknown>, key: string): string | null {
  const value = attributes[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}


function mapPart(ticketId: string, part: IntercomTicketPart, visibility: Visibility): Message {
  const attachments: Attachment[] = (part.attachments ?? []).map((attachment, index) => ({
    // Intercom attachments have no id of their own: the part id and position identify them.
    id: attachmentId('INTERCOM', ticketId, `${part.id}/${index}`),
    nativeId: null,
    name: attachment.name ?? null,
    contentType: attachment.content_type ?? null,
    size: attachment.filesize ?? null,
    sha256: null,
    inline: false,
    url: httpUrl(attachment.url),
  }));
  return {
    id: messageId('INTERCOM', ticketId, part.id),
    nativeId: part.id,
    authorKind: lookup(AUTHOR, part.author?.type) ?? 'UNKNOWN',
    author: person({ name: part.author?.name ?? null, email: part.author?.email ?? null, vendorId: part.author?.id ?? null }),
    visibility,
    pinned: false,
    bodyFormat: 'HTML',
    // A redacted part may keep a placeholder body; either way nothing readable is left.
    body: part.redacted === true ? NO_BODY : messageBody(part.body),
    createdAt: isoFromUnixSeconds(part.created_at),
    updatedAt: isoFromUnixSeconds(part.updated_at),
    attachments,
  };
}

export function mapIntercomTicket(wire: IntercomTicket, _context: MapContext): Ticket {
  const messages: Message[] = [];
  for (const part of wire.ticket_parts.ticket_parts) {
    const visibility = lookup(MESSAGE_PARTS, part.part_type);
    if (visibility) messages.push(mapPart(wire.id, part, visibility));
  }
  const requester = wire.contacts?.contacts[0];

  return {
    provider: 'INTERCOM',
    // `ticket_id` is the Inbox display number; the API only accepts `id`.
    ref: wire.id,
    nativeId: wire.id,
    number: wire.ticket_id,
    subject: textAttribute(wire.ticket_attributes, '_default_title_'),
    description: textAttribute(wire.ticket_attributes, '_default_description_'),
    status: lookup(STATUS, wire.ticket_state) ?? 'UNKNOWN',
    vendorStatus: wire.ticket_state,
    statusLabel: wire.ticket_state_internal_label ?? null,
    // Intercom tickets have no priority.
    priority: null,
    vendorPriority: null,
    requester: requester ? person({ vendorId: requester.id }) : null,
    assignee: person({ vendorId: wire.admin_assignee_id ?? null }),
    group: wire.team_assignee_id ? { id: wire.team_assignee_id, name: null } : null,
    category: wire.ticket_type?.name ?? null,
    createdAt: isoFromUnixSeconds(wire.created_at),
    updatedAt: isoFromUnixSeconds(wire.updated_at),
    resolvedAt: null,
    closedAt: null,
    messages: oldestFirst(messages),
    // Intercom keeps attachments on parts only; GraphQL appends them to the ticket's list.
    attachments: [],
  };
}
