/**
 * HostUp sample desk: the shared threads in HostUp's shape. Plain-text bodies, the opening
 * body repeated as the first message (as the page's example does), files sent with the
 * opening message as root attachments, no internal notes (HostUp's API has none).
 *
 * Edge values the page allows: encrypted messages (no readable body), `linkedServices[].details`
 * in whatever shape the linked service chooses (null, nested, lists), and one ticket sending only
 * its id, number, status and messages (every other ticket field is optional on the page).
 */
import { minutesAfter, SAMPLE_THREADS, sampleOpenedAt, type SampleMessage, type SampleThread } from '../sample-threads.js';
import type { HostUpSimAttachment, HostUpSimLinkedService, HostUpSimMessage, HostUpSimTicket } from './types.js';

const STATUSES = ['open', 'customer_reply', 'in_progress', 'answered', 'on_hold', 'closed', 'unknown'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent', 'critical'] as const;
const DEPARTMENTS: Record<string, [string, string]> = {
  billing: ['billing', 'Billing'],
  technical: ['technical-support', 'Technical support'],
  accounts: ['accounts', 'Accounts'],
};

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A ULID-like, lower-case, 26-character id body: `01` + time-ish prefix + a deterministic tail. */
function ulid(seed: number): string {
  let state = (seed * 2654435761 + 97) >>> 0;
  let out = '01hx';
  while (out.length < 26) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += CROCKFORD[(state >>> 16) & 31];
  }
  return out;
}

export function hostUpTicketId(index: number): string {
  return `tkt_${ulid(index + 1)}`;
}

/** Customer-facing six-digit numbers, as the page's `930734`. */
export function hostUpTicketNumber(index: number): string {
  return String(149_943 + index * 37);
}

function linkedServices(thread: SampleThread, index: number): HostUpSimLinkedService[] {
  const domain = thread.customer.email.split('@')[1] ?? 'example.com';
  if (thread.team.slug === 'technical' && index % 2 === 0) {
    return [
      {
        serviceType: 'vps',
        serviceId: `vps_${ulid(1000 + index)}`,
        serviceName: `app-${String(index + 1).padStart(2, '0')}`,
        details: { status: 'active', planName: 'VPS XS', ipAddress: `192.0.2.${10 + index}` },
      },
    ];
  }
  if (index === HOSTUP_DRIFTED_SERVICE_INDEX) {
    // `details` is the linked service's own object: its shape follows that service, not the ticket API.
    return [
      {
        serviceType: 'dedicated',
        serviceId: null,
        serviceName: null,
        details: { status: { code: 3, label: 'Suspended' }, ips: ['192.0.2.44', '2001:db8::44'], nextDueAt: 1767225600 },
      },
      { serviceType: 'email', serviceId: `mail_${ulid(3000 + index)}`, serviceName: domain, details: null },
    ];
  }
  if (thread.team.slug === 'billing' || thread.category === 'Domains') {
    return [
      {
        serviceType: 'hosting',
        serviceId: `acct_${ulid(2000 + index)}`,
        serviceName: domain,
        details: { status: 'Active', hostname: domain, nextDueAt: '2026-12-01T00:00:00.000Z' },
      },
    ];
  }
  return [];
}

function sender(thread: SampleThread, message: SampleMessage): Pick<HostUpSimMessage, 'sender' | 'senderName'> {
  switch (message.role) {
    case 'customer':
      return { sender: 'customer', senderName: thread.customer.name };
    case 'agent':
      return { sender: 'staff', senderName: thread.agent.name };
    case 'automation':
      return { sender: 'automation', senderName: 'HostUp Assistant' };
    default:
      // System events carry no person's name.
      return { sender: 'automation', senderName: null };
  }
}

/** A sample ticket whose linked services carry `details` in other shapes (nested, lists, null). */
export const HOSTUP_DRIFTED_SERVICE_INDEX = 13;
/** A sample ticket that sends only the fields it must: id, number, status, messages. */
export const HOSTUP_BARE_TICKET_INDEX = 17;

export function hostUpSampleTickets(): HostUpSimTicket[] {
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const id = hostUpTicketId(index);
    // HostUp's API never returns internal notes.
    const visible = thread.messages.filter((message) => message.role !== 'note');
    const iso = (minutes: number) => minutesAfter(opened, minutes).toISOString();
    let nextAttachment = 0;
    const attach = (message: SampleMessage): HostUpSimAttachment[] => {
      if (!message.attachment) return [];
      const attachmentId = `tatt_${ulid(5000 + index * 10 + nextAttachment++)}`;
      return [
        {
          id: attachmentId,
          filename: message.attachment.name,
          extension: message.attachment.name.split('.').pop() ?? null,
          mimeType: message.attachment.contentType,
          downloadUrl: `/api/v2/support/attachments/${attachmentId}?ticketId=${id}`,
        },
      ];
    };
    const opening = visible[0];
    // Files sent with the opening message belong to the ticket itself.
    const rootAttachments = opening && opening.at === 0 ? attach(opening) : [];
    const messages: HostUpSimMessage[] = visible.map((message, position) => {
      // A message the customer asked to scrub is stored encrypted: no body comes back.
      const encrypted = message.text === '';
      return {
        id: `tmsg_${ulid(10_000 + index * 50 + position)}`,
        ticketId: id,
        sentAt: iso(message.at),
        body: encrypted ? null : message.text,
        ...sender(thread, message),
        encrypted,
        attachments: position === 0 && rootAttachments.length > 0 ? [] : attach(message),
      };
    });
    const last = visible.at(-1)?.at ?? 0;
    const [slug, name] = DEPARTMENTS[thread.team.slug] ?? [thread.team.slug, thread.team.name];
    const domain = thread.customer.email.split('@')[1] ?? 'example.com';

    if (index === HOSTUP_BARE_TICKET_INDEX) {
      return { id, number: hostUpTicketNumber(index), status: STATUSES[index % STATUSES.length]!, messages };
    }
    return {
      id,
      number: hostUpTicketNumber(index),
      subject: thread.subject,
      body: opening?.text ?? null,
      status: STATUSES[index % STATUSES.length]!,
      priority: PRIORITIES[index % PRIORITIES.length]!,
      departmentSlug: slug,
      // departmentName is nullable: a department renamed away keeps only its slug.
      departmentName: index % 11 === 10 ? null : name,
      createdAt: opened.toISOString(),
      updatedAt: iso(last),
      lastMessageAt: iso(last),
      ccEmails: index % 4 === 1 ? [`ops@${domain}`] : [],
      requesterName: thread.customer.name,
      messageCount: messages.length,
      linkedServices: linkedServices(thread, index),
      attachments: rootAttachments,
      messages,
    };
  });
}
