/**
 * The simulator's own typing of an Intercom ticket, as the public OpenAPI descriptions give it
 * (schemas `ticket`, `ticket_state`, `ticket_parts`, `ticket_part`, `ticket_part_author`,
 * `part_attachment`, `ticket_contacts`, `ticket_type`). The desk stores tickets in the 2.12+ shape
 * (object `ticket_state`, string ids); render.ts turns them into what each version sends.
 * Tickets added over `PUT /__sim/tickets` may be in any version's shape.
 */

export interface IntercomTicketStateObject {
  type: 'ticket_state';
  id: string;
  /** submitted / in_progress / waiting_on_customer / resolved */
  category: string;
  internal_label: string;
  external_label: string;
}

export interface IntercomPartAttachment {
  type: string;
  name: string;
  url: string;
  content_type: string;
  filesize: number;
  width?: number;
  height?: number;
}

export interface IntercomPartAuthor {
  /** admin / bot / team / user */
  type: string;
  id: string;
  name: string | null;
  email: string | null;
}

export interface IntercomTicketPart {
  type: 'ticket_part';
  id: string;
  part_type: string;
  body?: string | null;
  previous_ticket_state?: string;
  ticket_state?: string;
  created_at: number;
  updated_at: number;
  assigned_to?: { type: string; id: string | null } | null;
  author: IntercomPartAuthor;
  attachments: IntercomPartAttachment[];
  external_id?: string | null;
  redacted: boolean;
  /** 2.13 on: only on parts created through the API. */
  app_package_code?: string;
  /** 2.14 on: only on attribute update parts. */
  updated_attribute_data?: {
    attribute: { type: 'attribute'; id: string; label: string };
    value: { type: 'value'; id: string | null; label: string };
  } | null;
}

export interface IntercomStoredTicket {
  type: 'ticket';
  id: string;
  ticket_id: string;
  /** 2.10 on. */
  category: 'Customer' | 'Back-office' | 'Tracker';
  ticket_attributes: Record<string, unknown>;
  ticket_state: IntercomTicketStateObject | null;
  ticket_type: Record<string, unknown> | null;
  contacts: { type: 'contact.list'; contacts: { type: 'contact'; id: string; external_id: string | null }[] };
  /** "0" when nobody is assigned. */
  admin_assignee_id: string;
  team_assignee_id: string;
  created_at: number;
  updated_at: number;
  open: boolean;
  snoozed_until: number | null;
  linked_objects: { type: 'list'; data: unknown[]; total_count: number; has_more: boolean };
  ticket_parts: { type: 'ticket_part.list'; ticket_parts: IntercomTicketPart[]; total_count: number };
  is_shared: boolean;
  /** 2.16 and Preview. */
  previous_ticket_state_id: string | null;
}
