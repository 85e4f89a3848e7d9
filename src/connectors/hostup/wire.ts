/**
 * HostUp `GET /api/v2/support/tickets/{id}` (shared/vendors/hostup.md), field by field.
 * Unknown fields are tolerated (zod strips them). The page marks every ticket field optional
 * because the schema is shared with the list endpoint; on this detail response the id,
 * number, status and messages are always sent and the mapper needs them, so they are required.
 */
import { z } from 'zod';
import { fetchableRef } from '../wire-ref.js';

export const hostUpAttachment = z.object({
  id: z.string(),
  filename: z.string().nullable(),
  extension: z.string().nullable().optional(),
  mimeType: z.string().nullable(),
  // Relative to the API host: `/api/v2/support/attachments/tatt_…?ticketId=tkt_…`.
  downloadUrl: z.string(),
});

export const hostUpMessage = z.object({
  id: z.string(),
  ticketId: z.string().optional(),
  sentAt: z.string().nullable(),
  body: z.string().nullable(),
  sender: z.string(),
  senderName: z.string().nullable().optional(),
  // Decides whether `body` is readable at all, so it may not be guessed.
  encrypted: z.boolean(),
  attachments: z.array(hostUpAttachment).default([]),
});

export const hostUpLinkedService = z.object({
  serviceType: z.string(),
  serviceId: z.string().nullable(),
  serviceName: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const hostUpTicket = z.object({
  // The ref: `tkt_` and lower-case letters or digits.
  id: fetchableRef('HOSTUP'),
  // "Normally numeric": a string on the page; a bare number is accepted and kept as text.
  number: z.union([z.string(), z.number()]).transform(String),
  subject: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  status: z.string(),
  priority: z.string().nullable().optional(),
  departmentSlug: z.string().nullable().optional(),
  departmentName: z.string().nullable().optional(),
  createdAt: z.string().nullable().optional(),
  updatedAt: z.string().nullable().optional(),
  lastMessageAt: z.string().nullable().optional(),
  ccEmails: z.array(z.string()).optional(),
  requesterName: z.string().nullable().optional(),
  messageCount: z.number().int().optional(),
  linkedServices: z.array(hostUpLinkedService).optional(),
  attachments: z.array(hostUpAttachment).default([]),
  messages: z.array(hostUpMessage),
});

/** HostUp's RFC 7807 problem document, sent with every error status. */
export const hostUpProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  timestamp: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string().optional(), detail: z.string(), code: z.string().optional() })).optional(),
});

export type HostUpAttachment = z.output<typeof hostUpAttachment>;
export type HostUpMessage = z.output<typeof hostUpMessage>;
export type HostUpTicket = z.output<typeof hostUpTicket>;
export type HostUpProblem = z.output<typeof hostUpProblem>;
