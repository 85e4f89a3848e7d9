/**
 * Intercom sample workspace: the shared threads in Intercom's ticket shape, stored as 2.12+
 * sends them (render.ts derives the other versions). Bodies are HTML (email-sourced ones
 * verbatim), times are Unix seconds, notes stay in as `note` parts, and events sit between the
 * replies as Intercom records them.
 *
 * The documented edge values all appear: "0" for an unassigned admin or team, state objects
 * with custom labels, every kind of part (comment, note, bodiless quick_reply, open and close
 * with a body, bodiless assignment / state / attribute events), a redacted part with Intercom's
 * placeholder body, a lead without email, a null title and a null description.
 */
import { LONG_THREAD_INDEX, minutesAfter, SAMPLE_THREADS, sampleOpenedAt, type SampleMessage, type SampleThread } from '../sample-threads.js';
import type { IntercomStoredTicket, IntercomTicketPart, IntercomTicketStateObject } from './shapes.js';

/** Built-in states and one custom state of category in_progress (2.12+ lets a workspace add them). */
const STATES: IntercomTicketStateObject[] = [
  { type: 'ticket_state', id: '2789', category: 'submitted', internal_label: 'Submitted', external_label: 'Submitted' },
  { type: 'ticket_state', id: '2790', category: 'in_progress', internal_label: 'In progress', external_label: 'In progress' },
  { type: 'ticket_state', id: '2791', category: 'waiting_on_customer', internal_label: 'Waiting on customer', external_label: 'Waiting on you' },
  { type: 'ticket_state', id: '2792', category: 'resolved', internal_label: 'Resolved', external_label: 'Resolved' },
  { type: 'ticket_state', id: '2793', category: 'in_progress', internal_label: 'Escalated to engineering', external_label: 'In progress' },
];

const WORKSPACE = 'ecahpwf5';
const BOT = { type: 'bot', id: '5391200', name: 'Fin', email: `operator+${WORKSPACE}@intercom.io` };
const ADMIN_IDS: Record<string, string> = {
  'priya.sharma@acme-support.example': '5391221',
  'tomas.ortega@acme-support.example': '5391222',
  'mei.lin@acme-support.example': '5391223',
};
const TEAM_IDS: Record<string, string> = { billing: '814001', technical: '814002', accounts: '814003' };
/** What Intercom leaves in a redacted part's body. */
export const INTERCOM_REDACTED_BODY = '<p><i>This message was deleted</i></p>';

/** Intercom ticket ids are small workspace-wide integers; 1295 is the page's example. */
export function intercomTicketId(index: number): string {
  return String(1295 + index * 3);
}

/** A deterministic 24-hex id, the shape of Intercom contact ids. */
function hex24(seed: number): string {
  let state = (seed * 2654435761 + 0x5ba682d2) >>> 0;
  let out = '';
  for (let i = 0; i < 3; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += state.toString(16).padStart(8, '0');
  }
  return out;
}

const unix = (date: Date): number => Math.floor(date.getTime() / 1000);

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** What an Intercom composer stores for typed text: paragraphs, line breaks as <br>. */
function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** Visitors who never signed up are leads; every fifth ticket's customer is one, without an email. */
const isLead = (index: number): boolean => index % 5 === 4;

function author(thread: SampleThread, message: SampleMessage, contactId: string, index: number) {
  switch (message.role) {
    case 'customer':
      return isLead(index)
        ? { type: 'user', id: contactId, name: thread.customer.name, email: null }
        : { type: 'user', id: contactId, name: thread.customer.name, email: thread.customer.email };
    case 'agent':
    case 'note':
      return { type: 'admin', id: ADMIN_IDS[thread.agent.email] ?? '5391220', name: thread.agent.name, email: thread.agent.email };
    case 'automation':
    case 'system':
      return BOT;
  }
}

function attachments(message: SampleMessage, partId: string) {
  if (!message.attachment) return [];
  const { name, contentType, size } = message.attachment;
  const image = contentType.startsWith('image/');
  return [
    {
      type: 'upload',
      name,
      url: `https://downloads.intercomcdn.com/i/o/${partId}/${hex24(Number(partId)).slice(0, 20)}/${encodeURIComponent(name)}`,
      content_type: contentType,
      filesize: size,
      ...(image ? { width: 1170, height: 2532 } : {}),
    },
  ];
}

/**
 * The part type a sample message is recorded as: notes are `note`; on resolved tickets the
 * agent's last reply closed the ticket (`close`, with its body); on every fourth ticket the
 * customer's last reply reopened it (`open`); everything else is a `comment`.
 */
