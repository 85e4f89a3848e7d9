/**
 * Headoni `GET /api/v1/tickets/{idOrNumber}` (shared/vendors/headoni.md), field by field.
 * Unknown fields are tolerated (zod strips them); what the mapper needs is required.
 */
import { z } from 'zod';
import { fetchableRef } from '../wire-ref.js';

export const headoniMessage = z.object({
  id: z.string(),
  authorKind: z.string(),
  bodyMd: z.string().nullable().optional(),
  createdAt: z.string().nullable().optional(),
});

export const headoniTicket = z.object({
  // The ref: Headoni reads tickets by it (digits).
  id: fetchableRef('HEADONI'),
  number: z.number().int(),
  subject: z.string().nullable().optional(),
  priority: z.string().nullable().optional(),
  status: z.object({
    id: z.string().optional(),
    label: z.string().nullable().optional(),
    internalType: z.string(),
  }),
  requester: z
    .object({ email: z.string().nullable().optional(), name: z.string().nullable().optional() })
    .nullable()
    .optional(),
  department: z.object({ id: z.string().nullable().optional(), name: z.string().nullable().optional() }).nullable().optional(),
  ticketType: z.object({ id: z.string().optional(), name: z.string().nullable().optional() }).nullable().optional(),
  createdAt: z.string().nullable().optional(),
  updatedAt: z.string().nullable().optional(),
  messages: z.array(headoniMessage),
});

export const headoniTicketResponse = z.object({ ticket: headoniTicket });

export type HeadoniTicket = z.output<typeof headoniTicket>;
export type HeadoniTicketResponse = z.output<typeof headoniTicketResponse>;
