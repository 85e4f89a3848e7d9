/**
 * DeskGraph as a federation v2 subgraph, proven with real gateways: its SDL composed with a CRM
 * subgraph by @theguild/federation-composition, the supergraph run in Hive Gateway and in
 * Apollo Gateway, and queries over HTTP that cross from the CRM into DeskGraph and back.
 * DeskGraph runs as in production — its own HTTP server over the vendor simulators of the demo.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../src/demo.js';
import { ticketId } from '../../src/domain/global-id.js';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';
import { printSchemaSdl } from '../../src/schema/index.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { headoniTicketId } from '../../src/simulators/headoni/data.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { SAMPLE_THREADS } from '../../src/simulators/sample-threads.js';
import type { SimulatorStats } from '../../src/simulators/simulator.js';
import { CRM_TYPE_DEFS, startCrmSubgraph, type CrmCustomer, type CrmSubgraph } from './crm-subgraph.js';
import { composeSupergraph, postGraphQL, startApolloGateway, startHiveGateway, type RunningGateway } from './gateways.js';

/** The canonical ref of the i-th sample ticket (Headoni's is its id, not its number). */
const ref = (provider: Provider, index: number) => (provider === 'HEADONI' ? headoniTicketId(index) : SIMULATORS[provider].sampleRef(index));

const LOGIN = SAMPLE_THREADS[0]!.subject; // 'Login broken on staging'
const INVOICE = SAMPLE_THREADS[1]!.subject; // 'Invoice #2026-0419 charged twice'

const CUSTOMERS: CrmCustomer[] = [
  {
    id: 'cus_alice',
    name: 'Alice Martin',
    company: 'Example Inc.',
    tickets: [
      { provider: 'HEADONI', ref: ref('HEADONI', 0) },
      { provider: 'HOSTUP', ref: ref('HOSTUP', 0) },
    ],
  },
  {
    id: 'cus_bruno',
    name: 'Bruno Keller',
    company: 'Keller Bau GmbH',
    tickets: [
      { provider: 'TICKITI', ref: ref('TICKITI', 1) },
      { provider: 'INTERCOM', ref: ref('INTERCOM', 1) },
      // Pasted from DeskGraph as a global id rather than provider + ref.
      { id: ticketId('TEAMBATTLES', ref('TEAMBATTLES', 1)) },
    ],
  },
  { id: 'cus_jane', name: 'Jane Example', company: 'Example Net', tickets: [] },
];

let demo: Demo;
let crm: CrmSubgraph;
const deskgraphs: Gateway[] = [];

/** A DeskGraph gateway of its own (its own cold cache) over the demo's simulators. */
async function startDeskGraph(): Promise<string> {
  const gateway = createGateway({ config: demo.config, logger: createLogger('silent') });
  deskgraphs.push(gateway);
  return gateway.listen(0, '127.0.0.1');
}

