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

/**
 * The same ticket and thread without any body field (no `bodyText`, `bodyHtml` or
 * `bodyTruncated`): a miss for it renders no body (issue 9).
 */
export const TICKET_NO_BODIES = FULL_TICKET.replace('query FullTicket', 'query TicketNoBodies').replace(' bodyFormat bodyText bodyHtml', ' bodyFormat');

/** What the hostile-content reads select: the bodies, and whether each was cut. */
export const TICKET_BODIES = `query TicketBodies($provider: Provider!, $ref: String!) {
  ticket(provider: $provider, ref: $ref) { ref cacheStatus messages { bodyText bodyHtml bodyTruncated } }
}`;

/** A ticket list: one card per ref, as an inbox view shows them. */
export const TICKET_CARDS = `query TicketCards($refs: [TicketRefInput!]!) {
  tickets(refs: $refs) {
    id provider ref number subject status priority requester { name email } group { name }
    updatedAt fetchedAt cacheStatus
  }
}`;
