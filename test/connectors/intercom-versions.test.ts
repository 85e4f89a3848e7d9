/**
 * The Intercom connector on answers shaped as each version's OpenAPI description gives them
 * (intercom-examples.ts): the defects of issue 10, each with its exact unified values.
 */
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { createIntercomConnector } from '../../src/connectors/intercom/client.js';
import { mapIntercomTicket } from '../../src/connectors/intercom/map.js';
import { intercomTicket } from '../../src/connectors/intercom/wire.js';
import { groupId, messageId } from '../../src/domain/global-id.js';
import type { HttpTransport, UpstreamResponse } from '../../src/transport/http.js';
import { withBodies } from '../helpers/bodies.js';
import { failure } from '../helpers/connector-harness.js';
import { part, PREVIEW, V2_10, V2_11, V2_14, V2_9 } from './intercom-examples.js';
import { checkRef } from '../../src/domain/refs.js';

const CONTEXT: MapContext = { now: 0, priorityMap: {}, absoluteUrl: (path) => new URL(path, 'https://api.intercom.io/').toString() };
const map = (wire: unknown) => mapIntercomTicket(intercomTicket.parse(wire), CONTEXT);

/** The unified values every version's "Ticket found" example must give. */
function unassignedSubmitted(ref: string, number: string | null, requester: string, createdAt: string, updatedAt: string) {
  return {
    provider: 'INTERCOM',
    ref,
    nativeId: ref,
    number,
    subject: 'Checkout button does nothing',
    description: null,
    status: 'OPEN',
    vendorStatus: 'submitted',
    statusLabel: 'Submitted',
    priority: null,
    vendorPriority: null,
    requester: { name: null, email: null, vendorId: requester },
    assignee: null,
    group: null,
    category: 'Bug report',
    createdAt,
    updatedAt,
    resolvedAt: null,
    closedAt: null,
    // The only part is a state change without a body: an event, not a message.
    messages: [],
    attachments: [],
  };
}

describe('Intercom "Ticket found" examples, version by version', () => {
  it.each([
    ['2.9', V2_9, unassignedSubmitted('450', null, '6657abf16abd0164c24b0df6', '2024-05-29T22:28:02.000Z', '2024-05-29T22:28:02.000Z')],
    ['2.10', V2_10, unassignedSubmitted('613', '22', '6657ad816abd0166b52ae31a', '2024-05-29T22:34:41.000Z', '2024-05-29T22:34:42.000Z')],
    ['2.11', V2_11, unassignedSubmitted('493', '52', '667d61c48a68186f43bafe91', '2024-06-27T12:57:41.000Z', '2024-06-27T12:57:41.000Z')],
    ['2.14', V2_14, unassignedSubmitted('631', '38', '6762f2f61bb69f9f2193bc59', '2024-12-18T16:06:14.000Z', '2024-12-18T16:06:16.000Z')],
    ['Preview', PREVIEW, unassignedSubmitted('631', '38', '6762f2f61bb69f9f2193bc59', '2024-12-18T16:06:14.000Z', '2024-12-18T16:06:16.000Z')],
  ])('maps the %s example exactly: unassigned is null, the state in either form', (_, wire, expected) => {
    expect(map(wire)).toEqual(expected);
  });

  it.each([
    ['2.9 (string)', { ...V2_9, admin_assignee_id: '991267721', team_assignee_id: '5017691' }],
    ['2.14 (string)', { ...V2_14, admin_assignee_id: '991267721', team_assignee_id: '5017691' }],
    ['Preview (integer)', { ...PREVIEW, admin_assignee_id: 991267721, team_assignee_id: 5017691 }],
  ])('maps assigned ids on %s to the same assignee and group', (_, wire) => {
    const ticket = map(wire);
    expect([ticket.assignee, ticket.group]).toEqual([{ name: null, email: null, vendorId: '991267721' }, { id: groupId('INTERCOM', '5017691'), vendorId: '5017691', name: null }]);
  });

  it.each([
    ['"0"', '0'],
    ['0', 0],
    ['null', null],
    ['""', ''],
  ])('reads an assignee id of %s as unassigned', (_, id) => {
    const ticket = map({ ...V2_14, admin_assignee_id: id, team_assignee_id: id });
    expect([ticket.assignee, ticket.group]).toEqual([null, null]);
  });

  it.each([
    ['absent (2.9)', undefined, null],
    ['null', null, null],
    ['blank', ' ', null],
    ['an integer', 38, '38'],
  ])('maps a ticket_id that is %s to number %s', (_, ticketId, number) => {
    expect(map({ ...V2_14, ticket_id: ticketId }).number).toBe(number);
  });
});

