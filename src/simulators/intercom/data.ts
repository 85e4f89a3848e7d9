/**
 * Intercom sample workspace: the shared threads in Intercom's ticket shape. Bodies are HTML
 * (email-sourced ones verbatim), times are Unix seconds, notes stay in as `note` parts, and
 * events (assignment, state changes) sit between the comments as Intercom records them.
 */
import type { IntercomTicket, IntercomTicketPart } from '../../connectors/intercom/wire.js';
import { minutesAfter, SAMPLE_THREADS, sampleOpenedAt, type SampleMessage, type SampleThread } from '../sample-threads.js';

const STATES = [
  { ticket_state: 'submitted', ticket_state_internal_label: 'Submitted', ticket_state_external_label: 'Submitted' },
  { ticket_state: 'in_progress', ticket_state_internal_label: 'In progress', ticket_state_external_label: 'In progress' },
  { ticket_state: 'waiting_on_customer', ticket_state_internal_label: 'Waiting on customer', ticket_state_external_label: 'Waiting on you' },
  { ticket_state: 'resolved', ticket_state_internal_label: 'Resolved', ticket_state_external_label: 'Resolved' },
] as const;

const WORKSPACE = 'ecahpwf5';
const BOT = { type: 'bot', id: '5391200', name: 'Fin', email: `operator+${WORKSPACE}@intercom.io` };
const ADMIN_IDS: Record<string, string> = {
  'priya.sharma@acme-support.example': '5391221',
  'tomas.ortega@acme-support.example': '5391222',
  'mei.lin@acme-support.example': '5391223',
};
const TEAM_IDS: Record<string, string> = { billing: '814001', technical: '814002', accounts: '814003' };

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

function author(thread: SampleThread, message: SampleMessage, contactId: string, index: number) {
  switch (message.role) {
    case 'customer':
      // Visitors who never signed up are `lead`s in Intercom.
      return { type: index % 5 === 4 ? 'lead' : 'user', id: contactId, name: thread.customer.name, email: thread.customer.email };
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

export function intercomSampleTickets(): IntercomTicket[] {
  return SAMPLE_THREADS.map((thread, index) => {
    const opened = sampleOpenedAt(index);
    const id = intercomTicketId(index);
    const state = STATES[index % STATES.length]!;
    const contactId = hex24(index + 1);
    const adminId = ADMIN_IDS[thread.agent.email] ?? '5391220';
    const at = (minutes: number) => unix(minutesAfter(opened, minutes));
    let nextPart = 19_881_400_000 + index * 100;
    const parts: IntercomTicketPart[] = [];
    const event = (part_type: string, minutes: number, extra: Partial<IntercomTicketPart>) =>
      parts.push({
        type: 'ticket_part', id: String(nextPart++), part_type, body: null, created_at: at(minutes), updated_at: at(minutes),
        author: { type: 'admin', id: adminId, name: thread.agent.name, email: thread.agent.email },
        attachments: [], assigned_to: null, external_id: null, redacted: false, ...extra,
      });
    let assigned = false;

    for (const message of thread.messages) {
      if (!assigned && (message.role === 'agent' || message.role === 'note')) {
        assigned = true;
        event('assignment', message.at, { assigned_to: { type: 'admin', id: adminId } });
      }
      const partId = String(nextPart++);
      // An emptied message is what Intercom shows after a teammate redacts a part.
      const redacted = message.text === '';
      parts.push({
        type: 'ticket_part',
        id: partId,
        part_type: message.role === 'note' ? 'note' : 'comment',
        body: redacted ? null : (message.emailHtml ?? textToHtml(message.text)),
        created_at: at(message.at),
        updated_at: at(message.at),
        assigned_to: null,
        author: author(thread, message, contactId, index),
        attachments: attachments(message, partId),
        external_id: null,
        redacted,
      });
    }
    const last = thread.messages.at(-1)?.at ?? 0;
    if (state.ticket_state !== 'submitted') {
      event('ticket_state_updated_by_admin', last + 1, { previous_ticket_state: 'submitted', ticket_state: state.ticket_state });
    }
    const opening = thread.messages[0]?.text ?? '';

    return {
      type: 'ticket',
      id,
      ticket_id: String(2390 + index),
      ticket_attributes: {
        _default_title_: thread.subject,
        // Tickets created from the inbox can leave the description empty.
        _default_description_: index % 8 === 7 ? '' : opening,
      },
      ...state,
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
      },
      contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contactId, external_id: index % 3 === 0 ? null : `cust-${4100 + index}` }] },
      admin_assignee_id: assigned ? adminId : null,
      team_assignee_id: TEAM_IDS[thread.team.slug] ?? null,
      created_at: unix(opened),
      updated_at: at(state.ticket_state === 'submitted' ? last : last + 1),
      ticket_parts: { type: 'ticket_part.list', ticket_parts: parts, total_count: parts.length },
      is_shared: true,
    };
  });
}
