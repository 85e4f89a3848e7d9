import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { createIntercomConnector } from '../../src/connectors/intercom/client.js';
import { mapIntercomTicket } from '../../src/connectors/intercom/map.js';
import { intercomTicket } from '../../src/connectors/intercom/wire.js';
import { attachmentId, groupId, messageId } from '../../src/domain/global-id.js';
import { intercomSampleTickets, intercomTicketId } from '../../src/simulators/intercom/data.js';
import { createIntercomSimulator } from '../../src/simulators/intercom/spec.js';
import type { HttpTransport, UpstreamRequest } from '../../src/transport/http.js';
import { failure, itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
import { renderedTicket, withBodies } from '../helpers/bodies.js';
import { checkRef } from '../../src/domain/refs.js';

/** A complete ticket built from the example values of shared/vendors/intercom.md. */
const PAGE_EXAMPLE = {
  type: 'ticket',
  id: '1295',
  ticket_id: '1390',
  ticket_attributes: { _default_title_: 'Found a bug', _default_description_: "The button's not working" },
  ticket_state: 'submitted',
  ticket_state_internal_label: 'Submitted',
  ticket_state_external_label: 'Submitted',
  ticket_type: {
    type: 'ticket_type',
    id: '1295',
    name: 'Bug',
    description: 'A bug that has been reported.',
    icon: '🐞',
    workspace_id: 'ecahpwf5',
    ticket_type_attributes: {
      type: 'list',
      ticket_type_attributes: [
        {
          id: '1', workspace_id: 'ecahpwf5', name: 'Title', description: 'Bug title.', data_type: 'string',
          input_options: { multiline: true }, order: 1, required_to_create: false, required_to_create_for_contacts: false,
          visible_on_create: true, visible_to_contacts: true, default: true, ticket_type_id: 42, archived: false,
          created_at: 1663597223, updated_at: 1663597260,
        },
      ],
    },
    archived: false,
    created_at: 1663597223,
    updated_at: 1663597260,
  },
  contacts: {
    type: 'contact.list',
    contacts: [{ type: 'contact', id: '5ba682d23d7cf92bef87bfd4', external_id: 'f3b87a2e09d514c6c2e79b9a' }],
  },
  admin_assignee_id: '1295',
  team_assignee_id: '1295',
  created_at: 1663597223,
  updated_at: 1663597260,
  ticket_parts: {
    type: 'ticket_part.list',
    ticket_parts: [
      {
        type: 'ticket_part',
        id: '3',
        part_type: 'comment',
        body: '<p>Okay!</p>',
        previous_ticket_state: 'submitted',
        ticket_state: 'submitted',
        created_at: 1663597223,
        updated_at: 1663597260,
        assigned_to: { id: '1a2b3c' },
        author: { id: '274', type: 'bot', name: 'Operator', email: 'operator+abcd1234@intercom.io' },
        attachments: [
          { type: 'upload', name: 'example.png', url: 'https://picsum.photos/200/300', content_type: 'image/png', filesize: 100, width: 100, height: 100 },
        ],
        external_id: 'abcd1234',
        redacted: false,
      } as Record<string, unknown>,
      {
        type: 'ticket_part',
        id: '4',
        part_type: 'assignment',
        body: null,
        created_at: 1663597260,
        updated_at: 1663597260,
        assigned_to: { id: '1a2b3c' },
        author: { id: '1295', type: 'admin', name: 'Ciaran Lee', email: 'admin@email.com' },
        attachments: [],
        external_id: null,
        redacted: false,
      } as Record<string, unknown>,
    ],
    total_count: 2,
  },
  is_shared: true,
};

const CONTEXT: MapContext = { now: 0, priorityMap: {}, absoluteUrl: (path) => new URL(path, 'https://api.intercom.io/').toString() };

function map(wire: unknown) {
  return mapIntercomTicket(intercomTicket.parse(wire), CONTEXT);
}

/** The page example with its first part changed. */
function withPart(changes: Record<string, unknown>) {
  const wire = structuredClone(PAGE_EXAMPLE);
  Object.assign(wire.ticket_parts.ticket_parts[0]!, changes);
  return wire;
}

describe('Intercom mapping', () => {
  it('maps the vendor page example to exact unified values', () => {
    expect(renderedTicket(map(PAGE_EXAMPLE))).toEqual({
      provider: 'INTERCOM',
      ref: '1295',
      nativeId: '1295',
      number: '1390',
      subject: 'Found a bug',
      description: "The button's not working",
      status: 'OPEN',
      vendorStatus: 'submitted',
      statusLabel: 'Submitted',
      priority: null,
      vendorPriority: null,
      requester: { name: null, email: null, vendorId: '5ba682d23d7cf92bef87bfd4' },
      assignee: { name: null, email: null, vendorId: '1295' },
      group: { id: groupId('INTERCOM', '1295'), vendorId: '1295', name: null },
      category: 'Bug',
      createdAt: '2022-09-19T14:20:23.000Z',
      updatedAt: '2022-09-19T14:21:00.000Z',
      resolvedAt: null,
      closedAt: null,
      attachments: [],
      messages: [
        {
          id: messageId('INTERCOM', '1295', '3'),
          nativeId: '3',
          authorKind: 'AUTOMATION',
          author: { name: 'Operator', email: 'operator+abcd1234@intercom.io', vendorId: '274' },
          visibility: 'PUBLIC',
          pinned: false,
          bodyFormat: 'HTML',
          bodyText: 'Okay!',
          bodyHtml: '<p>Okay!</p>',
          createdAt: '2022-09-19T14:20:23.000Z',
          updatedAt: '2022-09-19T14:21:00.000Z',
          attachments: [
            {
              id: attachmentId('INTERCOM', '1295', '3/0'),
              nativeId: null,
              name: 'example.png',
              contentType: 'image/png',
              size: 100,
              sha256: null,
              inline: false,
              url: 'https://picsum.photos/200/300',
            },
          ],
        },
      ],
    });
  });

  it.each([
    ['submitted', 'OPEN'],
    ['in_progress', 'IN_PROGRESS'],
    ['waiting_on_customer', 'WAITING_ON_CUSTOMER'],
    ['resolved', 'RESOLVED'],
    ['snoozed', 'UNKNOWN'],
  ])('maps ticket_state %s to %s and keeps the vendor value', (state, status) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.ticket_state = state;
    const ticket = map(wire);
    expect([ticket.status, ticket.vendorStatus]).toEqual([status, state]);
  });

  it('has no priority (Intercom tickets have none)', () => {
    expect([map(PAGE_EXAMPLE).priority, map(PAGE_EXAMPLE).vendorPriority]).toEqual([null, null]);
  });

  it.each([
    ['user', 'CUSTOMER'],
    ['contact', 'CUSTOMER'],
    ['lead', 'CUSTOMER'],
    ['admin', 'AGENT'],
    ['team', 'AGENT'],
    ['bot', 'AUTOMATION'],
    ['visitor', 'UNKNOWN'],
    [null, 'UNKNOWN'],
  ])('maps author.type %s to %s', (type, expected) => {
    const wire = withPart({ author: { id: '274', type, name: 'Operator', email: null } });
    expect(map(wire).messages[0]!.authorKind).toBe(expected);
  });

  it('keeps comments, quick replies and notes, and other parts only when they carry a body', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    const [comment] = wire.ticket_parts.ticket_parts;
    wire.ticket_parts.ticket_parts = [
      comment!,
      { ...comment, id: '5', part_type: 'note', body: '<p>Internal</p>', attachments: [] },
      { ...comment, id: '6', part_type: 'ticket_state_updated_by_admin', body: null },
      { ...comment, id: '7', part_type: 'close', body: '<p>Closed</p>' },
      { ...comment, id: '8', part_type: 'assignment', body: null },
      { ...comment, id: '9', part_type: 'quick_reply', body: null },
    ];
    expect(map(wire).messages.map((message) => [message.nativeId, message.visibility])).toEqual([
      ['3', 'PUBLIC'],
      ['5', 'INTERNAL'],
      ['7', 'PUBLIC'],
      ['9', 'PUBLIC'],
    ]);
  });

  it.each([
    ['redacted with a body left', { redacted: true, body: '<p>4111 1111 1111 1111</p>' }],
    ['null', { body: null }],
    ['blank', { body: '  <p> </p> ' }],
  ])('gives null bodies for a %s part', (_, changes) => {
    const [message] = withBodies(map(withPart(changes)).messages);
    expect([message!.bodyText, message!.bodyHtml]).toEqual([null, null]);
  });

  it('keeps an image-only body', () => {
    const [message] = withBodies(map(withPart({ body: '<p><img src="https://downloads.intercomcdn.com/i/o/1/a/shot.png"></p>' })).messages);
    expect([message!.bodyText, message!.bodyHtml]).toEqual([null, '<p><img src="https://downloads.intercomcdn.com/i/o/1/a/shot.png" /></p>']);
  });

  it('sorts parts oldest first and turns Unix seconds into ISO with milliseconds', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    const [comment] = wire.ticket_parts.ticket_parts;
    wire.ticket_parts.ticket_parts = [{ ...comment, id: '9', created_at: 1767225600 }, { ...comment, id: '8', created_at: 1767225599 }];
    expect(map(wire).messages.map((message) => [message.nativeId, message.createdAt])).toEqual([
      ['8', '2025-12-31T23:59:59.000Z'],
      ['9', '2026-01-01T00:00:00.000Z'],
    ]);
  });

  it('gives null description, requester, assignee and group when Intercom leaves them out', () => {
    const { admin_assignee_id: _admin, team_assignee_id: _team, ...wire } = structuredClone(PAGE_EXAMPLE);
    wire.ticket_attributes._default_description_ = '   ';
    wire.contacts.contacts = [];
    const ticket = map(wire);
    expect([ticket.description, ticket.requester, ticket.assignee, ticket.group]).toEqual([null, null, null, null]);
  });

  it('neutralises hostile HTML', () => {
    const body =
      '<p>Hello <script>alert("xss")</script><a href="javascript:alert(1)">click me</a><img src="x" onerror="alert(2)"><iframe src="https://evil.example"></iframe><div style="position:fixed;top:0">overlay</div></p>';
    const [message] = withBodies(map(withPart({ body })).messages);
    for (const bad of ['<script', 'alert("xss")', 'onerror', 'javascript:', '<iframe', 'style=']) {
      expect(message!.bodyHtml).not.toContain(bad);
    }
    expect(message!.bodyText).not.toContain('alert');
    expect(message!.bodyText).toContain('click me');
  });

  it('sends the configured Intercom-Version, else 2.14 (what intercom-node sends)', async () => {
    const sent: UpstreamRequest[] = [];
    const transport = {
      absoluteUrl: (path: string) => path,
      send: async (request: UpstreamRequest) => {
        sent.push(request);
        return { status: 200, headers: {}, json: PAGE_EXAMPLE, jsonError: false };
      },
    } as unknown as HttpTransport;
    await createIntercomConnector(transport, { token: 't' }).fetchTicket(checkRef('INTERCOM', '1295'), AbortSignal.timeout(1000));
    await createIntercomConnector(transport, { token: 't', version: '2.9' }).fetchTicket(checkRef('INTERCOM', '1295'), AbortSignal.timeout(1000));
    expect(sent).toEqual([
      { method: 'GET', path: '/tickets/1295', headers: { authorization: 'Bearer t', accept: 'application/json', 'intercom-version': '2.14' } },
      { method: 'GET', path: '/tickets/1295', headers: { authorization: 'Bearer t', accept: 'application/json', 'intercom-version': '2.9' } },
    ]);
  });
});

