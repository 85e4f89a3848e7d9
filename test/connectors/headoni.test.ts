import { describe, expect, it } from 'vitest';
import { createHeadoniConnector } from '../../src/connectors/headoni/client.js';
import { mapHeadoniTicket } from '../../src/connectors/headoni/map.js';
import { headoniTicketResponse } from '../../src/connectors/headoni/wire.js';
import { messageId } from '../../src/domain/global-id.js';
import { HEADONI_BARE_TICKET_INDEX, headoniSampleTickets, headoniTicketId } from '../../src/simulators/headoni/data.js';
import { createHeadoniSimulator } from '../../src/simulators/headoni/spec.js';
import { failure, itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
import { readWith } from '../helpers/vendor-answer.js';
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

describe('Headoni payloads in the shapes its docs allow', () => {
  const map = (wire: unknown) => mapHeadoniTicket(headoniTicketResponse.parse(wire).ticket);

  it('reads null requester fields, a null subject and absent department and ticket type as null', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as { ticket: Record<string, unknown> };
    Object.assign(wire.ticket, { subject: null, requester: { email: null, name: null } });
    delete wire.ticket['department'];
    delete wire.ticket['ticketType'];
    expect(map(wire)).toMatchObject({ subject: null, requester: null, group: null, category: null });
    Object.assign(wire.ticket, { requester: { email: null, name: 'Alice' } });
    expect(map(wire).requester).toEqual({ name: 'Alice', email: null, vendorId: null });
  });

  it('never rejects a ticket over fields it does not map, unknown fields or unknown enum values', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as { ticket: Record<string, unknown> };
    Object.assign(wire.ticket, {
      status: { id: 77, label: 'Snoozed', internalType: 'snoozed', color: '#fff' },
      ticketType: { id: { legacy: true }, name: 'Question' },
      priority: 'blocker',
      tags: [{ deep: ['drift'] }],
      sla: null,
    });
    const messages = wire.ticket['messages'] as Record<string, unknown>[];
    Object.assign(messages[0]!, { authorKind: 'bot', attachments: 'not a list', editedAt: 5 });
    const ticket = map(wire);
    expect(ticket).toMatchObject({
      status: 'UNKNOWN',
      vendorStatus: 'snoozed',
      statusLabel: 'Snoozed',
      priority: null,
      vendorPriority: 'blocker',
      category: 'Question',
    });
    expect(ticket.messages.map((message) => [message.nativeId, message.authorKind])).toEqual([['1490375649312800769', 'UNKNOWN']]);
  });

  it('is UPSTREAM_BAD_RESPONSE when a mapped field has the wrong type', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as { ticket: Record<string, unknown> };
    wire.ticket['number'] = '1247';
    expect(headoniTicketResponse.safeParse(wire).success).toBe(false);
  });

  it.each([
    [400, 'invalid_id', 'BAD_USER_INPUT', 'Headoni reads tickets by an all-digits number or id.'],
    [401, 'unauthenticated', 'UPSTREAM_UNAUTHORIZED', 'Headoni reports it missing, unknown, revoked or expired.'],
    [403, 'insufficient_scope', 'UPSTREAM_FORBIDDEN', 'The token lacks the tickets:read scope.'],
    [403, 'token_desk_mismatch', 'UPSTREAM_FORBIDDEN', "The token belongs to another desk than the provider's baseUrl."],
  ])('maps HTTP %i %s (the documented { error, detail } body) to %s and says why', async (status, error, code, cause) => {
    const answer = { status, body: { error, detail: 'requires "tickets:read" <secret echo>' } };
    const result = await failure(readWith('HEADONI', createHeadoniConnector, answer, '1247'));
    expect(result.code).toBe(code);
    expect(result.message.endsWith(` ${cause}`)).toBe(true);
    expect(result.message).not.toContain('secret echo');
  });

  it('maps the documented 404 ticket_not_found to NOT_FOUND', async () => {
    const answer = { status: 404, body: { error: 'ticket_not_found', detail: 'No such ticket on this desk.' } };
    expect(await failure(readWith('HEADONI', createHeadoniConnector, answer, '1247'))).toEqual({
      code: 'NOT_FOUND',
      message: 'HEADONI ticket "1247" does not exist or is not visible to DeskGraph.',
    });
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

  it('maps every sample ticket without error, the documented null values as null', async () => {
    const h = await harness();
    const samples = headoniSampleTickets();
    for (const sample of samples) {
      const ticket = await h.fetch(sample.id);
      expect([ticket.subject, ticket.requester?.email ?? null, ticket.requester?.name ?? null]).toEqual([
        sample.subject,
        sample.requester.email,
        sample.requester.name,
      ]);
    }
    expect(await h.fetch(samples[HEADONI_BARE_TICKET_INDEX]!.id)).toMatchObject({ subject: null, group: null, category: null });
    expect(samples.filter((sample) => sample.requester.email === null)).toHaveLength(2);
  });

  it('answers errors in Headoni\'s envelope: { error, detail }', async () => {
    const h = await harness();
    const answer = async (path: string, authorization?: string) => {
      const response = await fetch(`${h.simulator.url}${path}`, authorization ? { headers: { authorization } } : {});
      return [response.status, await response.json()];
    };
    expect(await answer('/api/v1/tickets/abc', `Bearer ${h.simulator.spec.token}`)).toEqual([
      400,
      { error: 'invalid_id', detail: 'path was not all digits' },
    ]);
    expect(await answer('/api/v1/tickets/1')).toEqual([401, { error: 'unauthenticated', detail: 'missing token' }]);
    expect(await answer('/api/v1/tickets/999999', `Bearer ${h.simulator.spec.token}`)).toEqual([
      404,
      { error: 'ticket_not_found', detail: 'no such ticket on this desk' },
    ]);
    h.simulator.setControls({ failStatus: 403 });
    expect(await answer('/api/v1/tickets/1240', `Bearer ${h.simulator.spec.token}`)).toEqual([
      403,
      { error: 'insufficient_scope', detail: 'requires "tickets:read"' },
    ]);
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
