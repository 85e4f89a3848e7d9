/**
 * Headoni `GET /api/v1/tickets/{idOrNumber}` (shared/vendors/headoni.md, published as
 * https://docs.headoni.com/llms/api/get-ticket; value types from
 * https://docs.headoni.com/docs/api/overview). Only what the mapper reads is validated: fields it
 * does not map (`status.id`, `ticketType.id`, anything new) are never looked at, so their drift
 * cannot reject a ticket. Unknown fields are stripped; enum-like strings stay strings (an unknown
 * value maps to UNKNOWN/null, it is not an error).
 */
import { z } from 'zod';
import { messageList } from '../wire-limits.js';
import { fetchableRef } from '../wire-ref.js';

const optionalString = z.string().nullable().optional();

export const headoniMessage = z.object({
  id: z.string(),
  authorKind: optionalString,
  bodyMd: optionalString,
  createdAt: optionalString,
});

export const headoniTicket = z.object({
  // The ref: Headoni reads tickets by it. "Every id in a response is a string" (overview page).
  id: fetchableRef('HEADONI'),
  // "A short, per-desk number (an integer)" (overview page).
  number: z.number().int().nonnegative(),
  subject: optionalString,
  priority: optionalString,
  status: z.object({ label: optionalString, internalType: z.string() }),
  // "requester.email and requester.name may be null if the user record lacks them."
  requester: z.object({ email: optionalString, name: optionalString }).nullable().optional(),
  department: z.object({ id: optionalString, name: optionalString }).nullable().optional(),
  ticketType: z.object({ name: optionalString }).nullable().optional(),
  createdAt: optionalString,
  updatedAt: optionalString,
  messages: messageList(headoniMessage),
});

export const headoniTicketResponse = z.object({ ticket: headoniTicket });

/**
 * Headoni's error envelope: `{ "error": "<code>", "detail"?: "…", "issues"?: […] }`
 * (https://docs.headoni.com/docs/api/overview, "Errors"). Only `error` is read.
 */
export const headoniError = z.object({ error: z.string() });

export type HeadoniTicket = z.output<typeof headoniTicket>;
export type HeadoniTicketResponse = z.output<typeof headoniTicketResponse>;