describe('Intercom connector against its simulator', () => {
  const harness = useConnectorHarness(createIntercomSimulator, createIntercomConnector);
  const first = intercomTicketId(0);

  it('reads a ticket by id with one GET, and the display number is not its ref', async () => {
    const h = await harness();
    const ticket = await h.fetch(intercomTicketId(1));
    expect([ticket.ref, ticket.nativeId, ticket.number]).toEqual([intercomTicketId(1), intercomTicketId(1), '2391']);
    expect(h.simulator.stats.byPath).toEqual({ [`/tickets/${intercomTicketId(1)}`]: 1 });
  });

  it('reads every version whose API has tickets, and reports the others as a configuration problem', async () => {
    const h = await harness();
    for (const version of ['2.9', '2.11', '2.12', '2.16', 'Preview', 'Unstable']) {
      expect((await h.connectorWith({ version }).fetchTicket(checkRef('INTERCOM', first), AbortSignal.timeout(5000))).ref).toBe(first);
    }
    for (const version of ['2.8', '3.0']) {
      expect(await failure(h.connectorWith({ version }).fetchTicket(checkRef('INTERCOM', first), AbortSignal.timeout(5000)))).toEqual({
        code: 'PROVIDER_NOT_CONFIGURED',
        message: `INTERCOM rejected the configured Intercom-Version "${version}" while reading INTERCOM ticket "${first}"; set providers.intercom.version to one of 2.9, 2.10, 2.11, 2.12, 2.13, 2.14, 2.15, 2.16, Preview, Unstable.`,
      });
    }
    expect(h.simulator.stats.byStatus).toEqual({ 200: 6, 400: 2 });
  });

  it('maps every sample ticket: replies and notes, other parts with a body, never bodiless events', async () => {
    const h = await harness();
    const samples = intercomSampleTickets();
    const isMessage = (part: (typeof samples)[number]['ticket_parts']['ticket_parts'][number]) =>
      ['comment', 'quick_reply', 'note'].includes(part.part_type) || (typeof part.body === 'string' && part.body.trim() !== '');
    for (const sample of samples) {
      const ticket = await h.fetch(sample.id);
      expect(ticket.subject).toBe(sample.ticket_attributes['_default_title_'] ?? null);
      const messageParts = sample.ticket_parts.ticket_parts.filter(isMessage);
      expect(ticket.messages.map((message) => [message.nativeId, message.visibility])).toEqual(
        messageParts.map((part) => [part.id, part.part_type === 'note' ? 'INTERNAL' : 'PUBLIC']),
      );
      expect([ticket.status, ticket.statusLabel]).toEqual([
        { submitted: 'OPEN', in_progress: 'IN_PROGRESS', waiting_on_customer: 'WAITING_ON_CUSTOMER', resolved: 'RESOLVED' }[sample.ticket_state!.category],
        sample.ticket_state!.internal_label,
      ]);
      expect(ticket.assignee).toEqual(sample.admin_assignee_id === '0' ? null : { name: null, email: null, vendorId: sample.admin_assignee_id });
      expect(ticket.group).toEqual(sample.team_assignee_id === '0' ? null : { id: groupId('INTERCOM', sample.team_assignee_id), vendorId: sample.team_assignee_id, name: null });
    }
  });

  it('serves a redacted part and attachments from the sample data', async () => {
    const h = await harness();
    const redacted = await h.fetch(intercomTicketId(23));
    expect(redacted.messages[1]).toMatchObject({ authorKind: 'CUSTOMER', body: { source: null, vendorText: null } });
    const withFile = await h.fetch(intercomTicketId(0));
    const attachment = withFile.messages.flatMap((message) => message.attachments)[0];
    expect(attachment).toMatchObject({ name: 'loop.png', contentType: 'image/png', size: 48213, nativeId: null });
    expect(attachment!.url).toMatch(/^https:\/\/downloads\.intercomcdn\.com\/i\/o\//);
  });

  itMapsVendorFailures(harness, {
    ref: first,
    unknownRef: '999999',
    wrongToken: 'ic_wrong_secret',
    statuses: [
      [400, 'BAD_USER_INPUT'],
      [401, 'UPSTREAM_UNAUTHORIZED'],
      [403, 'UPSTREAM_FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [429, 'RATE_LIMITED'],
      [500, 'UPSTREAM_UNAVAILABLE'],
      [502, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
      [504, 'UPSTREAM_UNAVAILABLE'],
    ],
    missingField: 'ticket_state: missing (every version sends it).',
  });

  it('is NOT_FOUND for a display number (Intercom reads tickets by id only)', async () => {
    const h = await harness();
    expect((await failure(h.fetch('2390'))).code).toBe('NOT_FOUND');
  });
});
