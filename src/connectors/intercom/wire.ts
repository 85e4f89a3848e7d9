/**
 * Intercom `GET /tickets/{id}`, as the public OpenAPI descriptions give it for every version
 * whose API has tickets (2.9–2.16 and Preview; see versions.ts). Only what the mapper reads is
 * validated, and loosely where versions differ: an unknown extra field or enum value never
 * rejects a ticket (zod strips unknown keys; enums are read as plain strings).
 *
 * Version differences handled here:
 * - `ticket_state`: a string up to 2.11, an object `{type, id, category, internal_label,
 *   external_label}` from 2.12 (nullable there); both are accepted whatever the version.
 * - `ticket_id`: absent in every 2.9 example; a string later.
 * - `admin_assignee_id` / `team_assignee_id`: strings up to 2.15 ("0" when unassigned), integers
 *   on 2.16 and Preview (0 when unassigned).
 */
import { z } from 'zod';
import { attachmentList } from '../wire-limits.js';
import { fetchableRef } from '../wire-ref.js';

/** Intercom documents "there is a limit of 500 parts" on `ticket_parts`. */
export const INTERCOM_MAX_TICKET_PARTS = 500;

/** Ids are strings in the descriptions, integers for assignees on 2.16 and Preview. */
const idString = z.union([z.string(), z.number().int()]).transform(String);
const optionalText = z.string().nullable().optional();
const unixSeconds = z.number().nullable().optional();

export const intercomAttachment = z.object({
  name: optionalText,
  url: optionalText,
  content_type: optionalText,
  filesize: z.number().int().nullable().optional(),
});

export const intercomTicketPart = z.object({
  id: idString,
  // A plain string: Intercom adds part types (custom_action_started, call_summary…) over time.
  part_type: z.string(),
  // "string, nullable": events (assignment, state changes) and Intercom's quick replies have none.
  body: optionalText,
  created_at: unixSeconds,
  updated_at: unixSeconds,
  // Enum admin/bot/team/user, read as a string so a new author type is UNKNOWN, not a rejection.
  author: z
    .object({ type: optionalText, id: idString.nullable().optional(), name: optionalText, email: optionalText })
    .nullable()
    .optional(),
  attachments: attachmentList(intercomAttachment).nullable().optional(),
  redacted: z.boolean().nullable().optional(),
});

/**
 * The parts, counted before any is validated: an answer over Intercom's documented 500 is not
 * the API Intercom promises, and is refused in O(1) however many elements it holds.
 */
const ticketParts = z
  .custom<unknown[]>((value) => Array.isArray(value) && value.length <= INTERCOM_MAX_TICKET_PARTS, {
    error: (issue) =>
      Array.isArray(issue.input)
        ? `holds ${issue.input.length} parts; Intercom documents at most ${INTERCOM_MAX_TICKET_PARTS}`
        : 'expected an array of ticket parts',
  })
  .pipe(z.array(intercomTicketPart));

/** 2.12 and later (and Preview): the ticket's state as an object. */
export const intercomTicketStateObject = z.object({
  category: optionalText,
  internal_label: optionalText,
});

/** A string up to 2.11, an object from 2.12 (nullable there): required, as every version sends it. */
const ticketState = z
  .union([z.string(), intercomTicketStateObject], {
    error: (issue) =>
      issue.input === undefined ? 'missing (every version sends it)' : 'expected a string (2.9–2.11), an object (2.12 and later) or null',
  })
  .nullable();

/** Only the first contact is mapped (the requester), so only it is validated. */
const contactReference = z.object({ id: idString.nullable().optional() });

export const intercomTicket = z.object({
  // The ref: the API reads tickets by it (digits).
  id: fetchableRef('INTERCOM'),
  // The Inbox display number; absent in the 2.9 examples.
  ticket_id: idString.nullable().optional(),
  // Key-value pairs whose values depend on the ticket type; title and description are strings or null.
  ticket_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  ticket_state: ticketState,
  // 2.9–2.11 only: the state's label as the inbox shows it.
  ticket_state_internal_label: optionalText,
  ticket_type: z.object({ name: optionalText }).nullable().optional(),
  contacts: z
    .object({
      contacts: z
        .array(z.unknown())
        // Output: the first contact only (the requester), or undefined.
        .transform((list) => list[0])
        .pipe(contactReference.optional()),
    })
    .nullable()
    .optional(),
  admin_assignee_id: idString.nullable().optional(),
  team_assignee_id: idString.nullable().optional(),
  created_at: unixSeconds,
  updated_at: unixSeconds,
  ticket_parts: z.object({ ticket_parts: ticketParts }),
});

/**
 * Intercom's `error` schema, the body of every failure status. Only the codes are read (the
 * client looks for `intercom_version_invalid`); messages are never passed on.
 */
export const intercomErrorList = z.object({
  type: z.literal('error.list'),
  errors: z.array(z.object({ code: optionalText })),
});

export type IntercomAttachment = z.output<typeof intercomAttachment>;
export type IntercomTicketPart = z.output<typeof intercomTicketPart>;
export type IntercomTicketState = z.output<typeof ticketState>;
export type IntercomTicket = z.output<typeof intercomTicket>;
export type IntercomErrorList = z.output<typeof intercomErrorList>;
