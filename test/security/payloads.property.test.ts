/**
 * Vendor payloads are hostile input too. Whatever a vendor answers with 200 — arbitrary JSON, or
 * its own valid answer with fields deleted, retyped or replaced by extremes — each connector
 * gives either a whole, valid unified ticket or UPSTREAM_BAD_RESPONSE: never another exception
 * (which would surface as INTERNAL_SERVER_ERROR), never a half-mapped ticket.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConnectorFactory } from '../../src/connectors/connector.js';
import { createHeadoniConnector } from '../../src/connectors/headoni/client.js';
import { createHostUpConnector } from '../../src/connectors/hostup/client.js';
import { createIntercomConnector } from '../../src/connectors/intercom/client.js';
import { createTeamBattlesConnector } from '../../src/connectors/teambattles/client.js';
import { createTickitiConnector } from '../../src/connectors/tickiti/client.js';
import { DeskGraphError } from '../../src/domain/errors.js';
import { decodeTicketId, ticketId } from '../../src/domain/global-id.js';
import { AUTHOR_KINDS, BODY_FORMATS, TICKET_PRIORITIES, TICKET_STATUSES, VISIBILITIES, type Ticket } from '../../src/domain/model.js';
import type { Provider } from '../../src/domain/provider.js';
import { checkRef, isValidRef } from '../../src/domain/refs.js';
import { headoniSampleTickets } from '../../src/simulators/headoni/data.js';
import { hostUpSampleTickets } from '../../src/simulators/hostup/data.js';
import { intercomSampleTickets } from '../../src/simulators/intercom/data.js';
import { LONG_THREAD_INDEX } from '../../src/simulators/sample-threads.js';
import { teamBattlesSampleTickets } from '../../src/simulators/teambattles/data.js';
import { tickitiSampleTickets } from '../../src/simulators/tickiti/data.js';
import type { HttpTransport, UpstreamResponse } from '../../src/transport/http.js';
import { FC_PARAMS, hostileValue } from './arbitraries.js';

interface Vendor {
  provider: Provider;
  factory: ConnectorFactory;
  /** Valid 200 bodies, exactly as the vendor (and its simulator) sends them. */
  samples: unknown[];
}

const firstSamples = <T>(all: T[]): T[] => all.filter((_, index) => index !== LONG_THREAD_INDEX).slice(0, 12);

const VENDORS: Vendor[] = [
  { provider: 'HEADONI', factory: createHeadoniConnector, samples: firstSamples(headoniSampleTickets()).map((ticket) => ({ ticket })) },
  { provider: 'TICKITI', factory: createTickitiConnector, samples: firstSamples(tickitiSampleTickets()).map((data) => ({ ok: true, data })) },
  { provider: 'INTERCOM', factory: createIntercomConnector, samples: firstSamples(intercomSampleTickets()) },
  { provider: 'HOSTUP', factory: createHostUpConnector, samples: firstSamples(hostUpSampleTickets()) },
  {
    provider: 'TEAMBATTLES',
    factory: createTeamBattlesConnector,
    samples: firstSamples(teamBattlesSampleTickets()).map((ticket) => ({ ...ticket, timestamp: '2026-06-04T15:00:00.000Z' })),
  },
];

/** A transport that answers every request with `200` and this JSON body. */
function answering(provider: Provider, json: unknown): HttpTransport {
  const base = 'https://vendor.example/';
  const transport: Pick<HttpTransport, 'provider' | 'origin' | 'absoluteUrl' | 'send'> = {
    provider,
    origin: 'https://vendor.example',
    absoluteUrl: (pathOrUrl) => new URL(pathOrUrl, base).toString(),
    send: async (): Promise<UpstreamResponse> => ({ status: 200, headers: {}, json, jsonError: false }),
  };
  // The connectors use only these members; HttpTransport's private fields make a cast necessary.
  return transport as HttpTransport;
}

const settings = { token: 'vendor-token', version: '2.11', priorityMap: { '10': 'LOW', '20': 'NORMAL' } as const };