describe('Intercom ticket_state, both forms', () => {
  it.each([
    ['submitted', 'Submitted', 'OPEN'],
    ['in_progress', 'In progress', 'IN_PROGRESS'],
    ['waiting_on_customer', 'Waiting on customer', 'WAITING_ON_CUSTOMER'],
    ['resolved', 'Resolved', 'RESOLVED'],
    ['on_hold', 'On hold', 'UNKNOWN'],
  ])('string %s (≤ 2.11) → %s', (state, label, status) => {
    const ticket = map({ ...V2_11, ticket_state: state, ticket_state_internal_label: label, ticket_state_external_label: 'ignored' });
    expect([ticket.status, ticket.vendorStatus, ticket.statusLabel]).toEqual([status, state, label]);
  });

  it.each([
    ['submitted', 'Awaiting triage', 'OPEN'],
    ['in_progress', 'Escalated to engineering', 'IN_PROGRESS'],
    ['waiting_on_customer', 'Waiting on customer', 'WAITING_ON_CUSTOMER'],
    ['resolved', 'Fixed', 'RESOLVED'],
    ['snoozed', 'Snoozed', 'UNKNOWN'],
  ])('object category %s (2.12+, Preview) → status; internal_label is the label', (category, label, status) => {
    const state = { type: 'ticket_state', id: '8540', category, internal_label: label, external_label: 'Shown to the customer' };
    const ticket = map({ ...V2_14, ticket_state: state });
    expect([ticket.status, ticket.vendorStatus, ticket.statusLabel]).toEqual([status, category, label]);
  });

  it('gives UNKNOWN with no vendor status or label for a null state (nullable from 2.12) or a bare object', () => {
    expect(map({ ...V2_14, ticket_state: null })).toMatchObject({ status: 'UNKNOWN', vendorStatus: null, statusLabel: null });
    expect(map({ ...V2_14, ticket_state: { type: 'ticket_state', id: '1' } })).toMatchObject({ status: 'UNKNOWN', vendorStatus: null, statusLabel: null });
  });

  it('gives statusLabel null when a 2.9–2.11 answer leaves the label out', () => {
    const { ticket_state_internal_label: _label, ...wire } = V2_11;
    expect(map(wire)).toMatchObject({ status: 'OPEN', vendorStatus: 'submitted', statusLabel: null });
  });
});

describe('Intercom parts as messages (CONTRACT §2)', () => {
  const thread = (parts: Record<string, unknown>[]) => map({ ...V2_14, ticket_parts: { type: 'ticket_part.list', ticket_parts: parts, total_count: parts.length } });

  it('keeps comment and quick_reply PUBLIC, note INTERNAL, other parts with a body PUBLIC, and skips bodiless events', () => {
    const ticket = thread([
      part('1', 'comment', '<p>The button does nothing.</p>', { author: { id: '6762f2f6', type: 'user', name: 'Joe Bloggs', email: null } }),
      part('2', 'assignment', null, { assigned_to: { type: 'admin', id: '991268047' } }),
      part('3', 'note', '<p>Reproduced on Safari.</p>'),
      part('4', 'quick_reply', null),
      part('5', 'close', '<p>Goodbye :)</p>'),
      part('6', 'open', '<p>Thanks again :)</p>', { author: { id: '6762f2f6', type: 'user', name: 'Joe Bloggs', email: 'joe@bloggs.com' } }),
      part('7', 'ticket_state_updated_by_admin', null, { ticket_state: 'resolved', previous_ticket_state: 'in_progress' }),
      part('8', 'ticket_attribute_updated_by_admin', null, { updated_attribute_data: { attribute: { type: 'attribute', id: '1', label: 'Title' }, value: { type: 'value', id: 'x', label: 'x' } } }),
      part('9', 'snoozed', '   '),
      part('10', 'custom_action_finished', '<p>Refund issued</p>', { author: { id: '5', type: 'bot', name: 'Fin', email: 'operator+ecahpwf5@intercom.io' } }),
    ]);
    expect(withBodies(ticket.messages).map((m) => [m.nativeId, m.visibility, m.authorKind, m.bodyText])).toEqual([
      ['1', 'PUBLIC', 'CUSTOMER', 'The button does nothing.'],
      ['3', 'INTERNAL', 'AGENT', 'Reproduced on Safari.'],
      ['4', 'PUBLIC', 'AGENT', null],
      ['5', 'PUBLIC', 'AGENT', 'Goodbye :)'],
      ['6', 'PUBLIC', 'CUSTOMER', 'Thanks again :)'],
      ['10', 'PUBLIC', 'AUTOMATION', 'Refund issued'],
    ]);
    expect(ticket.messages[0]!.author).toEqual({ name: 'Joe Bloggs', email: null, vendorId: '6762f2f6' });
  });

  it("gives a redacted part null bodies, whatever placeholder Intercom left, and keeps it in the thread", () => {
    const ticket = thread([
      part('1', 'open', '<p><i>This message was deleted</i></p>', { redacted: true, author: { id: '6762', type: 'user', name: 'Joe Bloggs', email: 'joe@bloggs.com' } }),
      part('2', 'comment', null, { redacted: true }),
    ]);
    expect(withBodies(ticket.messages).map((m) => [m.id, m.authorKind, m.bodyText, m.bodyHtml])).toEqual([
      [messageId('INTERCOM', '631', '1'), 'CUSTOMER', null, null],
      [messageId('INTERCOM', '631', '2'), 'AGENT', null, null],
    ]);
  });
});

