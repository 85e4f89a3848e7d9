/**
 * TeamBattles `GET /api/v1/tickets/{ticketId}` (shared/vendors/teambattles.md), field by field.
 * Unknown fields are tolerated (zod strips them); what the mapper needs is required.
 *
 * The page's rendered example omits `status` and `priority`, but its response schema lists
 * both as required enums and the mapper needs `status`: it is required here. The four
 * timestamps are `string | null` on the page.
 */
import { z } from 'zod';
import { fetchableRef } from '../wire-ref.js';

export const teamBattlesMessage = z.object({
  id: z.string(),
  content: z.string().nullable().optional(),
  isSystem: z.boolean(),
  isOwnMessage: z.boolean(),
  createdAt: z.string().nullable().optional(),
});

export const teamBattlesTicket = z.object({
  // The ref: the API reads tickets by it.
  id: fetchableRef('TEAMBATTLES'),
  ticketNumber: z.number().int(),
  subject: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  status: z.string(),
  priority: z.string().nullable().optional(),
  createdAt: z.string().nullable().optional(),
  updatedAt: z.string().nullable().optional(),
  resolvedAt: z.string().nullable().optional(),
  closedAt: z.string().nullable().optional(),
  messages: z.array(teamBattlesMessage),
  /** When the vendor produced the answer; not part of the ticket. */
  timestamp: z.string().optional(),
});

export type TeamBattlesMessage = z.output<typeof teamBattlesMessage>;
export type TeamBattlesTicket = z.output<typeof teamBattlesTicket>;
