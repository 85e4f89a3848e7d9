import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { createHostUpConnector } from '../../src/connectors/hostup/client.js';
import { mapHostUpTicket } from '../../src/connectors/hostup/map.js';
import { hostUpTicket } from '../../src/connectors/hostup/wire.js';
import { DeskGraphError } from '../../src/domain/errors.js';
import { attachmentId, groupId, messageId } from '../../src/domain/global-id.js';
import {
  HOSTUP_BARE_TICKET_INDEX,
  HOSTUP_DRIFTED_SERVICE_INDEX,
  hostUpSampleTickets,
  hostUpTicketId,
  hostUpTicketNumber,
} from '../../src/simulators/hostup/data.js';
import { createHostUpSimulator, HOSTUP_SIM_TOKEN } from '../../src/simulators/hostup/spec.js';
import { failure, itMapsVendorFailures, useConnectorHarness } from '../helpers/connector-harness.js';
import { readWith } from '../helpers/vendor-answer.js';
import { rendered, renderedTicket } from '../helpers/bodies.js';

/** The 200 example of shared/vendors/hostup.md, verbatim. */
const PAGE_EXAMPLE = {
  id: 'tkt_01hxa3b4c5d6e7f8g9h0j1k2m3',
  number: '930734',
  subject: 'Question about my domain',
  body: 'I need help updating my domain nameservers.',
  status: 'customer_reply',
  priority: 'low',
  departmentSlug: 'domain-names',
  departmentName: 'Domain names',
  createdAt: '2026-04-27T11:45:00.000Z',
  updatedAt: '2026-04-27T12:05:00.000Z',
  lastMessageAt: '2026-04-27T12:05:00.000Z',
  ccEmails: [],
  requesterName: 'Jane Example',
  messageCount: 2,
  linkedServices: [
    {
      serviceType: 'hosting',
      serviceId: 'acct_01hxa3b4c5d6e7f8g9h0j1k2m3',
      serviceName: 'example.se',
      details: {
        status: 'Active',
        hostname: 'example.com',
        nextDueAt: '2026-04-27T12:34:56.000Z',
      },
    },
  ],
  attachments: [] as Record<string, unknown>[],
  messages: [
    {
      id: 'tmsg_01hxa3b4c5d6e7f8g9h0j1k2m3',
      ticketId: 'tkt_01hxa3b4c5d6e7f8g9h0j1k2m3',
      sentAt: '2026-04-27T11:45:00.000Z',
      body: 'I need help updating my domain nameservers.' as string | null,
      sender: 'customer',
      senderName: 'Jane Example',
      encrypted: false,
      attachments: [] as Record<string, unknown>[],
    },
    {
      id: 'tmsg_01hxa3b4c5d6e7f8g9h0j1k2m4',
      ticketId: 'tkt_01hxa3b4c5d6e7f8g9h0j1k2m3',
      sentAt: '2026-04-27T12:05:00.000Z',
      body: 'We have checked the domain and replied with the next steps.' as string | null,
      sender: 'staff',
      senderName: 'Support Team',
      encrypted: false,
      attachments: [] as Record<string, unknown>[],
    },
  ],
};

const TICKET = 'tkt_01hxa3b4c5d6e7f8g9h0j1k2m3';
const CONTEXT: MapContext = { now: 0, priorityMap: {}, absoluteUrl: (path) => new URL(path, 'https://cloud.hostup.se/').toString() };

function map(wire: unknown) {
  return mapHostUpTicket(hostUpTicket.parse(wire), CONTEXT);
}