describe('Intercom answers the connector must not reject', () => {
  it('reads a ticket full of fields and enum values no description lists', () => {
    const wire = {
      ...V2_14,
      brand_new_field: { nested: [1, 2, 3] },
      category: 'Escalation',
      ticket_state: { type: 'custom_ticket_state', id: 8537, category: 'submitted', internal_label: 'Submitted', external_label: null, colour: 'red' },
      ticket_type: { ...V2_14.ticket_type, ticket_type_attributes: 'not a list', category: 'Tracker2', archived: 'no' },
      contacts: { type: 'contact.list', contacts: [{ type: 'visitor', id: '6762f2f6', external_id: 7, role: 'ghost' }, 'not a contact', null] },
      linked_objects: 'gone',
      open: 'yes',
      ticket_parts: {
        type: 'ticket_part.page',
        total_count: 'many',
        ticket_parts: [
          part('1', 'call_summary', '<p>Call summary</p>', {
            author: { id: 991268047, type: 'fin_agent', name: null, email: 'not-an-email' },
            previous_ticket_state: 'escalated',
            ticket_state: 'escalated',
            assigned_to: 'someone',
            external_id: 42,
            translations: { original: 'en', fr: '<p>Résumé</p>' },
            metadata: { anything: true },
            attachments: [{ type: 'voice', name: 'call.mp3', url: 'https://downloads.intercomcdn.com/call.mp3', content_type: 'audio/mpeg', filesize: 900, duration: 61 }],
          }),
        ],
      },
    };
    const ticket = map(wire);
    expect(ticket).toMatchObject({ status: 'OPEN', vendorStatus: 'submitted', statusLabel: 'Submitted', requester: { vendorId: '6762f2f6' } });
    expect(withBodies(ticket.messages).map((m) => [m.nativeId, m.authorKind, m.author, m.bodyText, m.attachments.map((a) => a.name)])).toEqual([
      ['1', 'UNKNOWN', { name: null, email: 'not-an-email', vendorId: '991268047' }, 'Call summary', ['call.mp3']],
    ]);
  });

  it('reads a ticket without title, description, type, contacts or timestamps', () => {
    const { ticket_attributes: _a, ticket_type: _t, contacts: _c, created_at: _cr, updated_at: _u, ...wire } = V2_14;
    expect(map(wire)).toMatchObject({ subject: null, description: null, category: null, requester: null, createdAt: null, updatedAt: null });
  });
});

/** A transport that answers every request with this status, JSON body and headers. */
function answering(status: number, json: unknown, headers: Record<string, string> = {}): HttpTransport {
  const send = async (): Promise<UpstreamResponse> => ({ status, headers, json, jsonError: false });
  return { provider: 'INTERCOM', absoluteUrl: (path: string) => path, send } as unknown as HttpTransport;
}
const read = (transport: HttpTransport, version?: string) =>
  createIntercomConnector(transport, { token: 'ic-token', version }).fetchTicket(checkRef('INTERCOM', '631'), AbortSignal.timeout(5000));

