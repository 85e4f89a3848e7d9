/**
 * Tickiti `POST /api/v1/tickets/show` (shared/vendors/tickiti.md, published as
 * https://docs.tickiti.com/topic/show_ticket_api/; the responses array is the one of
 * https://docs.tickiti.com/topic/list_responses_api/). Only what the mapper reads is validated;
 * unknown fields are stripped and enum-like strings stay strings.
 *
 * Tickiti quirks encoded here:
 * - "Numeric ids are returned as strings": every id, the ticket `number` included, may come as a
 *   digit string or a JSON integer (the page's own example sends `"number": 220009`); both are
 *   read and kept as text;
 * - the envelope is `{ ok, data }`: a 200 with `ok: false` is not the answer the API promises,
 *   so `ok` must be literally `true` (anything else is UPSTREAM_BAD_RESPONSE);
 * - timestamps carry a `+00:00` offset rather than `Z` (normalised by the mapper); `resolved` and
 *   `on_hold_until` appear only as `null` on the page: a string is read as a timestamp, anything
 *   else as none;
 * - `attachments` is the response's attachment metadata: absent or null means none.
 */
import { z } from 'zod';
import { attachmentList, messageList } from '../wire-limits.js';

const optionalString = z.string().nullable().optional();

/** A numeric id: a digit string or a non-negative integer, kept as its digits. */
const numericId = z.union([
  z.string().regex(/^\d{1,32}$/, 'must be digits'),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String),
]);

/** An id Tickiti documents as numeric but DeskGraph only passes on: any non-empty string or integer. */
const opaqueId = z.union([z.string().min(1), z.number().int().transform(String)]);

/**
 * A byte count: an integer, or the same as a digit string. `Attachment.size` is a GraphQL Int
 * (32-bit), so a size beyond it is served as unknown (null) rather than failing the field.
 */
const byteCount = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/).transform(Number)])
  .transform((bytes) => (bytes <= 2_147_483_647 ? bytes : null));

/**
 * A field the page shows only as `null` (`resolved`, `on_hold_until`): a timestamp string when it
 * is one, else null. Its type is not documented, so no other value (a boolean, a number) rejects
 * the ticket; it just carries no time.
 */
const timestampOrNothing = z.unknown().optional().transform((value) => (typeof value === 'string' ? value : null));

export const tickitiAttachment = z.object({
  id: opaqueId,
  name: optionalString,
  is_inline: z.boolean().nullable().optional(),
  // Not checked for 64 hex digits: the page's own example abbreviates it ("cc9b8a68...608baf").
  sha256: optionalString,
  file_size: byteCount.nullable().optional(),
});

export const tickitiResponse = z.object({
  id: opaqueId,
  // Required, not defaulted: guessing `false` would publish a staff-only note as PUBLIC.
  is_internal: z.boolean(),
  is_pinned: z.boolean().nullable().optional(),
  staff_response: z.boolean().nullable().optional(),
  created_by_email: optionalString,
  created_at: optionalString,
  updated_at: optionalString,
  html: optionalString,
  plain_text: optionalString,
  attachments: attachmentList(tickitiAttachment).nullable().optional(),
});

export const tickitiTicket = z.object({
  id: opaqueId,
  // The ref (Tickiti reads tickets by number only), so it must be digits.
  number: numericId,
  subject: optionalString,
  status: z.string(),
  // "20": opaque, mapped only through the configured priorityMap; an integer is read as its digits.
  priority: z.union([z.string(), z.number().int().transform(String)]).nullable().optional(),
  queue_id: z.union([z.string(), z.number().int().transform(String)]).nullable().optional(),
  originator_email: optionalString,
  assigned_to_email: optionalString,
  resolved: timestampOrNothing,
  on_hold_until: timestampOrNothing,
  created_at: optionalString,
  updated_at: optionalString,
});

export const tickitiShowData = z.object({
  ticket: tickitiTicket,
  responses: messageList(tickitiResponse),
});

export const tickitiShowResponse = z.object({
  ok: z.literal(true),
  data: tickitiShowData,
});

/**
 * A Tickiti error body. The pages name a code per status (`422 validation_failed`,
 * `404 not_found`, `401 unauthenticated`, `403 forbidden`) without showing the envelope, so the
 * code is looked for where a Tickiti-style (`{ ok: false, error: { code } }`) or Laravel-style
 * (`{ error: "code" }`, `{ code }`) body would carry it.
 */
export const tickitiError = z.union([
  z.object({ error: z.object({ code: z.string() }) }).transform((body) => body.error.code),
  z.object({ error: z.string() }).transform((body) => body.error),
  z.object({ code: z.string() }).transform((body) => body.code),
]);

export type TickitiAttachment = z.output<typeof tickitiAttachment>;
export type TickitiResponse = z.output<typeof tickitiResponse>;
export type TickitiTicket = z.output<typeof tickitiTicket>;
export type TickitiShowData = z.output<typeof tickitiShowData>;
export type TickitiShowResponse = z.output<typeof tickitiShowResponse>;
