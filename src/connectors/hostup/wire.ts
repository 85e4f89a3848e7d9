/**
 * HostUp `GET /api/v2/support/tickets/{id}` (shared/vendors/hostup.md, published at
 * https://developer.hostup.se/endpoints/support/get-v2-support-tickets-id), field by field.
 *
 * Only what the mapper reads is validated, and as the page types it. The page marks every ticket
 * field optional (the schema is shared with the list endpoint), so every one is optional here but
 * the `id`, which is the ref the ticket is read back by. What DeskGraph does not map
 * (`linkedServices` and its free-form `details`, `ccEmails`, `messageCount`, `lastMessageAt`,
 * `messages[].ticketId`, `attachments[].extension`, anything new) is never looked at, so drift
 * there cannot reject a ticket. Unknown fields are stripped; enum-like strings stay strings.
 */
import { z } from 'zod';
import { attachmentList, messageList } from '../wire-limits.js';
import { fetchableRef } from '../wire-ref.js';

const optionalString = z.string().nullable().optional();

export const hostUpAttachment = z.object({
  id: z.string(),
  filename: optionalString,
  mimeType: optionalString,
  // Relative to the API host: `/api/v2/support/attachments/tatt_…?ticketId=tkt_…`.
  downloadUrl: z.string(),
});

export const hostUpMessage = z.object({
  id: z.string(),
  sentAt: optionalString,
  body: optionalString,
  sender: optionalString,
  senderName: optionalString,
  // Decides whether `body` is readable at all, so it may not be guessed.
  encrypted: z.boolean(),
  attachments: attachmentList(hostUpAttachment).nullable().optional(),
});

export const hostUpTicket = z.object({
  // The ref: `tkt_` and lower-case letters or digits.
  id: fetchableRef('HOSTUP'),
  // "Normally numeric": a string on the page; a bare number is accepted and kept as text.
  number: z.union([z.string(), z.number().transform(String)]).nullable().optional(),
  subject: optionalString,
  body: optionalString,
  status: optionalString,
  priority: optionalString,
  departmentSlug: optionalString,
  departmentName: optionalString,
  createdAt: optionalString,
  updatedAt: optionalString,
  requesterName: optionalString,
  // "Only present on ticket detail/create responses": absent means none.
  attachments: attachmentList(hostUpAttachment).nullable().optional(),
  messages: messageList(hostUpMessage).nullable().optional(),
});

/**
 * HostUp's RFC 7807 problem document, sent with every error status. Only `code` is read: "Stable
 * machine-readable code. Branch on this field, not on `detail`."
 */
export const hostUpProblem = z.object({ code: z.string() });

export type HostUpAttachment = z.output<typeof hostUpAttachment>;
export type HostUpMessage = z.output<typeof hostUpMessage>;
export type HostUpTicket = z.output<typeof hostUpTicket>;