describe('HostUp mapping', () => {
  it('maps the vendor page example to exact unified values', () => {
    const text = (body: string) => ({ bodyFormat: 'TEXT', bodyText: body, bodyHtml: `<p>${body}</p>` });
    expect(renderedTicket(map(PAGE_EXAMPLE))).toEqual({
      provider: 'HOSTUP',
      ref: TICKET,
      nativeId: TICKET,
      number: '930734',
      subject: 'Question about my domain',
      description: 'I need help updating my domain nameservers.',
      status: 'OPEN',
      vendorStatus: 'customer_reply',
      statusLabel: null,
      priority: 'LOW',
      vendorPriority: 'low',
      requester: { name: 'Jane Example', email: null, vendorId: null },
      assignee: null,
      group: { id: groupId('HOSTUP', 'domain-names'), vendorId: 'domain-names', name: 'Domain names' },
      category: null,
      createdAt: '2026-04-27T11:45:00.000Z',
      updatedAt: '2026-04-27T12:05:00.000Z',
      resolvedAt: null,
      closedAt: null,
      attachments: [],
      messages: [
        {
          id: messageId('HOSTUP', TICKET, 'tmsg_01hxa3b4c5d6e7f8g9h0j1k2m3'),
          nativeId: 'tmsg_01hxa3b4c5d6e7f8g9h0j1k2m3',
          authorKind: 'CUSTOMER',
          author: { name: 'Jane Example', email: null, vendorId: null },
          visibility: 'PUBLIC',
          pinned: false,
          ...text('I need help updating my domain nameservers.'),
          createdAt: '2026-04-27T11:45:00.000Z',
          updatedAt: null,
          attachments: [],
        },
        {
          id: messageId('HOSTUP', TICKET, 'tmsg_01hxa3b4c5d6e7f8g9h0j1k2m4'),
          nativeId: 'tmsg_01hxa3b4c5d6e7f8g9h0j1k2m4',
          authorKind: 'AGENT',
          author: { name: 'Support Team', email: null, vendorId: null },
          visibility: 'PUBLIC',
          pinned: false,
          ...text('We have checked the domain and replied with the next steps.'),
          createdAt: '2026-04-27T12:05:00.000Z',
          updatedAt: null,
          attachments: [],
        },
      ],
    });
  });

  it.each([
    ['open', 'OPEN'],
    ['customer_reply', 'OPEN'],
    ['in_progress', 'IN_PROGRESS'],
    ['answered', 'WAITING_ON_CUSTOMER'],
    ['on_hold', 'ON_HOLD'],
    ['closed', 'CLOSED'],
    ['unknown', 'UNKNOWN'],
    ['escalated', 'UNKNOWN'],
  ])('maps status %s to %s and keeps the vendor value', (vendorStatus, status) => {
    const ticket = map({ ...PAGE_EXAMPLE, status: vendorStatus });
    expect([ticket.status, ticket.vendorStatus]).toEqual([status, vendorStatus]);
  });

  it.each([
    ['low', 'LOW'],
    ['medium', 'NORMAL'],
    ['high', 'HIGH'],
    ['urgent', 'URGENT'],
    ['critical', 'CRITICAL'],
    ['whenever', null],
  ])('maps priority %s to %s', (priority, expected) => {
    const ticket = map({ ...PAGE_EXAMPLE, priority });
    expect([ticket.priority, ticket.vendorPriority]).toEqual([expected, priority]);
  });

  it.each([
    ['customer', 'CUSTOMER'],
    ['staff', 'AGENT'],
    ['automation', 'AUTOMATION'],
    ['robot', 'UNKNOWN'],
  ])('maps sender %s to %s', (sender, expected) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.messages[0]!.sender = sender;
    expect(map(wire).messages[0]!.authorKind).toBe(expected);
  });

  it.each([
    ['with a body left', 'ciphertext:AES256:9f2c'],
    ['without a body', null],
  ])('gives null bodies for an encrypted message %s', (_, body) => {
    const wire = structuredClone(PAGE_EXAMPLE);
    Object.assign(wire.messages[0]!, { encrypted: true, body });
    expect(rendered(map(wire).messages[0]!)).toMatchObject({ bodyFormat: 'TEXT', bodyText: null, bodyHtml: null });
  });

  it('escapes TEXT bodies and keeps line breaks', () => {
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.messages[0]!.body = '<b>Hi</b> & <script>alert(1)</script>\nsecond line';
    expect(rendered(map(wire).messages[0]!)).toMatchObject({
      bodyText: '<b>Hi</b> & <script>alert(1)</script>\nsecond line',
      bodyHtml: '<p>&lt;b&gt;Hi&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;<br>\nsecond line</p>',
    });
  });

  it('lists root attachments with absolute URLs and keeps message ones on their message', () => {
    const file = (id: string) => ({
      id, filename: 'error-log.txt', extension: 'txt', mimeType: 'text/plain',
      downloadUrl: `/api/v2/support/attachments/${id}?ticketId=${TICKET}`,
    });
    const wire = structuredClone(PAGE_EXAMPLE);
    wire.attachments = [file('tatt_01hxa3b4c5d6e7f8g9h0j1k2m3')];
    wire.messages[1]!.attachments = [file('tatt_01hxa3b4c5d6e7f8g9h0j1k2m4')];
    const ticket = map(wire);
    expect(ticket.attachments).toEqual([
      {
        id: attachmentId('HOSTUP', TICKET, 'tatt_01hxa3b4c5d6e7f8g9h0j1k2m3'),
        nativeId: 'tatt_01hxa3b4c5d6e7f8g9h0j1k2m3',
        name: 'error-log.txt',
        contentType: 'text/plain',
        size: null,
        sha256: null,
        inline: false,
        url: `https://cloud.hostup.se/api/v2/support/attachments/tatt_01hxa3b4c5d6e7f8g9h0j1k2m3?ticketId=${TICKET}`,
      },
    ]);
    expect(ticket.messages[1]!.attachments.map((attachment) => attachment.nativeId)).toEqual(['tatt_01hxa3b4c5d6e7f8g9h0j1k2m4']);
  });
});

