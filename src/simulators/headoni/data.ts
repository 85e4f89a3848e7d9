/**
 * Headoni sample desk: the shared threads in Headoni's shape (public messages, Markdown), with
 * the edge values its pages allow: requesters whose email or name is null ("may be null if the
 * user record lacks them"), a null subject, and a ticket without department or ticket type.
 */
import { minutesAfter, SAMPLE_THREADS, sampleOpenedAt, type SampleRole } from '../sample-threads.js';
import type { HeadoniSimMessage, HeadoniSimTicket } from './types.js';

const STATUSES = [
  { internalType: 'open', label: 'Open' },
  { internalType: 'awaiting_reply', label: 'Awaiting reply' },
  { internalType: 'resolved', label: 'Resolved' },
  { internalType: 'closed', label: 'Closed' },
] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const AUTHOR: Record<Exclude<SampleRole, 'note'>, HeadoniSimMessage['authorKind']> = {
  customer: 'end_user',
  agent: 'agent',
  system: 'system',
  automation: 'automation',
};

/** Headoni ids are 19-digit snowflakes; numbers are per-desk and start at 1240. */
export function headoniTicketId(index: number): string {
  return String(1490375649312800768n + BigInt(index) * 4096n);
}

/** Sample tickets whose user record lacks an email (13: and a name too; 21: the name is kept). */
const NO_EMAIL = new Set([13, 21]);
/** A sample ticket with a null subject, no department and a null ticket type. */
export const HEADONI_BARE_TICKET_INDEX = 17;

export function headoniSampleTickets(): HeadoniSimTicket[] {
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const id = headoniTicketId(index);
    const status = STATUSES[index % STATUSES.length]!;
    // Headoni's API returns public messages only: internal notes never leave it.
    const visible = thread.messages.filter((message) => message.role !== 'note');
    const last = visible.at(-1)?.at ?? 0;
    const bare = index === HEADONI_BARE_TICKET_INDEX;
    const requester = NO_EMAIL.has(index)
      ? { email: null, name: index === 13 ? null : thread.customer.name }
      : index % 7 === 6
        ? { email: thread.customer.email, name: null }
        : { ...thread.customer };
    const ticket: HeadoniSimTicket = {
      id,
      number: 1240 + index,
      subject: bare ? null : thread.subject,
      priority: PRIORITIES[index % PRIORITIES.length]!,
      status: { id: String(1490300000000000001n + BigInt(index % 4)), ...status },
      requester,
      department: { id: `14902000000000000${10 + (thread.team.slug.length % 3)}`, name: thread.team.name },
      ticketType: bare ? null : { id: `1490100000000000${100 + index}`, name: thread.category },
      createdAt: opened.toISOString(),
      updatedAt: minutesAfter(opened, last).toISOString(),
      messages: visible.map((message, position) => ({
        id: String(BigInt(id) + 1n + BigInt(position)),
        authorKind: AUTHOR[message.role as Exclude<SampleRole, 'note'>],
        bodyMd: message.text,
        createdAt: minutesAfter(opened, message.at).toISOString(),
      })),
    };
    if (bare) delete ticket.department;
    return ticket;
  });
}
