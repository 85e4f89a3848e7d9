/**
 * Tickiti sample desk: the shared threads in Tickiti's shape. Every response is kept (public
 * replies and internal notes alike), bodies are stored HTML (the raw email HTML for
 * email-sourced ones), and some tickets have a pinned response, so the vendor's pinned-first
 * order differs from the chronological one.
 *
 * Edge values the pages allow: "numeric ids are returned as strings", so odd tickets send their
 * `number` as a digit string (even ones as the page example's integer); responses without files
 * leave `attachments` out or send null on some tickets; one ticket has a null subject, no queue
 * and no originator email.
 */
import { createHash } from 'node:crypto';
import MarkdownIt from 'markdown-it';
import { minutesAfter, SAMPLE_THREADS, sampleOpenedAt, type SampleMessage, type SampleThread } from '../sample-threads.js';
import type { TickitiSimAttachment, TickitiSimResponse, TickitiSimShowData } from './types.js';

const STATUSES = ['open', 'closed', 'resolved'] as const;
/** Tickiti priorities are numeric strings; what each means is the installation's choice. */
const PRIORITIES = ['10', '20', '30', '40'] as const;
/** Tickiti queues by numeric id (stringified), one per shared team. */
const QUEUES: Record<string, string> = { billing: '3', technical: '4', accounts: '7' };
/** Automated replies are posted by Tickiti's system staff account. */
const SYSTEM_EMAIL = 'noreply@acme-support.example';
/** A hold this far out is still in the future whenever the demo runs. */
const FAR_HOLD = '2030-01-31T17:00:00+00:00';

/** What Tickiti's in-app editor stores for a body typed as (Markdown-ish) text. */
const editor = new MarkdownIt({ html: false, linkify: true, breaks: true });

/** Tickiti's timestamp style: seconds precision and a `+00:00` offset instead of `Z`. */
export function tickitiTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function tickitiTicketNumber(index: number): number {
  return 220000 + index;
}

/** "1.14 MB", as Tickiti formats `file_size_formatted`. */
function formattedSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

function sha256Hex(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

function authorOf(thread: SampleThread, message: SampleMessage): { staff: boolean; email: string } {
  switch (message.role) {
    case 'customer':
      return { staff: false, email: thread.customer.email };
    case 'agent':
    case 'note':
      return { staff: true, email: thread.agent.email };
    // Tickiti has no author kind for bots: automatic replies are staff responses by a system account.
    case 'system':
    case 'automation':
      return { staff: true, email: SYSTEM_EMAIL };
  }
}

/** Which response (by position) is pinned: a later staff one, on every fourth ticket. */
function pinnedPosition(index: number, messages: SampleMessage[]): number {
  if (index % 4 !== 1) return -1;
  for (let position = messages.length - 1; position > 0; position -= 1) {
    const role = messages[position]!.role;
    if (role === 'agent' || role === 'note') return position;
  }
  return -1;
}

/** A sample ticket with a null subject, a null queue_id and a null originator_email. */
export const TICKITI_BARE_TICKET_INDEX = 17;

export function tickitiSampleTickets(): TickitiSimShowData[] {
  let nextResponseId = 40;
  let nextAttachmentId = 14490;
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const status = STATUSES[index % STATUSES.length]!;
    const pinned = pinnedPosition(index, thread.messages);
    const responses: TickitiSimResponse[] = thread.messages.map((message, position) => {
      const id = String(nextResponseId++);
      const at = tickitiTime(minutesAfter(opened, message.at));
      const author = authorOf(thread, message);
      const attachments: TickitiSimAttachment[] = [];
      if (message.attachment) {
        const attachmentIdValue = String(nextAttachmentId++);
        const { name, contentType, size } = message.attachment;
        attachments.push({
          id: attachmentIdValue,
          response_id: id,
          name,
          // Small pasted screenshots are stored inline; larger files are plain attachments.
          is_inline: contentType.startsWith('image/') && size < 100_000,
          sha256: sha256Hex(`tickiti:${attachmentIdValue}:${name}`),
          file_size: size,
          file_size_formatted: formattedSize(size),
          extension_rule: 'allowed',
        });
      }
      const emailed = message.emailHtml !== undefined;
      const response: TickitiSimResponse = {
        id,
        is_internal: message.role === 'note',
        is_pinned: position === pinned,
        staff_response: author.staff,
        created_by_email: author.email,
        created_at: at,
        updated_at: at,
        is_email_sourced: emailed,
        html: message.emailHtml ?? (message.text === '' ? '' : editor.render(message.text).trim()),
        // Email-sourced bodies keep only the HTML part; the in-app editor also stores the text.
        plain_text: emailed ? '' : message.text,
        attachments,
      };
      // A response without files: every third ticket leaves the list out, the next sends null.
      if (attachments.length === 0 && index % 3 === 0) delete response.attachments;
      if (attachments.length === 0 && index % 3 === 1) response.attachments = null;
      return response;
    });
    // The vendor's order: pinned responses first, then oldest to newest.
    const ordered = [...responses.filter((r) => r.is_pinned), ...responses.filter((r) => !r.is_pinned)];
    const lastAt = minutesAfter(opened, thread.messages.at(-1)?.at ?? 0);
    const resolved = status === 'open' ? null : tickitiTime(minutesAfter(lastAt, 30));
    const bare = index === TICKITI_BARE_TICKET_INDEX;
    return {
      ticket: {
        id: String(index + 1),
        number: index % 2 === 1 ? String(tickitiTicketNumber(index)) : tickitiTicketNumber(index),
        subject: bare ? null : thread.subject,
        status,
        priority: PRIORITIES[index % PRIORITIES.length]!,
        queue_id: bare ? null : (QUEUES[thread.team.slug] ?? '1'),
        originator_email: bare ? null : thread.customer.email,
        // Some open tickets wait in the queue unassigned.
        assigned_to_email: status === 'open' && index % 4 === 2 ? null : thread.agent.email,
        resolved,
        // Open tickets 3, 9, 15, 21 are on hold (status stays "open"; the hold is what counts).
        on_hold_until: index % 6 === 3 ? FAR_HOLD : null,
        created_at: tickitiTime(opened),
        updated_at: resolved ?? tickitiTime(lastAt),
      },
      responses: ordered,
    };
  });
}
