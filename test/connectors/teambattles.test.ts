import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { createTeamBattlesConnector } from '../../src/connectors/teambattles/client.js';
import { mapTeamBattlesTicket } from '../../src/connectors/teambattles/map.js';
import { teamBattlesTicket } from '../../src/connectors/teambattles/wire.js';
import { messageId } from '../../src/domain/global-id.js';
import { teamBattlesSampleTickets, teamBattlesTicketId } from '../../src/simulators/teambattles/data.js';
import { createTeamBattlesSimulator, TEAMBATTLES_SIM_TOKEN } from '../../src/simulators/teambattles/spec.js';
import { failure, itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
import { readWith } from '../helpers/vendor-answer.js';
import { renderedTicket, withBodies } from '../helpers/bodies.js';

/**
 * The page's example has `"<string>"` placeholders, and its rendering leaves out `status` and
 * `priority`, which its schema lists as required: this is the page's field set (plus those two)
 * with concrete values.
 */
const PAGE_EXAMPLE = {
  id: 'cmb7x2k9q0001l808abcd1234',
  ticketNumber: 1042,
  subject: 'Tournament bracket shows wrong seed',
  description: 'Our team is seeded 16th but we won the qualifier.',
  category: 'Tournaments',
  status: 'in_progress',
  priority: 'high',
  createdAt: '2026-05-01T09:14:02.000Z',
  updatedAt: '2026-05-01T10:02:44.000Z' as string | null,
  resolvedAt: null as string | null,
  closedAt: null as string | null,
  messages: [
    {
      id: 'cmb7x9f3a0003l808wxyz5678',
      content: 'Thanks, we are checking the qualifier results.\nBack to you shortly.' as string | null,
      isSystem: false,
      isOwnMessage: false,
      createdAt: '2026-05-01T10:02:44.000Z' as string | null,
    },
    {
      id: 'cmb7x5c1m0002l808efgh9012',
      content: 'Ticket received. Average response time: 2 hours.',
      isSystem: true,
      isOwnMessage: false,
      createdAt: '2026-05-01T09:14:03.000Z',
    },
  ],
  timestamp: '2026-05-01T10:05:00.000Z',
};

const CONTEXT: MapContext = { now: Date.parse('2026-06-01T12:00:00Z'), priorityMap: {}, absoluteUrl: (path) => path };

function map(wire: unknown) {
  return mapTeamBattlesTicket(teamBattlesTicket.parse(wire), CONTEXT);
}

describe('TeamBattles mapping', () => {
  it('maps a page-shaped payload to exact unified values', () => {
    expect(renderedTicket(map(PAGE_EXAMPLE))).toEqual({
      provider: 'TEAMBATTLES',
      ref: 'cmb7x2k9q0001l808abcd1234',
      nativeId: 'cmb7x2k9q0001l808abcd1234',
      number: '1042',
      subject: 'Tournament bracket shows wrong seed',
      description: 'Our team is seeded 16th but we won the qualifier.',
      status: 'IN_PROGRESS',
      vendorStatus: 'in_progress',
      statusLabel: null,
      priority: 'HIGH',
      vendorPriority: 'high',
      requester: null,
      assignee: null,
      group: null,
      category: 'Tournaments',
      createdAt: '2026-05-01T09:14:02.000Z',
      updatedAt: '2026-05-01T10:02:44.000Z',
      resolvedAt: null,
      closedAt: null,
      attachments: [],
      // Oldest first, whatever the vendor's order.
      messages: [
        {
          id: messageId('TEAMBATTLES', 'cmb7x2k9q0001l808abcd1234', 'cmb7x5c1m0002l808efgh9012'),
          nativeId: 'cmb7x5c1m0002l808efgh9012',
          authorKind: 'SYSTEM',
          author: null,
          visibility: 'PUBLIC',
          pinned: false,
          bodyFormat: 'TEXT',
          bodyText: 'Ticket received. Average response time: 2 hours.',
          bodyHtml: '<p>Ticket received. Average response time: 2 hours.</p>',
          createdAt: '2026-05-01T09:14:03.000Z',
          updatedAt: null,
          attachments: [],
        },
        {
          id: messageId('TEAMBATTLES', 'cmb7x2k9q0001l808abcd1234', 'cmb7x9f3a0003l808wxyz5678'),
          nativeId: 'cmb7x9f3a0003l808wxyz5678',
          authorKind: 'AGENT',
          author: null,
          visibility: 'PUBLIC',
          pinned: false,
          bodyFormat: 'TEXT',
          bodyText: 'Thanks, we are checking the qualifier results.\nBack to you shortly.',
          bodyHtml: '<p>Thanks, we are checking the qualifier results.<br>\nBack to you shortly.</p>',
          createdAt: '2026-05-01T10:02:44.000Z',
          updatedAt: null,
          attachments: [],
        },
      ],
    });
  });

  it.each([
    ['open', 'OPEN'],
    ['in_progress', 'IN_PROGRESS'],
    ['awaiting_response', 'WAITING_ON_CUSTOMER'],
    ['resolved', 'RESOLVED'],
    ['closed', 'CLOSED'],
    ['escalated', 'UNKNOWN'],
    ['toString', 'UNKNOWN'],
  ])('maps status %s to %s and keeps the vendor value', (status, expected) => {
    const ticket = map({ ...structuredClone(PAGE_EXAMPLE), status });
    expect([ticket.status, ticket.vendorStatus]).toEqual([expected, status]);
  });

  it.each([
    ['low', 'LOW'],
    ['medium', 'NORMAL'],
    ['high', 'HIGH'],
    ['urgent', 'URGENT'],
    ['whenever', null],
  ])('maps priority %s to %s', (priority, expected) => {
    const ticket = map({ ...structuredClone(PAGE_EXAMPLE), priority });
    expect([ticket.priority, ticket.vendorPriority]).toEqual([expected, priority]);
  });

  it.each([
    [true, false, 'SYSTEM'],
    [true, true, 'SYSTEM'],
    [false, true, 'CUSTOMER'],
    [false, false, 'AGENT'],
  ])('maps isSystem %s / isOwnMessage %s to %s, always PUBLIC', (isSystem, isOwnMessage, expected) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.messages = [{ ...wire.messages[0]!, isSystem, isOwnMessage }];
    const [message] = map(wire).messages;
    expect([message!.authorKind, message!.visibility, message!.pinned]).toEqual([expected, 'PUBLIC', false]);
  });

  it('reads resolvedAt and closedAt, and nulls a blank description or body', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    Object.assign(wire, { status: 'closed', description: '  ', resolvedAt: '2026-05-02T08:00:00+02:00', closedAt: '2026-05-09T06:00:00.000Z', updatedAt: null });
    wire.messages[0]!.content = '';
    wire.messages[0]!.createdAt = null;
    const ticket = map(wire);
    expect([ticket.description, ticket.resolvedAt, ticket.closedAt, ticket.updatedAt]).toEqual([
      null,
      '2026-05-02T06:00:00.000Z',
      '2026-05-09T06:00:00.000Z',
      null,
    ]);
    // An undated message keeps its place last.
    expect(withBodies(ticket.messages).map((m) => [m.nativeId, m.bodyText, m.bodyHtml])).toEqual([
      ['cmb7x5c1m0002l808efgh9012', 'Ticket received. Average response time: 2 hours.', '<p>Ticket received. Average response time: 2 hours.</p>'],
      ['cmb7x9f3a0003l808wxyz5678', null, null],
    ]);
  });

  it('escapes text bodies and keeps the text as written', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.messages = [{ ...wire.messages[0]!, content: '<script>alert(1)</script> <img src=x onerror=alert(2)>' }];
    const [message] = withBodies(map(wire).messages);
    expect(message!.bodyHtml).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;</p>');
    expect(message!.bodyText).toBe('<script>alert(1)</script> <img src=x onerror=alert(2)>');
  });
});