describe('HostUp payloads in the shapes its docs allow', () => {
  const expected = map(PAGE_EXAMPLE);

  it.each([
    ['details in another shape', [{ serviceType: 'vps', serviceId: 'vps_1', serviceName: 'app', details: { status: { code: 3 }, ips: ['192.0.2.1'], nextDueAt: 1767225600 } }]],
    ['details a list', [{ serviceType: 'vps', serviceId: null, serviceName: null, details: ['a', 1] }]],
    ['details a string', [{ serviceType: 'vps', serviceId: null, serviceName: null, details: 'active' }]],
    ['details missing', [{ serviceType: 'vps', serviceId: null, serviceName: null }]],
    ['entries without required fields', [{}, { serviceType: 7 }]],
    ['linkedServices not a list', { vps: true }],
  ])('maps the same ticket whatever linkedServices holds: %s', (_, linkedServices) => {
    expect(map({ ...PAGE_EXAMPLE, linkedServices })).toEqual(expected);
  });

  it('never rejects a ticket over other fields it does not map, unknown fields or unknown enum values', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as Record<string, unknown> & { messages: Record<string, unknown>[] };
    Object.assign(wire, { ccEmails: 'ops@example.com', messageCount: '2', lastMessageAt: 5, slaBreached: true });
    Object.assign(wire.messages[0]!, { ticketId: 42, readAt: { at: 1 } });
    wire.attachments = [{ id: 'tatt_1', filename: 'a.txt', extension: 7, mimeType: 'text/plain', downloadUrl: '/a', scanned: 'yes' }];
    const ticket = map(wire);
    expect(ticket.messages).toEqual(expected.messages);
    expect(ticket.attachments.map((attachment) => attachment.nativeId)).toEqual(['tatt_1']);
    expect(map({ ...PAGE_EXAMPLE, status: 'escalated', priority: 'p0' })).toMatchObject({
      status: 'UNKNOWN',
      vendorStatus: 'escalated',
      priority: null,
      vendorPriority: 'p0',
    });
  });

  it('reads a ticket with only its id: every field the page marks optional may be absent', () => {
    expect(map({ id: TICKET })).toEqual({
      provider: 'HOSTUP',
      ref: TICKET,
      nativeId: TICKET,
      number: null,
      subject: null,
      description: null,
      status: 'UNKNOWN',
      vendorStatus: null,
      statusLabel: null,
      priority: null,
      vendorPriority: null,
      requester: null,
      assignee: null,
      group: null,
      category: null,
      createdAt: null,
      updatedAt: null,
      resolvedAt: null,
      closedAt: null,
      messages: [],
      attachments: [],
    });
  });

  it('reads null attachment lists and a message without senderName', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as Record<string, unknown> & { messages: Record<string, unknown>[] };
    wire.attachments = null;
    wire.messages[0]!.attachments = null;
    delete wire.messages[1]!['senderName'];
    const ticket = map(wire);
    expect([ticket.attachments, ticket.messages[0]!.attachments, ticket.messages[1]!.author]).toEqual([[], [], null]);
  });

  it('is UPSTREAM_BAD_RESPONSE when a mapped field breaks its documented type', () => {
    const wire = structuredClone(PAGE_EXAMPLE) as { messages: Record<string, unknown>[] };
    delete wire.messages[0]!['encrypted'];
    expect(hostUpTicket.safeParse(wire).success).toBe(false);
    expect(hostUpTicket.safeParse({ ...PAGE_EXAMPLE, id: 'TKT-1' }).success).toBe(false);
  });

  const problem = (code: string, status: number) => ({
    type: `https://developer.hostup.se/errors/${code}`,
    title: 'Too many requests',
    status,
    detail: 'Too many WHOIS lookups — please wait a minute and try again.',
    code,
    instance: '/api/v2/support/tickets/tkt_1',
    requestId: 'req_abc123',
    timestamp: '2026-04-27T12:00:00.000Z',
  });

  it.each(['rate_limit_exceeded', 'rate_limited'])('maps 429 %s to RATE_LIMITED with Retry-After seconds', async (code) => {
    const answer = { status: 429, body: problem(code, 429), headers: { 'retry-after': '30', 'x-ratelimit-remaining': '0' } };
    const error = await readWith('HOSTUP', createHostUpConnector, answer, TICKET).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(DeskGraphError);
    expect([(error as DeskGraphError).code, (error as DeskGraphError).retryAfterSeconds]).toEqual(['RATE_LIMITED', 30]);
  });

  it('takes retryAfterSeconds from the ISO X-RateLimit-Reset when there is no Retry-After', async () => {
    const reset = new Date(Date.now() + 42_000).toISOString();
    const answer = {
      status: 429,
      body: problem('rate_limited', 429),
      headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    };
    const error = (await readWith('HOSTUP', createHostUpConnector, answer, TICKET).catch((reason: unknown) => reason)) as DeskGraphError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(41);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(42);
  });

  it('says why a 403 forbidden happens, in DeskGraph\'s words', async () => {
    const answer = { status: 403, body: { ...problem('forbidden', 403), detail: 'echoed secret' } };
    expect(await failure(readWith('HOSTUP', createHostUpConnector, answer, TICKET))).toEqual({
      code: 'UPSTREAM_FORBIDDEN',
      message: `HOSTUP refused DeskGraph access to HOSTUP ticket "${TICKET}". The API key lacks the read:support scope or does not own the ticket.`,
    });
  });
});

