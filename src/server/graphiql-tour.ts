/**
 * GraphiQL's default tab, one for every gateway: a tour of what the schema does, one root field
 * per idea, each with a comment saying what to notice. Over desks with known sample tickets (the
 * demo) it reads one ticket from each desk (the browser test checks all five show), a whole
 * thread with staff notes and an attachment, a refetch by global id, and the providers; over real
 * desks, whose refs it cannot know, it lists the providers and says how to read a ticket.
 */
import { ticketId } from '../domain/global-id.js';
import { PROVIDERS, type Provider } from '../domain/provider.js';

export interface TourSamples {
  /** Sample tickets on each desk. */
  perDesk: number;
  /** The ref of a desk's sample ticket `index` (0 ≤ index < perDesk). */
  ref(provider: Provider, index: number): string;
}

const HEADER = '# DeskGraph: one GraphQL API over every helpdesk.\n';

export function graphiqlTour(samples?: TourSamples): string {
  if (!samples) {
    return `${HEADER}# Press ▶ or Ctrl+Enter. Then read a ticket with
#   ticket(provider: HOSTUP, ref: "tkt_…") { subject status messages { bodyText } }
# Ctrl+Space for completion; Docs (top left) describes every field.
query Tour {
  # The desks this gateway serves.
  providers { provider configured origin }
}
`;
  }
  const { ref } = samples;
  const count = samples.perDesk;
  const range = (provider: Provider) => `${ref(provider, 0)}-${ref(provider, count - 1)}`;
  const inbox = PROVIDERS.map((provider, index) => `    { provider: ${provider}, ref: "${ref(provider, index)}" }`).join('\n');
  return `${HEADER}# The demo desks are five vendor simulators with
# ${count} sample tickets each. Press ▶ or Ctrl+Enter.
#
# Then try:
# - another ref in inbox: Headoni ${range('HEADONI')},
#   Tickiti ${range('TICKITI')}
# - a ref that does not exist: null, and an error
#   that names it
# - Ctrl+Space for completion; Docs (top left)
#   describes every field
query Tour {
  # 1. One ticket from each desk, one Ticket type
  #    whatever the vendor: answered in the order
  #    asked, each distinct ticket read once.
  inbox: tickets(refs: [
${inbox}
  ]) {
    ...TicketRow
  }

  # 2. A whole thread, oldest first, staff notes
  #    included (add visibility: INTERNAL for only
  #    those). bodyHtml is sanitized, safe to
  #    render; bodyText is plain text.
  thread: ticket(provider: TICKITI, ref: "${ref('TICKITI', 3)}") {
    subject
    status
    messages {
      authorKind
      visibility
      author { name email }
      createdAt
      bodyText
      attachments { name contentType size }
    }
  }

  # 3. Relay-style refetch: any Ticket.id is a
  #    global id that node(id) reads again.
  byId: node(id: "${ticketId('HOSTUP', ref('HOSTUP', 2))}") {
    id
    ... on Ticket { provider ref subject status }
  }

  # 4. The desks this gateway serves.
  providers { provider configured origin }
}

fragment TicketRow on Ticket {
  id
  provider
  ref
  number
  subject
  status
  vendorStatus
  priority
  requester { name email }
  group { name }
  updatedAt
  cacheStatus
}
`;
}
