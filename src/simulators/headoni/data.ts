/** Headoni sample desk: the shared threads in Headoni's shape (public messages, Markdown). */
import type { HeadoniTicket } from '../../connectors/headoni/wire.js';
import { minutesAfter, SAMPLE_THREADS, sampleOpenedAt, type SampleRole } from '../sample-threads.js';

const STATUSES = [
  { internalType: 'open', label: 'Open' },
  { internalType: 'awaiting_reply', label: 'Awaiting reply' },
  { internalType: 'resolved', label: 'Resolved' },
  { internalType: 'closed', label: 'Closed' },
] as const;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const AUTHOR: Record<Exclude<SampleRole, 'note'>, string> = {
  customer: 'end_user',
  agent: 'agent',
  system: 'system',
  automation: 'automation',
};

/** Headoni ids are 19-digit snowflakes; numbers are per-desk and start at 1240. */
export function headoniTicketId(index: number): string {
  return String(1490375649312800768n + BigInt(index) * 4096n);
}

export function headoniSampleTickets(): HeadoniTicket[] {
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const id = headoniTicketId(index);
    const status = STATUSES[index % STATUSES.length]!;
    // Headoni's API returns public messages only: internal notes never leave it.
    const visible = thread.messages.filter((message) => message.role !== 'note');
    const last = visible.at(-1)?.at ?? 0;
    return {
      id,
      number: 1240 + index,
      subject: thread.subject,
      priority: PRIORITIES[index % PRIORITIES.length]!,
      status: { id: String(1490300000000000001n + BigInt(index % 4)), ...status },
      requester: index % 7 === 6 ? { email: thread.customer.email, name: null } : { ...thread.customer },
      department: { id: `14902000000000000${10 + (thread.team.slug.length % 3)}`, name: thread.team.name },
      ticketType: { id: `1490100000000000${100 + index}`, name: thread.category },
      createdAt: opened.toISOString(),
      updatedAt: minutesAfter(opened, last).toISOString(),
      messages: visible.map((message, position) => ({
        id: String(BigInt(id) + 1n + BigInt(position)),
        authorKind: AUTHOR[message.role as Exclude<SampleRole, 'note'>],
        bodyMd: message.text,
        createdAt: minutesAfter(opened, message.at).toISOString(),
      })),
    };
  });
}