describe('TeamBattles payloads and errors in the shapes its docs give', () => {
  it('never rejects a ticket over fields it does not map, unknown fields or unknown enum values', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as Record<string, unknown> & { messages: Record<string, unknown>[] };
    Object.assign(wire, { timestamp: 1767225600, status: 'escalated', priority: 'p0', assignedStaff: { id: 1 } });
    Object.assign(wire.messages[0]!, { attachments: 'none', reactions: [{ emoji: 1 }] });
    const ticket = map(wire);
    expect([ticket.status, ticket.vendorStatus, ticket.priority, ticket.vendorPriority]).toEqual(['UNKNOWN', 'escalated', null, 'p0']);
    expect(ticket.messages).toEqual(map(PAGE_EXAMPLE).messages);
  });

  it.each([
    [401, 'error_api_key_required', 'UPSTREAM_UNAUTHORIZED', 'TeamBattles received no API key.'],
    [401, 'error_api_key_invalid', 'UPSTREAM_UNAUTHORIZED', 'TeamBattles reports the API key invalid or revoked.'],
    [401, 'error_api_key_expired', 'UPSTREAM_UNAUTHORIZED', 'TeamBattles reports the API key past its expiry date.'],
    [403, 'error_api_key_muted', 'UPSTREAM_FORBIDDEN', 'TeamBattles has temporarily muted the API key.'],
    [403, 'error_api_key_permission_denied', 'UPSTREAM_FORBIDDEN', 'The API key lacks the tickets.read:read permission.'],
    [403, 'error_api_plan_required', 'UPSTREAM_FORBIDDEN', 'TeamBattles requires a higher API plan.'],
    [429, 'error_ip_rate_limited', 'RATE_LIMITED', "TeamBattles' per-IP flood guard tripped."],
  ])('maps HTTP %i { error: %s } to %s and says why in its own words', async (status, error, code, cause) => {
    const answer = { status, body: { error, details: 'optional words <echo>' }, headers: { 'retry-after': '3' } };
    const result = await failure(readWith('TEAMBATTLES', createTeamBattlesConnector, answer, 'abc'));
    expect(result.code).toBe(code);
    expect(result.message.endsWith(` ${cause}`)).toBe(true);
    expect(result.message).not.toContain('echo');
  });

  it.each([
    [404, 'TICKET_NOT_FOUND', 'NOT_FOUND', 'TEAMBATTLES ticket "abc" does not exist or is not visible to DeskGraph.'],
    [429, 'error_api_rate_limited', 'RATE_LIMITED', 'TEAMBATTLES\'s rate limit is spent; TEAMBATTLES ticket "abc" can be read again in 3s.'],
    [500, 'error_internal', 'UPSTREAM_UNAVAILABLE', 'TEAMBATTLES failed (HTTP 500) while reading TEAMBATTLES ticket "abc".'],
  ])('maps HTTP %i { error: %s } to %s', async (status, error, code, message) => {
    const answer = { status, body: { error, details: 'optional words <echo>' }, headers: { 'retry-after': '3' } };
    expect(await failure(readWith('TEAMBATTLES', createTeamBattlesConnector, answer, 'abc'))).toEqual({ code, message });
  });

  it('gives a 429 the Retry-After seconds TeamBattles sends', async () => {
    const answer = {
      status: 429,
      body: { error: 'error_api_rate_limited' },
      headers: { 'retry-after': '7', 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' },
    };
    const error = await readWith('TEAMBATTLES', createTeamBattlesConnector, answer, 'abc').catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 7 });
  });
});

