import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { createTickitiConnector } from '../../src/connectors/tickiti/client.js';
import { mapTickitiTicket } from '../../src/connectors/tickiti/map.js';
import { expectOk } from '../../src/connectors/responses.js';
import { tickitiShowResponse } from '../../src/connectors/tickiti/wire.js';
import { attachmentId, messageId } from '../../src/domain/global-id.js';
import type { TicketPriority } from '../../src/domain/model.js';
import { TICKITI_BARE_TICKET_INDEX, tickitiSampleTickets } from '../../src/simulators/tickiti/data.js';
import { createTickitiSimulator, TICKITI_SIM_TOKEN } from '../../src/simulators/tickiti/spec.js';
import { failure, itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
import { readWith } from '../helpers/vendor-answer.js';
import { renderedTicket, withBodies } from '../helpers/bodies.js';

/** The example response of shared/vendors/tickiti.md, verbatim. */
const PAGE_EXAMPLE = {
  ok: true,
  data: {
    ticket: {
      id: '1',
      number: 220009,
      subject: 'Carbon plate cracked on first marathon',
      status: 'open',
      priority: '20',
      queue_id: '4',
      originator_email: 'marcus@trailblazers-club.example',
      assigned_to_email: 'priya.sharma@sole-provider.example',
      resolved: null as string | null,
      on_hold_until: null as string | null,
      created_at: '2026-05-01T09:14:02+00:00',
      updated_at: '2026-05-02T11:30:48+00:00',
    },
    responses: [
      {
        id: '42',
        is_internal: false,
        is_pinned: false,
        staff_response: true,
        created_by_email: 'priya.sharma@sole-provider.example',
        created_at: '2026-05-02T11:30:48+00:00',
        updated_at: '2026-05-02T11:30:48+00:00',
        is_email_sourced: false,
        html: '<p>Your replacement has shipped.</p>',
        plain_text: 'Your replacement has shipped.' as string | null,
        attachments: [
          {
            id: '14494',
            response_id: '42',
            name: 'UPDD Diag.zip',
            is_inline: false,
            sha256: 'cc9b8a68...608baf',
            file_size: 1196962,
            file_size_formatted: '1.14 MB',
            extension_rule: 'allowed',
          },
        ],
      },
    ],
  },
};

type PageExample = typeof PAGE_EXAMPLE;
type PageResponse = PageExample['data']['responses'][number];

const NOW = Date.parse('2026-06-01T12:00:00.000Z');

function context(priorityMap: Record<string, TicketPriority> = { '20': 'NORMAL' }, now = NOW): MapContext {
  return { now, priorityMap, absoluteUrl: (path) => new URL(path, 'https://support.example.com/').toString() };
}

function map(wire: PageExample, ctx: MapContext = context()) {
  return mapTickitiTicket(tickitiShowResponse.parse(wire).data, ctx);
}

function response(overrides: Partial<PageResponse>): PageResponse {
  return { ...structuredClone(PAGE_EXAMPLE.data.responses[0]!), attachments: [], ...overrides };
}

describe('Tickiti mapping', () => {
  it('maps the vendor page example to exact unified values', () => {
    expect(renderedTicket(map(PAGE_EXAMPLE))).toEqual({
      provider: 'TICKITI',
      ref: '220009',
      nativeId: '1',
      number: '220009',
      subject: 'Carbon plate cracked on first marathon',
      description: null,
      status: 'OPEN',
      vendorStatus: 'open',
      statusLabel: null,
      priority: 'NORMAL',
      vendorPriority: '20',
      requester: { name: null, email: 'marcus@trailblazers-club.example', vendorId: null },
      assignee: { name: null, email: 'priya.sharma@sole-provider.example', vendorId: null },
      group: { id: '4', name: null },
      category: null,
      createdAt: '2026-05-01T09:14:02.000Z',
      updatedAt: '2026-05-02T11:30:48.000Z',
      resolvedAt: null,
      closedAt: null,
      attachments: [],
      messages: [
        {
          id: messageId('TICKITI', '1', '42'),
          nativeId: '42',
          authorKind: 'AGENT',
          author: { name: null, email: 'priya.sharma@sole-provider.example', vendorId: null },
          visibility: 'PUBLIC',
          pinned: false,
          bodyFormat: 'HTML',
          bodyText: 'Your replacement has shipped.',
          bodyHtml: '<p>Your replacement has shipped.</p>',
          createdAt: '2026-05-02T11:30:48.000Z',
          updatedAt: '2026-05-02T11:30:48.000Z',
          attachments: [
            {
              id: attachmentId('TICKITI', '1', '14494'),
              nativeId: '14494',
              name: 'UPDD Diag.zip',
              contentType: null,
              size: 1196962,
              sha256: 'cc9b8a68...608baf',
              inline: false,
              url: null,
            },
          ],
        },
      ],
    });
  });

  it.each([
    ['open', 'OPEN'],
    ['closed', 'CLOSED'],
    ['resolved', 'RESOLVED'],
    ['archived', 'UNKNOWN'],
  ])('maps status %s to %s and keeps the vendor value', (status, expected) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.ticket.status = status;
    const ticket = map(wire);
    expect([ticket.status, ticket.vendorStatus, ticket.statusLabel]).toEqual([expected, status, null]);
  });

  it.each(['open', 'closed', 'resolved', 'archived'])('is ON_HOLD for status %s while on_hold_until is in the future', (status) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.ticket.status = status;
    wire.data.ticket.on_hold_until = '2026-06-01T12:00:01+00:00';
    const ticket = map(wire);
    expect([ticket.status, ticket.vendorStatus]).toEqual(['ON_HOLD', status]);
  });

  it.each([
    ['in the past', '2026-06-01T11:59:59+00:00'],
    ['exactly now', '2026-06-01T12:00:00+00:00'],
    ['unreadable', 'next tuesday'],
  ])('ignores an on_hold_until %s', (_when, onHoldUntil) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.ticket.on_hold_until = onHoldUntil;
    expect(map(wire).status).toBe('OPEN');
  });

  it('judges the hold against context.now, not the wall clock', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.ticket.on_hold_until = '2030-01-31T17:00:00+00:00';
    expect(map(wire, context({}, Date.parse('2030-01-31T16:59:59Z'))).status).toBe('ON_HOLD');
    expect(map(wire, context({}, Date.parse('2030-02-01T00:00:00Z'))).status).toBe('OPEN');
  });

  it.each([
    ['10', 'LOW'],
    ['20', 'NORMAL'],
    ['30', 'HIGH'],
    ['40', 'URGENT'],
    ['50', 'CRITICAL'],
    ['60', null],
    ['constructor', null],
  ] as const)('maps priority %s through the priorityMap to %s', (priority, expected) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.ticket.priority = priority;
    const ticket = map(wire, context({ '10': 'LOW', '20': 'NORMAL', '30': 'HIGH', '40': 'URGENT', '50': 'CRITICAL' }));
    expect([ticket.priority, ticket.vendorPriority]).toEqual([expected, priority]);
  });

  it('has no priority without a priorityMap, and keeps the vendor value', () => {
    const ticket = map(PAGE_EXAMPLE, context({}));
    expect([ticket.priority, ticket.vendorPriority]).toEqual([null, '20']);
  });

  it.each([
    [true, false, 'AGENT', 'PUBLIC'],
    [false, false, 'CUSTOMER', 'PUBLIC'],
    [true, true, 'AGENT', 'INTERNAL'],
  ])('maps staff_response %s / is_internal %s to %s, %s', (staff, internal, authorKind, visibility) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.responses = [response({ staff_response: staff, is_internal: internal, created_by_email: 'x@y.example' })];
    const [message] = map(wire).messages;
    expect([message!.authorKind, message!.visibility, message!.author]).toEqual([
      authorKind,
      visibility,
      { name: null, email: 'x@y.example', vendorId: null },
    ]);
  });

  it('puts the pinned-first thread back in chronological order, keeping pinned', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.responses = [
      response({ id: '45', is_pinned: true, created_at: '2026-05-02T10:00:00+00:00' }),
      response({ id: '43', created_at: '2026-05-01T09:14:02+00:00' }),
      response({ id: '44', created_at: '2026-05-01T12:00:00+00:00' }),
      response({ id: '46', created_at: '2026-05-03T08:00:00+00:00' }),
    ];
    const messages = map(wire).messages;
    expect(messages.map((m) => [m.nativeId, m.pinned])).toEqual([
      ['43', false],
      ['44', false],
      ['45', true],
      ['46', false],
    ]);
  });

  it('prefers plain_text as bodyText and derives it from the HTML when blank', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.responses = [
      response({ id: '1', html: '<p>Hi <b>there</b></p>', plain_text: 'Hi there (plain)' }),
      response({ id: '2', html: '<p>Hi <b>there</b></p>', plain_text: '  ' }),
      response({ id: '3', html: '<p>Hi <b>there</b></p>', plain_text: null }),
      response({ id: '4', html: '', plain_text: '' }),
    ];
    expect(withBodies(map(wire).messages).map((m) => [m.bodyText, m.bodyHtml])).toEqual([
      ['Hi there (plain)', '<p>Hi <b>there</b></p>'],
      ['Hi there', '<p>Hi <b>there</b></p>'],
      ['Hi there', '<p>Hi <b>there</b></p>'],
      [null, null],
    ]);
  });

  it('neutralises hostile HTML', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.responses = [
      response({
        html: '<p>Hello <script>alert("xss")</script><a href="javascript:alert(1)">click me</a><img src="x" onerror="alert(2)"><iframe src="https://evil.example"></iframe><span style="position:fixed">overlay</span></p>',
        plain_text: null,
      }),
    ];
    const [message] = withBodies(map(wire).messages);
    expect(message!.bodyHtml).toBe('<p>Hello <a rel="noopener noreferrer nofollow" target="_blank">click me</a><span>overlay</span></p>');
    for (const hostile of ['<script', 'onerror', 'javascript:', '<iframe', 'style=']) expect(message!.bodyHtml).not.toContain(hostile);
    expect(message!.bodyText).toBe('Hello click meoverlay');
    expect(message!.bodyText).not.toContain('alert');
  });

  it('normalises +00:00 offsets and reads resolved', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.data.ticket.status = 'resolved';
    wire.data.ticket.resolved = '2026-05-03T07:00:00+02:00';
    expect(map(wire).resolvedAt).toBe('2026-05-03T05:00:00.000Z');
  });

  it('rejects a 200 whose envelope says ok: false', () => {
    const call = () =>
      expectOk(tickitiShowResponse, 'TICKITI', '220009', {
        status: 200,
        headers: {},
        json: { ok: false, error: { code: 'not_found', message: 'Ticket not found.' } },
        jsonError: false,
      });
    expect(call).toThrow(
      expect.objectContaining({
        code: 'UPSTREAM_BAD_RESPONSE',
        message: 'TICKITI answered TICKITI ticket "220009" with a payload its API does not promise: ok: Invalid input: expected true.',
      }),
    );
  });
});