describe('HostUp connector against its simulator', () => {
  const harness = useConnectorHarness(createHostUpSimulator, createHostUpConnector);
  const first = hostUpTicketId(0);

  it('reads a ticket by number and by id with one GET each, and the id is the ref', async () => {
    const h = await harness();
    const byNumber = await h.fetch(hostUpTicketNumber(1));
    const byId = await h.fetch(hostUpTicketId(1));
    expect(byNumber).toEqual(byId);
    expect([byNumber.ref, byNumber.number]).toEqual([hostUpTicketId(1), hostUpTicketNumber(1)]);
    expect(h.simulator.stats.byPath).toEqual({
      [`/api/v2/support/tickets/${hostUpTicketNumber(1)}`]: 1,
      [`/api/v2/support/tickets/${hostUpTicketId(1)}`]: 1,
    });
  });

  it('makes downloadUrl absolute against the simulator base URL', async () => {
    const h = await harness();
    const root = await h.fetch(hostUpTicketId(3));
    expect(root.attachments).toHaveLength(1);
    expect(root.attachments[0]!.url).toBe(`${h.simulator.url}/api/v2/support/attachments/${root.attachments[0]!.nativeId}?ticketId=${hostUpTicketId(3)}`);
    const onMessage = (await h.fetch(hostUpTicketId(0))).messages.flatMap((message) => message.attachments);
    expect(onMessage.map((attachment) => [attachment.name, attachment.url])).toEqual([
      ['loop.png', `${h.simulator.url}/api/v2/support/attachments/${onMessage[0]!.nativeId}?ticketId=${first}`],
    ]);
  });

  it('maps every sample ticket without error, encrypted ones with null bodies', async () => {
    const h = await harness();
    const samples = hostUpSampleTickets();
    let encrypted = 0;
    for (const sample of samples) {
      const ticket = await h.fetch(sample.id);
      expect(ticket.subject).toBe(sample.subject ?? null);
      (sample.messages ?? []).forEach((message, index) => {
        if (!message.encrypted) return;
        encrypted += 1;
        expect(ticket.messages[index]!.body).toEqual({ source: null, vendorText: null });
      });
    }
    expect(encrypted).toBeGreaterThan(0);
    expect(new Set(samples.map((sample) => sample.status)).size).toBe(7);
    expect(new Set(samples.filter((sample) => sample.priority !== undefined).map((sample) => sample.priority)).size).toBe(5);
    // The drifted linked services and the bare ticket are in the sample desk, and read.
    const drifted = samples[HOSTUP_DRIFTED_SERVICE_INDEX]!;
    expect(drifted.linkedServices?.map((service) => service.details)).toEqual([
      { status: { code: 3, label: 'Suspended' }, ips: ['192.0.2.44', '2001:db8::44'], nextDueAt: 1767225600 },
      null,
    ]);
    const bare = samples[HOSTUP_BARE_TICKET_INDEX]!;
    expect(Object.keys(bare).sort()).toEqual(['id', 'messages', 'number', 'status']);
    expect(await h.fetch(bare.id)).toMatchObject({ subject: null, description: null, group: null, requester: null, attachments: [] });
  });

  itMapsVendorFailures(harness, {
    ref: first,
    unknownRef: 'tkt_01nosuchticket',
    wrongToken: 'hup_wrong_secret',
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
    missingField: 'id: Invalid input: expected string, received undefined.',
  });

  it('is RATE_LIMITED with retryAfterSeconds once the budget is spent', async () => {
    const h = await harness();
    h.simulator.setControls({ rateLimit: { limit: 2, windowSeconds: 60 } });
    await h.fetch(first);
    await h.fetch(first);
    const error = await h.fetch(first).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(DeskGraphError);
    expect((error as DeskGraphError).code).toBe('RATE_LIMITED');
    expect((error as DeskGraphError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('sends X-RateLimit-* with an ISO Reset, never a negative Remaining, and a 429 rate_limit_exceeded problem', async () => {
    const h = await harness();
    h.simulator.setControls({ rateLimit: { limit: 2, windowSeconds: 60 } });
    const read = async () => {
      const response = await request(`${h.simulator.url}/api/v2/support/tickets/${first}`, {
        headers: { authorization: `Bearer ${HOSTUP_SIM_TOKEN}`, accept: 'application/json' },
      });
      const body = (await response.body.json()) as Record<string, unknown>;
      return { status: response.statusCode, headers: response.headers, body };
    };
    const before = Date.now();
    const answers = [await read(), await read(), await read()];
    expect(answers.map((answer) => [answer.status, answer.headers['x-ratelimit-limit'], answer.headers['x-ratelimit-remaining']])).toEqual([
      [200, '2', '1'],
      [200, '2', '0'],
      [429, '2', '0'],
    ]);
    const reset = String(answers[0]!.headers['x-ratelimit-reset']);
    // "ISO timestamp when the active window resets" (developer.hostup.se/errors/rate_limited).
    expect(reset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(reset)).toBeGreaterThanOrEqual(before + 59_000);
    expect(Date.parse(reset)).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(Number(answers[2]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(answers[2]!.headers['content-type']).toBe('application/problem+json');
    expect(answers[2]!.body).toEqual({
      type: 'https://developer.hostup.se/errors/rate_limit_exceeded',
      title: 'Too many requests',
      status: 429,
      detail: 'Too many requests. Retry after the limit resets.',
      code: 'rate_limit_exceeded',
      instance: `/api/v2/support/tickets/${first}`,
      requestId: expect.stringMatching(/^req_01[0-9a-z]{24}$/),
      timestamp: expect.any(String),
    });
  });
});