describe('TeamBattles simulator: the published per-key bucket and error envelope', () => {
  const harness = useConnectorHarness(createTeamBattlesSimulator, createTeamBattlesConnector);
  afterEach(() => vi.useRealTimers());

  async function get(url: string, headers: Record<string, string> = { authorization: `Bearer ${TEAMBATTLES_SIM_TOKEN}` }) {
    const response = await request(url, { headers });
    const body = (await response.body.json()) as Record<string, unknown>;
    const h = response.headers;
    return {
      status: response.statusCode,
      limit: [h['x-ratelimit-limit'], h['x-ratelimit-remaining'], h['x-ratelimit-reset'], h['retry-after']],
      body,
    };
  }

  it('lets 60 requests through at once, refuses the 61st with 429 error_api_rate_limited, and refills 1 per second', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-04T15:00:00.000Z') });
    const h = await harness();
    h.simulator.reset();
    const url = `${h.simulator.url}/api/v1/tickets/${teamBattlesTicketId(0)}`;
    const answers = [];
    for (let i = 0; i < 61; i += 1) answers.push(await get(url));
    expect(answers.slice(0, 60).every((answer) => answer.status === 200)).toBe(true);
    expect(answers[0]!.limit).toEqual(['60', '59', '0', undefined]);
    expect(answers[59]!.limit).toEqual(['60', '0', '1', undefined]);
    expect(answers[60]).toEqual({
      status: 429,
      limit: ['60', '0', '1', '1'],
      body: { error: 'error_api_rate_limited', details: 'Rate limit exceeded.' },
    });
    // A 404 spends a token too: every request does.
    vi.setSystemTime(Date.now() + 2000);
    expect((await get(`${h.simulator.url}/api/v1/tickets/unknown-1`)).limit).toEqual(['60', '1', '0', undefined]);
    expect((await get(url)).limit).toEqual(['60', '0', '1', undefined]);
    expect((await get(url)).status).toBe(429);
    expect(h.simulator.stats.byStatus).toEqual({ '200': 61, '404': 1, '429': 2 });
  });

  it('refuses an invalid key before the bucket: nothing spent, error_api_key_required / error_api_key_invalid', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-04T15:00:00.000Z') });
    const h = await harness();
    h.simulator.reset();
    const url = `${h.simulator.url}/api/v1/tickets/${teamBattlesTicketId(0)}`;
    expect(await get(url, {})).toEqual({
      status: 401,
      limit: [undefined, undefined, undefined, undefined],
      body: { error: 'error_api_key_required', details: 'No API key provided in Authorization header.' },
    });
    expect((await get(url, { authorization: 'Bearer tb_wrong' })).body).toEqual({
      error: 'error_api_key_invalid',
      details: 'API key is invalid or revoked.',
    });
    expect((await get(url)).limit).toEqual(['60', '59', '0', undefined]);
    expect((await get(`${h.simulator.url}/api/v1/tickets/nope`)).body).toEqual({ error: 'TICKET_NOT_FOUND', details: 'Ticket not found.' });
  });

  it('reads as RATE_LIMITED through the connector once the bucket is empty', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-04T15:00:00.000Z') });
    const h = await harness();
    h.simulator.reset();
    for (let i = 0; i < 60; i += 1) await h.fetch(teamBattlesTicketId(i % 5));
    const error = await h.fetch(teamBattlesTicketId(0)).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
  });

  it('has no bucket when created without one (benchmarks)', async () => {
    const simulator = createTeamBattlesSimulator({}, { bucket: null });
    const url = await simulator.listen();
    try {
      const answer = await get(`${url}/api/v1/tickets/${teamBattlesTicketId(0)}`);
      expect([answer.status, answer.limit]).toEqual([200, [undefined, undefined, undefined, undefined]]);
    } finally {
      await simulator.close();
    }
  });
});

