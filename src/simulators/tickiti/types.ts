/**
 * Tickiti's Show ticket payload as its docs publish it (https://docs.tickiti.com/topic/show_ticket_api/,
 * https://docs.tickiti.com/topic/list_responses_api/). The simulator's own copy, written from
 * the vendor's pages, never from DeskGraph's connector. "Numeric ids are returned as strings";
 * the page's own example still sends the ticket `number` as an integer, so both occur.
 */
export interface TickitiSimAttachment {
  id: string;
  response_id: string;
  name: string;
  is_inline: boolean;
  sha256: string;
  file_size: number;
  file_size_formatted: string;
  extension_rule: string;
}

export interface TickitiSimResponse {
  id: string;
  is_internal: boolean;
  is_pinned: boolean;
  staff_response: boolean;
  created_by_email: string;
  created_at: string;
  updated_at: string;
  is_email_sourced: boolean;
  html: string;
  plain_text: string;
  /** Attachment metadata; a response without files may leave it out or send null. */
  attachments?: TickitiSimAttachment[] | null;
}

export interface TickitiSimTicket {
  id: string;
  number: number | string;
  subject: string | null;
  status: string;
  priority: string;
  queue_id: string | null;
  originator_email: string | null;
  assigned_to_email: string | null;
  resolved: string | null;
  on_hold_until: string | null;
  created_at: string;
  updated_at: string;
}

/** The `data` of a successful `{ ok: true, data }` answer. */
export interface TickitiSimShowData {
  ticket: TickitiSimTicket;
  responses: TickitiSimResponse[];
}
