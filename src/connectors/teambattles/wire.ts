/**
 * TeamBattles `GET /api/v1/tickets/{ticketId}` (shared/vendors/teambattles.md, published at
 * https://teambattles.gg/docs/api-reference/support/get-ticket), field by field.
 * Only what the mapper reads is validated (the response-time `timestamp` is not); unknown fields
 * are stripped and enum-like strings stay strings.
 *
 * The page's rendered example omits `status` and `priority`, but its response schema lists
 * both as required enums and the mapper needs `status`: it is required here. The four
 * timestamps are `string | null` on the page.
 */
import { z } from 'zod';
import { messageList } from '../wire-limits.js';
import { fetchableRef } from '../wire-ref.js';

const optionalString = z.string().nullable().optional();

export const teamBattlesMessage = z.object({
  id: z.string(),
  content: optionalString,
  isSystem: z.boolean(),
  isOwnMessage: z.boolean(),
  createdAt: optionalString,
});

export const teamBattlesTicket = z.object({
  // The ref: the API reads tickets by it.
  id: fetchableRef('TEAMBATTLES'),
  // "integer, required, -9007199254740991 <= x <= 9007199254740991".
  ticketNumber: z.number().int(),
  subject: optionalString,
  description: optionalString,
  category: optionalString,
  status: z.string(),
  priority: optionalString,
  createdAt: optionalString,
  updatedAt: optionalString,
  resolvedAt: optionalString,
  closedAt: optionalString,
  messages: messageList(teamBattlesMessage),
});

/**
 * TeamBattles' error envelope, `{ "error": "<code>", "details"?: "…" }`
 * (https://teambattles.gg/docs/developers/authentication, "Error Responses"). Only `error` is
 * read: "Branch on `error`, not on the human-readable `details` message."
 */
export const teamBattlesError = z.object({ error: z.string() });

export type TeamBattlesMessage = z.output<typeof teamBattlesMessage>;
export type TeamBattlesTicket = z.output<typeof teamBattlesTicket>;
