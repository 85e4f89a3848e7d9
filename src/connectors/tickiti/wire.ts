/**
 * Tickiti `POST /api/v1/tickets/show` (shared/vendors/tickiti.md), field by field.
 * Unknown fields are tolerated (zod strips them); what the mapper needs is required.
 *
 * Tickiti quirks encoded here:
 * - numeric ids travel as strings ("42"), but the ticket `number` is a JSON integer;
 * - the envelope is `{ ok, data }`: a 200 with `ok: false` is not the answer the API promises,
 *   so `ok` must be literally `true` (anything else is UPSTREAM_BAD_RESPONSE);
 * - timestamps carry a `+00:00` offset rather than `Z` (normalised by the mapper).
 */
import { z } from 'zod';

export const tickitiAttachment = z.object({
  id: z.string(),
  response_id: z.string().optional(),
  name: z.string().nullable().optional(),
  is_inline: z.boolean(),
  // Not checked for 64 hex digits: the page's own example abbreviates it ("cc9b8a68...608baf").
  sha256: z.string().nullable().optional(),
  file_size: z.number().int().nonnegative().nullable().optional(),
  file_size_formatted: z.string().nullable().optional(),
  extension_rule: z.string().nullable().optional(),
});

export const tickitiResponse = z.object({
  id: z.string(),
  // Required, not defaulted: guessing `false` would publish a staff-only note as PUBLIC.
  is_internal: z.boolean(),
  is_pinned: z.boolean(),
  staff_response: z.boolean(),
  created_by_email: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  is_email_sourced: z.boolean().optional(),
  html: z.string().nullable().optional(),
  plain_text: z.string().nullable().optional(),
  attachments: z.array(tickitiAttachment),
});

export const tickitiTicket = z.object({
  id: z.string().min(1),
  // The ref (Tickiti reads tickets by number only), so it must print as digits.
  number: z.number().int().nonnegative(),
  subject: z.string().nullable().optional(),
  status: z.string(),
  priority: z.string().nullable().optional(),
  queue_id: z.string().nullable().optional(),
  originator_email: z.string().nullable().optional(),
  assigned_to_email: z.string().nullable().optional(),
  resolved: z.string().nullable().optional(),
  on_hold_until: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
});

export const tickitiShowData = z.object({
  ticket: tickitiTicket,
  responses: z.array(tickitiResponse),
});

export const tickitiShowResponse = z.object({
  ok: z.literal(true),
  data: tickitiShowData,
});

export type TickitiAttachment = z.output<typeof tickitiAttachment>;
export type TickitiResponse = z.output<typeof tickitiResponse>;
export type TickitiTicket = z.output<typeof tickitiTicket>;
export type TickitiShowData = z.output<typeof tickitiShowData>;
export type TickitiShowResponse = z.output<typeof tickitiShowResponse>;
