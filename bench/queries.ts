/** The operations the benchmark sends: what a dashboard asks of DeskGraph. */

const ATTACHMENT = 'id nativeId name contentType size sha256 inline url';
const PERSON = 'name email vendorId';

/** A full ticket: every field, its whole thread with bodies, and its attachments. */
export const FULL_TICKET = `query FullTicket($provider: Provider!, $ref: String!) {
  ticket(provider: $provider, ref: $ref) {
    id provider ref nativeId number subject description
    status vendorStatus statusLabel priority vendorPriority
    requester { ${PERSON} } assignee { ${PERSON} } group { id name } category
    createdAt updatedAt resolvedAt closedAt
    messages {
      id nativeId authorKind author { ${PERSON} } visibility pinned bodyFormat bodyText bodyHtml
      createdAt updatedAt attachments { ${ATTACHMENT} }
    }
    attachments { ${ATTACHMENT} }
    fetchedAt cacheStatus
  }
}`;

/** A ticket list: one card per ref, as an inbox view shows them. */
export const TICKET_CARDS = `query TicketCards($refs: [TicketRefInput!]!) {
  tickets(refs: $refs) {
    id provider ref number subject status priority requester { name email } group { name }
    updatedAt fetchedAt cacheStatus
  }
}`;
