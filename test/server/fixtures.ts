/**
 * A DeskGraph yoga server over the real TicketService, with fake connectors that count their
 * calls, behind a real node:http server on port 0; and a pino logger whose lines the test reads.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Connector } from '../../src/connectors/connector.js';
import { DeskGraphError, ticketLabel } from '../../src/domain/errors.js';
import { attachmentId, messageId } from '../../src/domain/global-id.js';
import type { Message, Ticket } from '../../src/domain/model.js';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { describeProviders } from '../../src/server/provider-directory.js';
import { createDeskGraphYoga } from '../../src/server/yoga.js';
import { BodyRenderer } from '../../src/bodies/body-renderer.js';
import { testTicket } from '../helpers/tickets.js';
import { MemoryTicketStore } from '../../src/stores/memory-ticket-store.js';
import { TicketService, type ProviderRuntime } from '../../src/upstream/ticket-service.js';
import { testGate } from '../helpers/gate.js';

/** A ref every fake connector answers NOT_FOUND for; valid for every provider. */
export const MISSING_REF = '404';
/** A ref every fake connector fails on with a plain Error: a bug, to be masked. */
export const BUG_REF = '500';

function message(provider: Provider, ticket: string, id: string, visibility: Message['visibility'], text: string): Message {
  return {
    id: messageId(provider, ticket, id),
    nativeId: id,
    authorKind: visibility === 'INTERNAL' ? 'AGENT' : 'CUSTOMER',
    author: null,
    visibility,
    pinned: false,
    bodyFormat: 'TEXT',
    body: { source: text, vendorText: null },
    createdAt: `2026-06-04T15:0${id}:00.000Z`,
    updatedAt: null,
    attachments: [
      {
        id: attachmentId(provider, ticket, `a${id}`),
        nativeId: `a${id}`,
        name: `${visibility.toLowerCase()}-${id}.pdf`,
        contentType: 'application/pdf',
        size: 10,
        sha256: null,
        inline: false,
        url: null,
      },
    ],
  };
}

/** A ticket with a public question, an internal staff note and a public answer, each with a file. */
export function sampleTicket(provider: Provider, ref: string): Ticket {
  return {
    ...testTicket({ provider, ref, nativeId: ref, number: ref, subject: `Subject of ${provider} ${ref}` }),
    priority: null,
    vendorPriority: null,
    messages: [
      message(provider, ref, '1', 'PUBLIC', 'My login loops.'),
      message(provider, ref, '2', 'INTERNAL', 'Staff only: customer is on the legacy SSO.'),
      message(provider, ref, '3', 'PUBLIC', 'Fixed, please try again.'),
    ],
    attachments: [
      {
        id: attachmentId(provider, ref, 'root'),
        nativeId: 'root',
        name: 'root.txt',
        contentType: 'text/plain',
        size: 1,
        sha256: null,
        inline: false,
        url: null,
      },
    ],
  };
}

export class CountingConnector implements Connector {
  readonly calls: string[] = [];
  constructor(readonly provider: Provider) {}
  async fetchTicket(ref: string): Promise<Ticket> {
    this.calls.push(ref);
    if (ref === MISSING_REF) {
      throw new DeskGraphError('NOT_FOUND', `${ticketLabel(this.provider, ref)} does not exist.`, { provider: this.provider, ref });
    }
    if (ref === BUG_REF) throw new Error(`mapper bug: cannot read properties of undefined (reading 'id') in ${this.provider} ${ref}`);
    return sampleTicket(this.provider, ref);
  }
}

export interface TestGateway {
  url: string;
  origin: string;
  connectors: Record<Provider, CountingConnector>;
  /** Vendor calls so far, all providers. */
  upstreamCalls(): number;
  /** The JSON log lines written so far. */
  logs: Record<string, unknown>[];
  post(body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

/** Starts a gateway for one test file (closed after all its tests); `config` as in a file. */
export async function startTestGateway(config: Partial<ConfigInput> = {}): Promise<TestGateway> {
  const parsed = parseConfig(config, {}, 'test configuration');
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const connectors = Object.fromEntries(PROVIDERS.map((provider) => [provider, new CountingConnector(provider)])) as Record<
    Provider,
    CountingConnector
  >;
  const runtimes = new Map<Provider, ProviderRuntime>(
    PROVIDERS.map((provider) => [
      provider,
      { connector: connectors[provider], gate: testGate(provider), retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 }, timeoutMs: 5000, ttlSeconds: 60 },
    ]),
  );
  const service = new TicketService({
    providers: runtimes,
    cache: new MemoryTicketStore({ maxBytes: 1024 * 1024 }),
    staleSeconds: 0,
    notFoundSeconds: 0,
  });
  const bodies = new BodyRenderer({ threads: 1, renderTimeoutMs: 10_000 });
  const yoga = createDeskGraphYoga({
    service,
    directory: describeProviders(parsed),
    bodies,
    logger,
    graphiql: parsed.graphiql.enabled,
    auth: parsed.auth,
    limits: parsed.limits,
    introspection: parsed.introspection.enabled,
  });
  const server: Server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/graphql`;

  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> => {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      // A fresh connection each time: a request refused before its body was read (413, 401)
      // leaves its connection unusable, and a test must not inherit that.
      reset: true,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, json: text ? (JSON.parse(text) as HttpResult['json']) : {} };
  };
  const gateway: TestGateway = {
    url,
    origin,
    connectors,
    upstreamCalls: () => PROVIDERS.reduce((sum, provider) => sum + connectors[provider].calls.length, 0),
    logs,
    post,
    query: (query, variables, headers) => post({ query, variables }, headers),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await yoga.dispose();
      await bodies.close();
    },
  };
  afterAll(() => gateway.close());
  return gateway;
}

/** Fake vendor settings for a config (the connectors above ignore them). */
export const PROVIDERS_CONFIG = Object.fromEntries(
  PROVIDERS.map((provider) => [provider.toLowerCase(), { baseUrl: `https://${provider.toLowerCase()}.example`, token: `vendor-token-${provider}` }]),
);
