/**
 * Intercom `GET /tickets/{id}` (shared/vendors/intercom.md), field by field. Unknown fields are
 * tolerated (zod strips them); what the mapper needs is required. The page types every field
 * loosely, so only the ticket's identity, state, attributes and parts are insisted on.
 */
import { z } from 'zod';
import { fetchableRef } from '../wire-ref.js';

/** Intercom ids are documented as strings, but admin and author ids come back as numbers on some API versions. */
const idString = z.union([z.string(), z.number()]).transform(String);

export const intercomAttachment = z.object({
  type: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  content_type: z.string().nullable().optional(),
  filesize: z.number().int().nullable().optional(),
  width: z.number().int().nullable().optional(),
  height: z.number().int().nullable().optional(),
});

export const intercomTicketPart = z.object({
  type: z.string().optional(),
  id: idString,
  part_type: z.string(),
  // "string,null": events (assignment, state changes) have no body.
  body: z.string().nullable().optional(),
  previous_ticket_state: z.string().nullable().optional(),
  ticket_state: z.string().nullable().optional(),
  created_at: z.number().nullable().optional(),
  updated_at: z.number().nullable().optional(),
  assigned_to: z.object({ type: z.string().optional(), id: idString.nullable().optional() }).nullable().optional(),
  // The page lists id, name and email; `type` (user, admin, bot, team…) is what Intercom also sends.
  author: z
    .object({
      type: z.string().nullable().optional(),
      id: idString.nullable().optional(),
      name: z.string().nullable().optional(),
      email: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  attachments: z.array(intercomAttachment).nullable().optional(),
  external_id: z.string().nullable().optional(),
  redacted: z.boolean().nullable().optional(),
});

export const intercomTicket = z.object({
  type: z.string().optional(),
  // The ref: the API reads tickets by it (digits).
  id: fetchableRef('INTERCOM'),
  ticket_id: z.string(),
  // Key-value pairs whose values depend on the ticket type; title and description are strings.
  ticket_attributes: z.record(z.string(), z.unknown()),
  ticket_state: z.string(),
  ticket_state_internal_label: z.string().nullable().optional(),
  ticket_state_external_label: z.string().nullable().optional(),
  ticket_type: z
    .object({
      type: z.string().optional(),
      id: idString.optional(),
      name: z.string().nullable().optional(),
      description: z.string().nullable().optional(),
      icon: z.string().nullable().optional(),
      workspace_id: z.string().optional(),
      // Form definitions the gateway does not use; kept loose.
      ticket_type_attributes: z.unknown().optional(),
      archived: z.boolean().optional(),
      created_at: z.number().nullable().optional(),
      updated_at: z.number().nullable().optional(),
    })
    .nullable()
    .optional(),
  contacts: z
    .object({
      type: z.string().optional(),
      contacts: z.array(z.object({ type: z.string().optional(), id: z.string(), external_id: z.string().nullable().optional() })),
    })
    .nullable()
    .optional(),
  admin_assignee_id: idString.nullable().optional(),
  team_assignee_id: idString.nullable().optional(),
  created_at: z.number().nullable().optional(),
  updated_at: z.number().nullable().optional(),
  ticket_parts: z.object({
    type: z.string().optional(),
    ticket_parts: z.array(intercomTicketPart),
    total_count: z.number().int().optional(),
  }),
  is_shared: z.boolean().optional(),
});

/** Intercom's error body for every failure status (the page's 401 shape). */
export const intercomErrorList = z.object({
  type: z.literal('error.list'),
  request_id: z.string().nullable().optional(),
  errors: z.array(
    z.object({
      code: z.string(),
      message: z.string().nullable().optional(),
      field: z.string().nullable().optional(),
    }),
  ),
});

/** The page's `Intercom-Version` enum. */
export const INTERCOM_VERSIONS = [
  '1.0', '1.1', '1.2', '1.3', '1.4',
  '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9', '2.10', '2.11',
  'Unstable',
] as const;

export type IntercomAttachment = z.output<typeof intercomAttachment>;
export type IntercomTicketPart = z.output<typeof intercomTicketPart>;
export type IntercomTicket = z.output<typeof intercomTicket>;
export type IntercomTicketInput = z.input<typeof intercomTicket>;
export type IntercomErrorList = z.output<typeof intercomErrorList>;