describe('Intercom answers the connector refuses', () => {
  it('refuses more than the documented 500 parts as UPSTREAM_BAD_RESPONSE', async () => {
    const parts = Array.from({ length: 501 }, (_, i) => part(String(i + 1), 'comment', '<p>hi</p>'));
    expect(await failure(read(answering(200, { ...V2_14, ticket_parts: { type: 'ticket_part.list', ticket_parts: parts } })))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: 'INTERCOM answered INTERCOM ticket "631" with a payload its API does not promise: ticket_parts.ticket_parts: holds 501 parts; Intercom documents at most 500.',
    });
    const fiveHundred = Array.from({ length: 500 }, (_, i) => part(String(i + 1), 'comment', '<p>hi</p>'));
    expect((await read(answering(200, { ...V2_14, ticket_parts: { ticket_parts: fiveHundred } }))).messages).toHaveLength(500);
  });

  it('counts 1.3 million empty parts before validating any of them', async () => {
    const parts: unknown[] = new Array(1_300_000).fill({});
    // Validating the elements would report `ticket_parts.ticket_parts.0.id`; the count is checked first.
    expect((await failure(read(answering(200, { ...V2_14, ticket_parts: { ticket_parts: parts } })))).message).toBe(
      'INTERCOM answered INTERCOM ticket "631" with a payload its API does not promise: ticket_parts.ticket_parts: holds 1300000 parts; Intercom documents at most 500.',
    );
  });

  it('refuses an answer without ticket_state or parts', async () => {
    const { ticket_state: _s, ...stateless } = V2_14;
    expect((await failure(read(answering(200, stateless)))).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((await failure(read(answering(200, { ...V2_14, ticket_parts: { ticket_parts: 'none' } })))).message).toBe(
      'INTERCOM answered INTERCOM ticket "631" with a payload its API does not promise: ticket_parts.ticket_parts: expected an array of ticket parts.',
    );
  });

  it.each([
    ['an unknown version', 'The requested version could not be found'],
    ['a version without the Tickets API', 'Requested resource is not available in current API version.'],
  ])('reports intercom_version_invalid (%s) as PROVIDER_NOT_CONFIGURED, never with Intercom\'s words', async (_, message) => {
    const body = { type: 'error.list', request_id: 'f93ecfa8-d08a-4325-8694-89aeb89c8f85', errors: [{ code: 'intercom_version_invalid', message }] };
    expect(await failure(read(answering(400, body), '2.15'))).toEqual({
      code: 'PROVIDER_NOT_CONFIGURED',
      message:
        'INTERCOM rejected the configured Intercom-Version "2.15" while reading INTERCOM ticket "631"; set providers.intercom.version to one of 2.9, 2.10, 2.11, 2.12, 2.13, 2.14, 2.15, 2.16, Preview, Unstable.',
    });
  });

  it.each([
    [401, { type: 'error.list', request_id: 'e7ba89f2', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] }, 'UPSTREAM_UNAUTHORIZED'],
    [403, { type: 'error.list', request_id: null, errors: [{ code: 'api_plan_restricted', message: 'Active subscription needed.' }] }, 'UPSTREAM_FORBIDDEN'],
    [404, { type: 'error.list', request_id: null, errors: [{ code: 'ticket_not_found', message: 'Ticket not found' }] }, 'NOT_FOUND'],
    [400, { type: 'error.list', request_id: null, errors: [{ code: 'parameter_invalid', message: 'Invalid id' }] }, 'BAD_USER_INPUT'],
  ])('maps an Intercom %i error list to %s', async (status, body, code) => {
    expect((await failure(read(answering(status, body)))).code).toBe(code);
  });

  it('reads the pause of a 429 from X-RateLimit-Reset (epoch seconds), as Intercom sends no Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-04T15:00:00.000Z') });
    onTestFinished(() => void vi.useRealTimers());
    const reset = Date.parse('2026-06-04T15:00:08.000Z') / 1000;
    const body = { type: 'error.list', request_id: null, errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 1667 in 10_seconds' }] };
    const headers = { 'x-ratelimit-limit': '1667', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) };
    const error: unknown = await read(answering(429, body, headers)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 8,
      message: "INTERCOM's rate limit is spent; INTERCOM ticket \"631\" can be read again in 8s.",
    });
  });
});