describe('Tickiti payloads in the shapes its docs allow', () => {
  /** The page example with some fields replaced (ticket, first response, first attachment). */
  function variant(ticket: Record<string, unknown>, first: Record<string, unknown> = {}, file: Record<string, unknown> = {}): unknown {
    const wire = structuredClone(PAGE_EXAMPLE) as unknown as {
      data: { ticket: Record<string, unknown>; responses: Array<Record<string, unknown> & { attachments: Record<string, unknown>[] }> };
    };
    Object.assign(wire.data.ticket, ticket);
    Object.assign(wire.data.responses[0]!, first);
    if (Array.isArray(wire.data.responses[0]!.attachments)) Object.assign(wire.data.responses[0]!.attachments[0]!, file);
    return wire;
  }
  const read = (wire: unknown) => mapTickitiTicket(tickitiShowResponse.parse(wire).data, context());

  it('reads "numeric ids are returned as strings" both ways: digit strings or integers, kept as text', () => {
    const asStrings = read(variant({ number: '220009', id: '1', queue_id: '4' }, { id: '42' }, { id: '14494', file_size: '1196962' }));
    const asNumbers = read(variant({ number: 220009, id: 1, queue_id: 4, priority: 20 }, { id: 42 }, { id: 14494, file_size: 1196962 }));
    expect(asNumbers).toEqual(asStrings);
    expect(asStrings).toMatchObject({ ref: '220009', nativeId: '1', number: '220009', group: { id: '4', name: null }, priority: 'NORMAL' });
    expect(asStrings.messages[0]).toMatchObject({ id: messageId('TICKITI', '1', '42'), nativeId: '42' });
    expect(asStrings.messages[0]!.attachments[0]).toMatchObject({ id: attachmentId('TICKITI', '1', '14494'), nativeId: '14494', size: 1196962 });
  });

  it('serves a file_size beyond GraphQL Int as an unknown size, not a failed field', () => {
    expect(read(variant({}, {}, { file_size: 5_000_000_000 })).messages[0]!.attachments[0]!.size).toBeNull();
    expect(read(variant({}, {}, { file_size: '2147483647' })).messages[0]!.attachments[0]!.size).toBe(2_147_483_647);
  });

  it('is UPSTREAM_BAD_RESPONSE for a number that is not digits (it is the ref)', () => {
    expect(tickitiShowResponse.safeParse(variant({ number: '22x009' })).success).toBe(false);
    expect(tickitiShowResponse.safeParse(variant({ number: -1 })).success).toBe(false);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
  ])('reads %s attachments as none', (_, attachments) => {
    const wire = variant({}, { attachments });
    if (attachments === undefined) delete (wire as { data: { responses: Record<string, unknown>[] } }).data.responses[0]!['attachments'];
    expect(read(wire).messages[0]!.attachments).toEqual([]);
  });

  it.each([
    ['a timestamp', '2026-05-03T08:00:00+00:00', '2026-05-03T08:00:00.000Z'],
    ['null', null, null],
    ['absent', undefined, null],
    ['a boolean', true, null],
    ['a number', 1714723200, null],
  ])('reads resolved given as %s without rejecting the ticket', (_, resolved, resolvedAt) => {
    const wire = variant({ resolved, on_hold_until: resolved });
    expect(read(wire)).toMatchObject({ resolvedAt, status: 'OPEN' });
  });

  it('never rejects a ticket over fields it does not map, unknown fields or unknown enum values', () => {
    const ticket = read(
      variant(
        { status: 'merged', tags: ['x'], custom_fields: { a: [1] } },
        { is_email_sourced: 'yes', response_channel: 7 },
        { response_id: 42, file_size_formatted: null, extension_rule: { rule: 'review' }, mime_type: 3 },
      ),
    );
    expect([ticket.status, ticket.vendorStatus]).toEqual(['UNKNOWN', 'merged']);
    expect(ticket.messages[0]!.attachments[0]!.name).toBe('UPDD Diag.zip');
  });

  it('reads a response without staff_response or is_pinned as UNKNOWN author, not pinned', () => {
    const wire = variant({}, { staff_response: null, is_pinned: undefined });
    expect(read(wire).messages[0]).toMatchObject({ authorKind: 'UNKNOWN', pinned: false });
  });

  it.each([
    [422, 'validation_failed', 'BAD_USER_INPUT'],
    [404, 'not_found', 'NOT_FOUND'],
    [401, 'unauthenticated', 'UPSTREAM_UNAUTHORIZED'],
  ])('maps the documented %i %s to %s', async (status, code, expected) => {
    const answer = { status, body: { ok: false, error: { code, message: 'x' } } };
    expect((await failure(readWith('TICKITI', createTickitiConnector, answer, '220009'))).code).toBe(expected);
  });

  it('says why a 403 forbidden happens, in DeskGraph\'s words', async () => {
    const answer = { status: 403, body: { ok: false, error: { code: 'forbidden', message: 'secret-bearing text' } } };
    const result = await failure(readWith('TICKITI', createTickitiConnector, answer, '220009'));
    expect(result).toEqual({
      code: 'UPSTREAM_FORBIDDEN',
      message:
        'TICKITI refused DeskGraph access to TICKITI ticket "220009". Tickiti refuses a token without the tickets:read ability, one whose user cannot see the ticket\'s queue, or one not owned by a staff account.',
    });
  });
});

