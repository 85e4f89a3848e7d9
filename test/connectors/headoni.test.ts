import { describe, expect, it } from 'vitest';
import { createHeadoniConnector } from '../../src/connectors/headoni/client.js';
import { mapHeadoniTicket } from '../../src/connectors/headoni/map.js';
import { headoniTicketResponse } from '../../src/connectors/headoni/wire.js';
import { messageId } from '../../src/domain/global-id.js';
import { headoniSampleTickets, headoniTicketId } from '../../src/simulators/headoni/data.js';
import { createHeadoniSimulator } from '../../src/simulators/headoni/spec.js';
import { itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
import { renderedTicket, withBodies } from '../helpers/bodies.js';

/** The example response of shared/vendors/headoni.md, verbatim. */
const PAGE_EXAMPLE = {
  ticket: {
    id: '1490375649312800768',
    number: 1247,
    subject: 'Login broken on staging',
    priority: 'high',
    status: { id: '1490300000000000001', label: 'Open', internalType: 'open' },
    requester: { email: 'alice@example.com', name: 'Alice' },
    department: { id: '1490200000000000001', name: 'Support' },
    ticketType: { id: '1490100000000000001', name: 'Question' },
    createdAt: '2026-06-04T15:21:09.000Z',
    updatedAt: '2026-06-04T15:40:11.000Z',
    messages: [
      {
        id: '1490375649312800769',
        authorKind: 'end_user',
        bodyMd: 'I loop back to /sign-in after typing my email.',
        createdAt: '2026-06-04T15:21:09.000Z',
      },
    ],
  },
};

describe('Headoni mapping', () => {
  it('maps the vendor page example to exact unified values', () => {
    const ticket = mapHeadoniTicket(headoniTicketResponse.parse(PAGE_EXAMPLE).ticket);
    expect(renderedTicket(ticket)).toEqual({
      provider: 'HEADONI',
      ref: '1490375649312800768',
      nativeId: '1490375649312800768',
      number: '1247',
      subject: 'Login broken on staging',
      description: null,
      status: 'OPEN',
      vendorStatus: 'open',
      statusLabel: 'Open',
      priority: 'HIGH',
      vendorPriority: 'high',
      requester: { name: 'Alice', email: 'alice@example.com', vendorId: null },
      assignee: null,
      group: { id: '1490200000000000001', name: 'Support' },
      category: 'Question',
      createdAt: '2026-06-04T15:21:09.000Z',
      updatedAt: '2026-06-04T15:40:11.000Z',
      resolvedAt: null,
      closedAt: null,
      attachments: [],
      messages: [
        {
          id: messageId('HEADONI', '1490375649312800768', '1490375649312800769'),
          nativeId: '1490375649312800769',
          authorKind: 'CUSTOMER',
          author: null,
          visibility: 'PUBLIC',
          pinned: false,
          bodyFormat: 'MARKDOWN',
          bodyText: 'I loop back to /sign-in after typing my email.',
          bodyHtml: '<p>I loop back to /sign-in after typing my email.</p>',
          createdAt: '2026-06-04T15:21:09.000Z',
          updatedAt: null,
          attachments: [],
        },
      ],
    });
  });

  it.each([
    ['open', 'OPEN'],
    ['awaiting_reply', 'WAITING_ON_CUSTOMER'],
    ['resolved', 'RESOLVED'],
    ['closed', 'CLOSED'],
    ['archived', 'UNKNOWN'],
  ])('maps status.internalType %s to %s and keeps the vendor value', (internalType, status) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.ticket.status.internalType = internalType;
    const ticket = mapHeadoniTicket(headoniTicketResponse.parse(wire).ticket);
    expect([ticket.status, ticket.vendorStatus]).toEqual([status, internalType]);
  });

  it.each([
    ['low', 'LOW'],
    ['normal', 'NORMAL'],
    ['high', 'HIGH'],
    ['urgent', 'URGENT'],
    ['whenever', null],
  ])('maps priority %s to %s', (priority, expected) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.ticket.priority = priority;
    expect(mapHeadoniTicket(headoniTicketResponse.parse(wire).ticket).priority).toBe(expected);
  });

  it.each([
    ['agent', 'AGENT'],
    ['end_user', 'CUSTOMER'],
    ['system', 'SYSTEM'],
    ['automation', 'AUTOMATION'],
    ['robot', 'UNKNOWN'],
  ])('maps authorKind %s to %s', (authorKind, expected) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.ticket.messages[0]!.authorKind = authorKind;
    expect(mapHeadoniTicket(headoniTicketResponse.parse(wire).ticket).messages[0]!.authorKind).toBe(expected);
  });

  it('renders Markdown and neutralises hostile Markdown', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.ticket.messages[0]!.bodyMd = '**Hi** <script>alert(1)</script> [x](javascript:alert(1))';
    const [message] = withBodies(mapHeadoniTicket(headoniTicketResponse.parse(wire).ticket).messages);
    // Raw HTML in Markdown is HTML (CONTRACT §2): the script goes, content and all; the
    // javascript: link is not linked.
    expect(message!.bodyHtml).toBe('<p><strong>Hi</strong>  [x](javascript:alert(1))</p>');
    expect(message!.bodyText).toBe('Hi [x](javascript:alert(1))');
  });
});

describe('Headoni connector against its simulator', () => {
  const harness = useConnectorHarness(createHeadoniSimulator, createHeadoniConnector);

  it('reads a ticket by number and by id with one GET each', async () => {
    const h = await harness();
    const byNumber = await h.fetch('1241');
    const byId = await h.fetch(headoniTicketId(1));
    expect(byNumber).toEqual(byId);
    expect(byNumber.ref).toBe(headoniTicketId(1));
    expect(byNumber.number).toBe('1241');
    expect(h.simulator.stats.byPath).toEqual({
      '/api/v1/tickets/1241': 1,
      [`/api/v1/tickets/${headoniTicketId(1)}`]: 1,
    });
  });

  it('maps every sample ticket without error', async () => {
    const h = await harness();
    for (const sample of headoniSampleTickets()) {
      expect((await h.fetch(sample.id)).subject).toBe(sample.subject);
    }
  });

  itMapsVendorFailures(harness, {
    ref: '1240',
    unknownRef: '999999',
    wrongToken: 'hd_wrong_secret',
    statuses: [
      [400, 'BAD_USER_INPUT'],
      [401, 'UPSTREAM_UNAUTHORIZED'],
      [403, 'UPSTREAM_FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [429, 'RATE_LIMITED'],
      [500, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
    ],
    missingField: 'ticket.status: Invalid input: expected object, received undefined.',
  });
});