describe('TeamBattles connector against its simulator', () => {
  const harness = useConnectorHarness(createTeamBattlesSimulator, createTeamBattlesConnector);

  it('reads a ticket by id with one GET', async () => {
    const h = await harness();
    const id = teamBattlesTicketId(2);
    const ticket = await h.fetch(id);
    expect([ticket.ref, ticket.nativeId, ticket.number, ticket.status, ticket.priority]).toEqual([
      id,
      id,
      '1048',
      'WAITING_ON_CUSTOMER',
      'HIGH',
    ]);
    expect(h.simulator.stats.byPath).toEqual({ [`/api/v1/tickets/${id}`]: 1 });
  });

  it('maps every sample ticket without error', async () => {
    const h = await harness();
    const statuses = new Set<string>();
    for (const sample of teamBattlesSampleTickets()) {
      const ticket = await h.fetch(sample.id);
      expect(ticket.subject).toBe(sample.subject);
      expect(ticket.messages).toHaveLength(sample.messages.length);
      statuses.add(ticket.status);
    }
    expect(statuses.size).toBe(5);
  });

  itMapsVendorFailures(harness, {
    ref: teamBattlesTicketId(0),
    unknownRef: 'tb_tkt_unknown-1',
    wrongToken: 'tb_wrong_secret',
    statuses: [
      [401, 'UPSTREAM_UNAUTHORIZED'],
      [403, 'UPSTREAM_FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [429, 'RATE_LIMITED'],
      [500, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
    ],
    missingField: 'status: Invalid input: expected string, received undefined.',
  });
});