describe('Tickiti connector against its simulator', () => {
  const harness = useConnectorHarness(createTickitiSimulator, createTickitiConnector, {
    priorityMap: { '10': 'LOW', '20': 'NORMAL', '30': 'HIGH', '40': 'URGENT' },
  });

  it('reads a ticket by number with one POST to /api/v1/tickets/show', async () => {
    const h = await harness();
    const ticket = await h.fetch('220001');
    expect([ticket.ref, ticket.nativeId, ticket.number, ticket.status, ticket.priority]).toEqual([
      '220001',
      '2',
      '220001',
      'CLOSED',
      'NORMAL',
    ]);
    expect(h.simulator.stats.byPath).toEqual({ '/api/v1/tickets/show': 1 });
    expect(h.simulator.stats.byStatus).toEqual({ 200: 1 });
    // The vendor sends the pinned reply first; it comes out in its chronological place.
    expect(ticket.messages.map((m) => m.pinned)).toEqual([false, true, false]);
    const times = ticket.messages.map((m) => Date.parse(m.createdAt!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('answers only a JSON POST, as the page documents', async () => {
    const h = await harness();
    const url = `${h.simulator.url}/api/v1/tickets/show`;
    const auth = { authorization: `Bearer ${TICKITI_SIM_TOKEN}` };
    const get = await fetch(url, { headers: auth });
    const noBody = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } });
    const form = await fetch(url, { method: 'POST', headers: auth, body: 'ticket_number=220000' });
    const ok = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"ticket_number":"220000"}' });
    expect([get.status, noBody.status, form.status, ok.status]).toEqual([404, 422, 422, 200]);
    expect(await noBody.json()).toEqual({ ok: false, error: { code: 'validation_failed', message: 'The ticket number field is required.' } });
  });

  it('maps every sample ticket without error, on hold and pinned ones included', async () => {
    const h = await harness();
    const statuses = new Set<string>();
    for (const sample of tickitiSampleTickets()) {
      const ticket = await h.fetch(String(sample.ticket.number));
      expect(ticket.subject).toBe(sample.ticket.subject);
      expect(ticket.messages).toHaveLength(sample.responses.length);
      expect(ticket.number).toBe(String(sample.ticket.number));
      statuses.add(ticket.status);
    }
    expect([...statuses].sort()).toEqual(['CLOSED', 'ON_HOLD', 'OPEN', 'RESOLVED']);
    const samples = tickitiSampleTickets();
    // The documented edge values are in the sample data: numbers as strings and integers,
    // attachments absent and null, a ticket without subject, queue or originator.
    expect(new Set(samples.map((sample) => typeof sample.ticket.number))).toEqual(new Set(['string', 'number']));
    const lists = samples.flatMap((sample) => sample.responses.map((response) => ('attachments' in response ? response.attachments : 'absent')));
    expect([lists.includes('absent'), lists.includes(null)]).toEqual([true, true]);
    const bare = samples[TICKITI_BARE_TICKET_INDEX]!;
    expect(await h.fetch(String(bare.ticket.number))).toMatchObject({ subject: null, group: null, requester: null });
  });

  itMapsVendorFailures(harness, {
    ref: '220000',
    unknownRef: '999999',
    wrongToken: 'tkt_wrong_secret',
    statuses: [
      [401, 'UPSTREAM_UNAUTHORIZED'],
      [403, 'UPSTREAM_FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [422, 'BAD_USER_INPUT'],
      [429, 'RATE_LIMITED'],
      [500, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
    ],
    missingField: 'data.ticket.status: Invalid input: expected string, received undefined.',
  });
});