function partType(thread: SampleThread, message: SampleMessage, index: number, state: IntercomTicketStateObject): string {
  if (message.role === 'note') return 'note';
  if (index === LONG_THREAD_INDEX) return 'comment';
  if (message.role === 'agent' && state.category === 'resolved' && message === thread.messages.findLast((m) => m.role === 'agent')) return 'close';
  if (message.role === 'customer' && index % 4 === 3 && message !== thread.messages[0] && message === thread.messages.findLast((m) => m.role === 'customer')) {
    return 'open';
  }
  return 'comment';
}

export function intercomSampleTickets(): IntercomStoredTicket[] {
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const id = intercomTicketId(index);
    const state = STATES[index % STATES.length]!;
    const contactId = hex24(index + 1);
    const adminId = ADMIN_IDS[thread.agent.email] ?? '5391220';
    const admin = { type: 'admin', id: adminId, name: thread.agent.name, email: thread.agent.email };
    const at = (minutes: number) => unix(minutesAfter(opened, minutes));
    let nextPart = 19_881_400_000 + index * 100;
    const parts: IntercomTicketPart[] = [];
    const event = (part_type: string, minutes: number, extra: Partial<IntercomTicketPart>) =>
      parts.push({
        type: 'ticket_part', id: String(nextPart++), part_type, body: null, created_at: at(minutes), updated_at: at(minutes),
        author: admin, attachments: [], assigned_to: null, external_id: null, redacted: false, ...extra,
      });
    // Replying does not assign: on a few tickets nobody took ownership (admin_assignee_id "0").
    const unassigned = index % 10 === 5;
    let assigned = false;

    for (const message of thread.messages) {
      if (!unassigned && !assigned && (message.role === 'agent' || message.role === 'note')) {
        assigned = true;
        event('assignment', message.at, { assigned_to: { type: 'admin', id: adminId } });
      }
      const partId = String(nextPart++);
      // An emptied sample message is a part a teammate redacted: Intercom keeps a placeholder body.
      const redacted = message.text === '';
      parts.push({
        type: 'ticket_part',
        id: partId,
        part_type: partType(thread, message, index, state),
        body: redacted ? INTERCOM_REDACTED_BODY : (message.emailHtml ?? textToHtml(message.text)),
        created_at: at(message.at),
        updated_at: at(message.at),
        assigned_to: null,
        author: author(thread, message, contactId, index),
        attachments: attachments(message, partId),
        external_id: null,
        redacted,
        ...(message.role === 'automation' ? { app_package_code: 'acme-autoresponder' } : {}),
      });
      // Quick replies carry their options, not a body (the documented example has none).
      if (message.role === 'agent' && index % 6 === 5 && index !== LONG_THREAD_INDEX && !parts.some((p) => p.part_type === 'quick_reply')) {
        event('quick_reply', message.at, {});
      }
    }
    const last = thread.messages.at(-1)?.at ?? 0;
    if (index % 3 === 0) {
      event('ticket_attribute_updated_by_admin', last, {
        updated_attribute_data: {
          attribute: { type: 'attribute', id: '_default_title_', label: 'Title' },
          value: { type: 'value', id: thread.subject, label: thread.subject },
        },
      });
    }
    if (state.category !== 'submitted') {
      event('ticket_state_updated_by_admin', last + 1, { previous_ticket_state: 'submitted', ticket_state: state.category });
    }
    const opening = thread.messages[0]?.text ?? '';

    return {
      type: 'ticket',
      id,
      ticket_id: String(2390 + index),
      category: index % 7 === 6 ? 'Back-office' : 'Customer',
      ticket_attributes: {
        // A ticket raised from a form can leave the title out; the examples' description is null.
        _default_title_: index === 17 ? null : thread.subject,
        _default_description_: index % 8 === 7 ? null : opening,
      },
      ticket_state: state,
      ticket_type: {
        type: 'ticket_type',
        id: String(40 + (thread.category.length % 6)),
        name: thread.category,
        description: `${thread.category} tickets raised by customers.`,
        icon: '🎟️',
        workspace_id: WORKSPACE,
        archived: false,
        created_at: 1_735_689_600,
        updated_at: 1_735_689_600,
        is_internal: false,
      },
      contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contactId, external_id: index % 3 === 0 ? null : `cust-${4100 + index}` }] },
      // Every official example sends "0" for "nobody".
      admin_assignee_id: assigned ? adminId : '0',
      team_assignee_id: index % 6 === 5 ? '0' : (TEAM_IDS[thread.team.slug] ?? '0'),
      created_at: unix(opened),
      updated_at: at(state.category === 'submitted' ? last : last + 1),
      open: state.category !== 'resolved',
      snoozed_until: null,
      linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
      ticket_parts: { type: 'ticket_part.list', ticket_parts: parts, total_count: parts.length },
      is_shared: true,
      previous_ticket_state_id: state.category === 'submitted' ? null : STATES[0]!.id,
    };
  });
}