async function simulator(provider: Provider, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
  const response = await request(`${demo.urls[provider]}/__sim/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return response.body.json();
}

/** Each simulator's counters, read over HTTP as an outside observer would. */
async function upstreamStats(): Promise<Record<Provider, SimulatorStats>> {
  const stats = await Promise.all(PROVIDERS.map((provider) => simulator(provider, 'GET', 'stats')));
  return Object.fromEntries(PROVIDERS.map((provider, index) => [provider, stats[index]])) as Record<Provider, SimulatorStats>;
}

const requestsBy = (stats: Record<Provider, SimulatorStats>) =>
  Object.fromEntries(PROVIDERS.map((provider) => [provider, stats[provider].requests]));

beforeAll(async () => {
  demo = await startDemo();
  crm = await startCrmSubgraph(CUSTOMERS);
});
afterAll(async () => {
  await Promise.all(deskgraphs.map((gateway) => gateway.close(0)));
  await crm?.close();
  await demo?.close();
});
beforeEach(async () => {
  await Promise.all(PROVIDERS.map((provider) => simulator(provider, 'POST', 'reset')));
});

describe('DeskGraph as a subgraph', () => {
  let url: string;
  beforeAll(async () => {
    url = await startDeskGraph();
  });

  it('serves its SDL over _service with @link and both Ticket keys: the SDL `npm run schema` prints', async () => {
    const response = await postGraphQL<{ _service: { sdl: string } }>(url, '{ _service { sdl } }');
    expect(response.errors).toBeUndefined();
    const sdl = response.data!._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    expect(sdl).toMatch(/type Ticket implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "provider ref"\)\s*\{/);
    expect(sdl.trim()).toBe(printSchemaSdl().trim());
  });

  it('resolves 50 _entities representations (both keys, duplicates) with one read per distinct ticket, all in one batch', async () => {
    // Ten distinct tickets, two per provider, each asked for five times: by `provider ref`
    // and by `id` in turn. Latency holds every vendor request open long enough that the
    // simulators see all of one batch in flight at once.
    await Promise.all(PROVIDERS.map((provider) => simulator(provider, 'PUT', 'controls', { latencyMs: 150 })));
    const distinct = PROVIDERS.flatMap((provider) => [10, 11].map((index) => ({ provider, index, ref: ref(provider, index) })));
    const asked = Array.from({ length: 50 }, (_, n) => distinct[(n * 7) % distinct.length]!);
    const representations = asked.map((ticket, n) =>
      Math.floor(n / distinct.length) % 2 === 0
        ? { __typename: 'Ticket', provider: ticket.provider, ref: ticket.ref }
        : { __typename: 'Ticket', id: ticketId(ticket.provider, ticket.ref) },
    );
    expect(new Set(representations.map((representation) => JSON.stringify(representation))).size).toBe(20);

    const response = await postGraphQL<{ _entities: { id: string; provider: Provider; ref: string; subject: string }[] }>(
      url,
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Ticket { id provider ref subject } } }',
      { representations },
    );

    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual(
      asked.map((ticket) => ({
        id: ticketId(ticket.provider, ticket.ref),
        provider: ticket.provider,
        ref: ticket.ref,
        subject: SAMPLE_THREADS[ticket.index]!.subject,
      })),
    );
    const stats = await upstreamStats();
    expect(requestsBy(stats)).toEqual({ HEADONI: 2, TICKITI: 2, INTERCOM: 2, HOSTUP: 2, TEAMBATTLES: 2 });
    // Both tickets of each provider were in flight together: one loader batch, not one
    // representation after another.
    expect(Object.fromEntries(PROVIDERS.map((provider) => [provider, stats[provider].maxInFlight]))).toEqual({
      HEADONI: 2,
      TICKITI: 2,
      INTERCOM: 2,
      HOSTUP: 2,
      TEAMBATTLES: 2,
    });
  });

  it('answers each representation it cannot read with null and its own BAD_USER_INPUT, the rest still served', async () => {
    const response = await postGraphQL<{ _entities: ({ subject: string } | null)[] }>(
      url,
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Ticket { subject } } }',
      {
        representations: [
          { __typename: 'Ticket', provider: 'HOSTUP', ref: ref('HOSTUP', 12) },
          { __typename: 'Ticket', id: 'not-a-deskgraph-id' },
          { __typename: 'Ticket', provider: 'ZENDESK', ref: '1' },
        ],
      },
    );
    expect(response.data!._entities).toEqual([{ subject: SAMPLE_THREADS[12]!.subject }, null, null]);
    const failures = (response.errors ?? []).map((error) => [error.path, error.extensions?.['code']]);
    expect(failures.sort()).toEqual([
      [['_entities', 1], 'BAD_USER_INPUT'],
      [['_entities', 2], 'BAD_USER_INPUT'],
    ]);
    expect(requestsBy(await upstreamStats())).toEqual({ HEADONI: 0, TICKITI: 0, INTERCOM: 0, HOSTUP: 1, TEAMBATTLES: 0 });
  });
});

describe('composition', () => {
  it('composes DeskGraph and the CRM into a supergraph with Ticket joined on both keys', () => {
    const supergraph = composeSupergraph([
      { name: 'deskgraph', url: 'http://deskgraph.invalid/graphql', sdl: printSchemaSdl() },
      { name: 'crm', url: 'http://crm.invalid/graphql', sdl: CRM_TYPE_DEFS },
    ]);
    const ticket = /type Ticket[^{]*\{/.exec(supergraph)?.[0] ?? '';
    expect(ticket).toContain('@join__type(graph: DESKGRAPH, key: "id")');
    expect(ticket).toContain('@join__type(graph: DESKGRAPH, key: "provider ref")');
    expect(ticket).toContain('@join__type(graph: CRM, key: "provider ref")');
    expect(ticket).toContain('@join__type(graph: CRM, key: "id")');
    expect(supergraph).toMatch(/customer: Customer @join__field\(graph: CRM\)/);
  });
});

const GATEWAYS: { name: string; start(supergraph: string): Promise<RunningGateway> }[] = [
  { name: 'Hive Gateway', start: startHiveGateway },
  { name: 'Apollo Gateway', start: startApolloGateway },
];

describe.each(GATEWAYS)('the supergraph in $name', ({ start }) => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    const deskgraphUrl = await startDeskGraph();
    const supergraph = composeSupergraph([
      { name: 'deskgraph', url: deskgraphUrl, sdl: printSchemaSdl() },
      { name: 'crm', url: crm.url, sdl: CRM_TYPE_DEFS },
    ]);
    gateway = await start(supergraph);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('CRM → DeskGraph: customers with their tickets, each ticket read once', async () => {
    const response = await postGraphQL(
      gateway.url,
      `query CustomersWithTickets {
        customers {
          id name company
          tickets { provider ref subject status priority requester { email } }
        }
      }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      customers: [
        {
          id: 'cus_alice',
          name: 'Alice Martin',
          company: 'Example Inc.',
          tickets: [
            { provider: 'HEADONI', ref: ref('HEADONI', 0), subject: LOGIN, status: 'OPEN', priority: 'LOW', requester: { email: 'alice@example.com' } },
            { provider: 'HOSTUP', ref: ref('HOSTUP', 0), subject: LOGIN, status: 'OPEN', priority: 'LOW', requester: { email: null } },
          ],
        },
        {
          id: 'cus_bruno',
          name: 'Bruno Keller',
          company: 'Keller Bau GmbH',
          tickets: [
            { provider: 'TICKITI', ref: '220001', subject: INVOICE, status: 'CLOSED', priority: 'NORMAL', requester: { email: 'bruno.keller@keller-bau.example' } },
            { provider: 'INTERCOM', ref: ref('INTERCOM', 1), subject: INVOICE, status: 'IN_PROGRESS', priority: null, requester: { email: null } },
            { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 1), subject: INVOICE, status: 'IN_PROGRESS', priority: 'NORMAL', requester: null },
          ],
        },
        { id: 'cus_jane', name: 'Jane Example', company: 'Example Net', tickets: [] },
      ],
    });
    // Five linked tickets, five vendor reads: the gateway's _entities call went through
    // DeskGraph's loader.
    expect(requestsBy(await upstreamStats())).toEqual({ HEADONI: 1, TICKITI: 1, INTERCOM: 1, HOSTUP: 1, TEAMBATTLES: 1 });
  });

  it('DeskGraph → CRM: tickets with the customer the CRM links them to (also one linked by id)', async () => {
    const response = await postGraphQL(
      gateway.url,
      `query TicketsWithCustomers($refs: [TicketRefInput!]!) {
        tickets(refs: $refs) { provider ref subject status customer { id name company } }
      }`,
      {
        refs: [
          // Headoni by its number: the ticket's canonical ref (its id) is what the CRM matches.
          { provider: 'HEADONI', ref: '1240' },
          { provider: 'TICKITI', ref: ref('TICKITI', 1) },
          { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 1) },
          { provider: 'HOSTUP', ref: ref('HOSTUP', 2) },
        ],
      },
    );
    expect(response.errors).toBeUndefined();
    const alice = { id: 'cus_alice', name: 'Alice Martin', company: 'Example Inc.' };
    const bruno = { id: 'cus_bruno', name: 'Bruno Keller', company: 'Keller Bau GmbH' };
    expect(response.data).toEqual({
      tickets: [
        { provider: 'HEADONI', ref: ref('HEADONI', 0), subject: LOGIN, status: 'OPEN', customer: alice },
        { provider: 'TICKITI', ref: '220001', subject: INVOICE, status: 'CLOSED', customer: bruno },
        { provider: 'TEAMBATTLES', ref: ref('TEAMBATTLES', 1), subject: INVOICE, status: 'IN_PROGRESS', customer: bruno },
        { provider: 'HOSTUP', ref: ref('HOSTUP', 2), subject: SAMPLE_THREADS[2]!.subject, status: 'IN_PROGRESS', customer: null },
      ],
    });
  });

  it('there and back: a ticket, its customer, and that customer’s other tickets', async () => {
    const response = await postGraphQL(
      gateway.url,
      `query RoundTrip($provider: Provider!, $ref: String!) {
        ticket(provider: $provider, ref: $ref) {
          subject
          messages { authorKind }
          customer {
            name
            tickets { provider subject status customer { id } }
          }
        }
      }`,
      { provider: 'INTERCOM', ref: ref('INTERCOM', 1) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      ticket: {
        subject: INVOICE,
        messages: [{ authorKind: 'CUSTOMER' }, { authorKind: 'AGENT' }, { authorKind: 'CUSTOMER' }],
        customer: {
          name: 'Bruno Keller',
          tickets: [
            { provider: 'TICKITI', subject: INVOICE, status: 'CLOSED', customer: { id: 'cus_bruno' } },
            { provider: 'INTERCOM', subject: INVOICE, status: 'IN_PROGRESS', customer: { id: 'cus_bruno' } },
            { provider: 'TEAMBATTLES', subject: INVOICE, status: 'IN_PROGRESS', customer: { id: 'cus_bruno' } },
          ],
        },
      },
    });
  });

  it('passes a DeskGraph error through with its code, the rest of the answer served', async () => {
    const response = await postGraphQL(
      gateway.url,
      `query {
        customer(id: "cus_alice") { name }
        ticket(provider: TEAMBATTLES, ref: "no-such-ticket") { subject customer { name } }
      }`,
    );
    expect(response.data).toEqual({ customer: { name: 'Alice Martin' }, ticket: null });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'TEAMBATTLES ticket "no-such-ticket" does not exist or is not visible to DeskGraph.',
        path: ['ticket'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND', provider: 'TEAMBATTLES', ref: 'no-such-ticket' }),
      }),
    ]);
  });
});
