/**
 * TeamBattles sample desk: the shared threads as seen by the API key owner (the customer).
 * The opening message is the ticket's `description`; the thread holds the replies after it.
 * Internal notes are excluded by the vendor; bots and automations post as `isSystem`.
 * Ids are cuid-like (`cm…`, 25 lower-case letters and digits).
 */
import { createHash } from 'node:crypto';
import { minutesAfter, SAMPLE_THREADS, sampleOpenedAt } from '../sample-threads.js';
import type { TeamBattlesSimMessage, TeamBattlesSimTicket } from './types.js';

const STATUSES = ['open', 'in_progress', 'awaiting_response', 'resolved', 'closed'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

/** A deterministic cuid-like id: "c", a base-36 time, then hash characters. */
function cuidLike(time: Date, seed: string): string {
  const stamp = time.getTime().toString(36).padStart(8, '0');
  return `c${stamp}${createHash('sha256').update(seed).digest('hex').slice(0, 16)}`;
}

export function teamBattlesTicketId(index: number): string {
  return cuidLike(sampleOpenedAt(index), `teambattles:ticket:${index}`);
}

export function teamBattlesSampleTickets(): TeamBattlesSimTicket[] {
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const status = STATUSES[index % STATUSES.length]!;
    // The vendor never returns internal staff notes.
    const [opening, ...replies] = thread.messages.filter((message) => message.role !== 'note');
    const messages: TeamBattlesSimMessage[] = replies.map((message, position) => {
      const at = minutesAfter(opened, message.at);
      return {
        id: cuidLike(at, `teambattles:message:${index}:${position}`),
        content: message.text,
        isSystem: message.role === 'system' || message.role === 'automation',
        isOwnMessage: message.role === 'customer',
        createdAt: at.toISOString(),
      };
    });
    const lastAt = minutesAfter(opened, thread.messages.at(-1)?.at ?? 0);
    const resolvedAt = status === 'resolved' || status === 'closed' ? minutesAfter(lastAt, 60) : null;
    // Closed tickets were resolved first and closed a week later, when the reopen window ended.
    const closedAt = status === 'closed' && resolvedAt ? minutesAfter(resolvedAt, 7 * 24 * 60) : null;
    return {
      id: teamBattlesTicketId(index),
      ticketNumber: 1042 + index * 3,
      subject: thread.subject,
      description: opening?.text ?? '',
      category: thread.category,
      status,
      priority: PRIORITIES[index % PRIORITIES.length]!,
      createdAt: opened.toISOString(),
      // A ticket nobody has answered yet has never been updated.
      updatedAt: messages.length === 0 ? null : (closedAt ?? resolvedAt ?? lastAt).toISOString(),
      resolvedAt: resolvedAt?.toISOString() ?? null,
      closedAt: closedAt?.toISOString() ?? null,
      messages,
    };
  });
}