/** ISO 8601 UTC with milliseconds (years past 9999 in the expanded form). */
const isoDateTime = z.string().regex(/^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const text = z.string();
const nonEmpty = z.string().min(1);
const person = z.strictObject({ name: text.nullable(), email: text.nullable(), vendorId: text.nullable() }).nullable();
const attachment = z.strictObject({
  id: nonEmpty,
  nativeId: text.nullable(),
  name: text.nullable(),
  contentType: text.nullable(),
  size: z.number().int().min(0).nullable(),
  sha256: text.nullable(),
  inline: z.boolean(),
  // Dashboards render it as a link: http(s) only, never javascript: or data:.
  url: z.url({ protocol: /^https?$/ }).nullable(),
});
const message = z.strictObject({
  id: nonEmpty,
  nativeId: text,
  authorKind: z.enum(AUTHOR_KINDS),
  author: person,
  visibility: z.enum(VISIBILITIES),
  pinned: z.boolean(),
  bodyFormat: z.enum(BODY_FORMATS),
  // The vendor's body, kept for lazy rendering; a redacted or empty body is null, never "".
  body: z.strictObject({ source: nonEmpty.nullable(), vendorText: nonEmpty.nullable() }),
  createdAt: isoDateTime.nullable(),
  updatedAt: isoDateTime.nullable(),
  attachments: z.array(attachment),
});

function unifiedTicket(provider: Provider) {
  return z.strictObject({
    provider: z.literal(provider),
    // The canonical ref must be one ticket(provider, ref) and node(id) accept (CONTRACT §2).
    ref: z.string().refine((ref) => isValidRef(provider, ref), 'not a valid ref for its provider'),
    nativeId: nonEmpty,
    number: text.nullable(),
    subject: text.nullable(),
    description: text.nullable(),
    status: z.enum(TICKET_STATUSES),
    vendorStatus: text.nullable(),
    statusLabel: text.nullable(),
    priority: z.enum(TICKET_PRIORITIES).nullable(),
    vendorPriority: text.nullable(),
    requester: person,
    assignee: person,
    group: z.strictObject({ id: text.nullable(), vendorId: text.nullable(), name: text.nullable() }).nullable(),
    category: text.nullable(),
    createdAt: isoDateTime.nullable(),
    updatedAt: isoDateTime.nullable(),
    resolvedAt: isoDateTime.nullable(),
    closedAt: isoDateTime.nullable(),
    messages: z.array(message),
    attachments: z.array(attachment),
  });
}

/** Either a whole valid ticket, or UPSTREAM_BAD_RESPONSE naming the ticket: nothing else. */
async function expectTicketOrBadResponse(vendor: Vendor, payload: unknown): Promise<'ticket' | 'bad'> {
  const connector = vendor.factory(answering(vendor.provider, payload), settings);
  let ticket: Ticket;
  try {
    ticket = await connector.fetchTicket(checkRef(vendor.provider, '1'), AbortSignal.timeout(5000));
  } catch (error) {
    expect(error, `${vendor.provider}: ${String(error)}`).toBeInstanceOf(DeskGraphError);
    expect((error as DeskGraphError).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((error as DeskGraphError).provider).toBe(vendor.provider);
    return 'bad';
  }
  const checked = unifiedTicket(vendor.provider).safeParse(ticket);
  expect(checked.success ? [] : checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([]);
  // Served tickets can be read again by their global id.
  expect(decodeTicketId(ticketId(ticket.provider, ticket.ref))).toEqual({ provider: ticket.provider, ref: ticket.ref });
  return 'ticket';
}

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], into);
  }
  return into;
}

interface Mutation {
  at: number;
  kind: 'delete' | 'replace';
  value: unknown;
}

/** Applies mutations to a deep copy; the root itself may be replaced. */
function mutate(payload: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(payload);
  for (const { at, kind, value } of mutations) {
    const paths = pathsOf(root);
    const path = paths[at % paths.length]!;
    if (path.length === 0) {
      root = kind === 'delete' ? undefined : structuredClone(value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root) as
      | Record<string, unknown>
      | unknown[];
    const key = path[path.length - 1]!;
    if (kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key as string];
    } else {
      (parent as Record<string | number, unknown>)[key] = structuredClone(value);
    }
  }
  return root;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('delete', 'replace', 'replace'),
  value: hostileValue,
});

describe.each(VENDORS)('$provider payloads', (vendor) => {
  it('map every sample the vendor sends to a whole ticket', async () => {
    for (const sample of vendor.samples) expect(await expectTicketOrBadResponse(vendor, sample)).toBe('ticket');
  });

  it('give a whole ticket or UPSTREAM_BAD_RESPONSE for mutated valid answers', async () => {
    const outcomes = { ticket: 0, bad: 0 };
    await fc.assert(
      fc.asyncProperty(fc.nat(vendor.samples.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (index, mutations) => {
        outcomes[await expectTicketOrBadResponse(vendor, mutate(vendor.samples[index], mutations))] += 1;
      }),
      { ...FC_PARAMS, numRuns: 300 },
    );
    // Both outcomes are exercised: mutations that still validate, and ones that do not.
    expect(outcomes.ticket).toBeGreaterThan(20);
    expect(outcomes.bad).toBeGreaterThan(20);
  });

  it('give UPSTREAM_BAD_RESPONSE (or a whole ticket) for arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), hostileValue), async (payload) => {
        await expectTicketOrBadResponse(vendor, payload);
      }),
      { ...FC_PARAMS, numRuns: 150 },
    );
  });
});
