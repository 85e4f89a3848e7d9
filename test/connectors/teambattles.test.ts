import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { createTeamBattlesConnector } from '../../src/connectors/teambattles/client.js';
import { mapTeamBattlesTicket } from '../../src/connectors/teambattles/map.js';
import { teamBattlesTicket } from '../../src/connectors/teambattles/wire.js';
import { messageId } from '../../src/domain/global-id.js';
import { teamBattlesSampleTickets, teamBattlesTicketId } from '../../src/simulators/teambattles/data.js';
import { createTeamBattlesSimulator } from '../../src/simulators/teambattles/spec.js';
import { itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
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

function map(wire: typeof PAGE_EXAMPLE) {
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
