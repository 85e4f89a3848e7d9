/**
 * A small CRM subgraph written for the federation tests: customers, each holding the support
 * tickets that belong to them as DeskGraph entity keys, and `Ticket.customer` added to
 * DeskGraph's Ticket. The CRM knows nothing of tickets but their keys: subjects, statuses and
 * threads come from DeskGraph through the supergraph.
 *
 * Its links are stored the way a CRM user would paste them: most as `provider` + `ref`, one
 * as DeskGraph's global `id`. CONTRACT §2 makes the two interchangeable (the id is derived
 * from provider and canonical ref, both resolvable without a lookup), so the CRM declares
 * both keys and can hand the gateway either one.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { decodeTicketId, ticketId } from '../../src/domain/global-id.js';
import type { Provider } from '../../src/domain/provider.js';

export const CRM_TYPE_DEFS = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    customers: [Customer!]!
    customer(id: ID!): Customer
  }

  "A CRM account. Its support tickets live in the helpdesks behind DeskGraph."
  type Customer @key(fields: "id") {
    id: ID!
    name: String!
    company: String!
    tickets: [Ticket!]!
  }

  type Ticket @key(fields: "provider ref") @key(fields: "id") {
    id: ID!
    provider: Provider!
    ref: String!
    "The CRM account this ticket belongs to, if the CRM knows it."
    customer: Customer
  }

  enum Provider {
    HEADONI
    TICKITI
    INTERCOM
    HOSTUP
    TEAMBATTLES
  }
`;

/** A ticket link as the CRM stores it: by `provider` + `ref`, or by DeskGraph's global id. */
export type TicketLink = { provider: Provider; ref: string } | { id: string };

export interface CrmCustomer {
  id: string;
  name: string;
  company: string;
  tickets: TicketLink[];
}

interface TicketStub {
  id: string;
  provider: Provider;
  ref: string;
}

function stub(link: TicketLink): TicketStub {
  if ('id' in link) return { id: link.id, ...decodeTicketId(link.id) };
  return { id: ticketId(link.provider, link.ref), provider: link.provider, ref: link.ref };
}

export interface CrmSubgraph {
  url: string;
  close(): Promise<void>;
}

export async function startCrmSubgraph(customers: CrmCustomer[]): Promise<CrmSubgraph> {
  const owners = new Map<string, CrmCustomer>();
  for (const customer of customers) {
    for (const link of customer.tickets) {
      const { provider, ref } = stub(link);
      owners.set(`${provider}:${ref}`, customer);
    }
  }

  const schema = buildSubgraphSchema({
    typeDefs: parse(CRM_TYPE_DEFS),
    resolvers: {
      Query: {
        customers: () => customers,
        customer: (_root: unknown, { id }: { id: string }) => customers.find((customer) => customer.id === id) ?? null,
      },
      Customer: {
        __resolveReference: ({ id }: { id: string }) => customers.find((customer) => customer.id === id) ?? null,
        tickets: (customer: CrmCustomer) => customer.tickets.map(stub),
      },
      Ticket: {
        // The router sends whichever key it planned with.
        __resolveReference: (representation: { id?: string; provider?: Provider; ref?: string }) =>
          representation.id !== undefined
            ? stub({ id: representation.id })
            : stub({ provider: representation.provider!, ref: representation.ref! }),
        customer: (ticket: TicketStub) => owners.get(`${ticket.provider}:${ticket.ref}`) ?? null,
      },
    },
  });

  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, graphiql: false, logging: false });
  const server: Server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await yoga.dispose();
    },
  };
}
