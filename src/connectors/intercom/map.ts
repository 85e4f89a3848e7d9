/** Intercom wire → unified ticket (CONTRACT §2). Pure and synchronous. */
import { groupOf } from '../../domain/group.js';
import { attachmentId, messageId } from '../../domain/global-id.js';
import type { Attachment, AuthorKind, Group, Message, Person, Ticket, TicketStatus, Visibility } from '../../domain/model.js';
import type { MapContext } from '../connector.js';
import { httpUrl, isoFromUnixSeconds, lookup, messageBody, NO_BODY, oldestFirst, person } from '../values.js';
import type { IntercomTicket, IntercomTicketPart, IntercomTicketState } from './wire.js';

/** `ticket_state` (≤ 2.11) or `ticket_state.category` (2.12+, Preview). */
const STATUS: Record<string, TicketStatus> = {
  submitted: 'OPEN',
  in_progress: 'IN_PROGRESS',
  waiting_on_customer: 'WAITING_ON_CUSTOMER',
  resolved: 'RESOLVED',
};

// The descriptions list admin/bot/team (2.9) and user (2.10 on); contact and lead are what
// conversation parts call customers. Anything else is UNKNOWN.
const AUTHOR: Record<string, AuthorKind> = {
  user: 'CUSTOMER',
  contact: 'CUSTOMER',
  lead: 'CUSTOMER',
  admin: 'AGENT',
  team: 'AGENT',
  bot: 'AUTOMATION',
};

/**
 * The reply types (comment, quick_reply, note) are messages even when their body is empty (an
 * image-only or redacted comment, Intercom's bodiless quick replies). Any other part type is an
 * event, and becomes a PUBLIC message only when it carries a body (`open`, `close`…).
 */
const REPLY_PARTS: Record<string, Visibility> = {
  comment: 'PUBLIC',
  quick_reply: 'PUBLIC',
  note: 'INTERNAL',
};

function partVisibility(part: IntercomTicketPart): Visibility | undefined {
  const reply = lookup(REPLY_PARTS, part.part_type);
  if (reply) return reply;
  return typeof part.body === 'string' && part.body.trim() !== '' ? 'PUBLIC' : undefined;
}

/** A ticket attribute that should be text; anything else (or blank) is null. */
function textAttribute(attributes: Record<string, unknown> | null | undefined, key: string): string | null {
  const value = attributes?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Intercom says "0" (string, ≤ 2.15) or 0 (integer, 2.16 and Preview) for "nobody". */
function assignedId(id: string | null | undefined): string | null {
  return id == null || id === '' || id === '0' ? null : id;
}

interface State {
  status: TicketStatus;
  vendorStatus: string | null;
  statusLabel: string | null;
}

/** Both forms of `ticket_state` (CONTRACT §2): the string with its label field, or the object. */
function readState(state: IntercomTicketState, stringLabel: string | null | undefined): State {
  const category = typeof state === 'string' ? state : (state?.category ?? null);
  const label = typeof state === 'string' ? stringLabel : state?.internal_label;
  return {
    status: lookup(STATUS, category) ?? 'UNKNOWN',
    vendorStatus: category,
    statusLabel: label ?? null,
  };
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
    // A redacted part keeps no body (CONTRACT: null, not ""), whatever placeholder Intercom left.
    body: part.redacted === true ? NO_BODY : messageBody(part.body),
    createdAt: isoFromUnixSeconds(part.created_at),
    updatedAt: isoFromUnixSeconds(part.updated_at),
    attachments,
  };
}

export function mapIntercomTicket(wire: IntercomTicket, _context: MapContext): Ticket {
  const messages: Message[] = [];
  for (const part of wire.ticket_parts.ticket_parts) {
    const visibility = partVisibility(part);
    if (visibility) messages.push(mapPart(wire.id, part, visibility));
  }
  const requesterId = wire.contacts?.contacts?.id ?? null;
  const adminId = assignedId(wire.admin_assignee_id);
  const teamId = assignedId(wire.team_assignee_id);
  const assignee: Person | null = adminId === null ? null : person({ vendorId: adminId });
  const group: Group | null = teamId === null ? null : groupOf('INTERCOM', teamId, null);
  const ticketNumber = wire.ticket_id == null || wire.ticket_id.trim() === '' ? null : wire.ticket_id;

  return {
    provider: 'INTERCOM',
    // `ticket_id` is the Inbox display number; the API only accepts `id`.
    ref: wire.id,
    nativeId: wire.id,
    number: ticketNumber,
    subject: textAttribute(wire.ticket_attributes, '_default_title_'),
    description: textAttribute(wire.ticket_attributes, '_default_description_'),
    ...readState(wire.ticket_state, wire.ticket_state_internal_label),
    // Intercom tickets have no priority.
    priority: null,
    vendorPriority: null,
    requester: requesterId === null ? null : person({ vendorId: requesterId }),
    assignee,
    group,
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
