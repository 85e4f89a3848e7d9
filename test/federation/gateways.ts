/**
 * The federation plumbing the tests share: composition with @theguild/federation-composition,
 * and the two real gateways a supergraph is run in — Hive Gateway's runtime and Apollo's
 * @apollo/gateway — each behind its own HTTP server on port 0.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { getOperationAST, parse, validate, type GraphQLFormattedError } from 'graphql';
import { request } from 'undici';

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

/** Composes subgraphs into a supergraph SDL; throws with every composition error. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

export interface RunningGateway {
  name: string;
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Hive Gateway's runtime (what the `hive-gateway` CLI serves) over a static supergraph. */
export async function startHiveGateway(supergraph: string): Promise<RunningGateway> {
  const runtime = createGatewayRuntime({ supergraph, logging: false, graphiql: false, landingPage: false });
  const server = createServer(runtime);
  const url = await listen(server);
  return {
    name: 'Hive Gateway',
    url,
    async close() {
      await closeServer(server);
      await runtime[Symbol.asyncDispose]();
    },
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * @apollo/gateway over a static supergraph. Apollo Server is what normally serves it; this is
 * the part of Apollo Server's request pipeline a gateway needs — parse, validate, build the
 * request context, call the gateway's executor — over plain node:http.
 */
export async function startApolloGateway(supergraphSdl: string): Promise<RunningGateway> {
  const gateway = new ApolloGateway({ supergraphSdl, logger: silent });
  const { schema, executor } = await gateway.load();
  // The gateway keeps nothing in it for a static supergraph; a Map is enough for a test.
  const entries = new Map<string, string>();
  const cache = {
    get: async (key: string) => entries.get(key),
    set: async (key: string, value: string) => void entries.set(key, value),
    delete: async (key: string) => entries.delete(key),
  };

  const execute = async (body: { query?: string; variables?: Record<string, unknown>; operationName?: string }) => {
    const source = body.query ?? '';
    let document;
    try {
      document = parse(source);
    } catch (error) {
      return { errors: [{ message: (error as Error).message }] };
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) return { errors: validationErrors.map((error) => error.toJSON()) };
    const operation = getOperationAST(document, body.operationName);
    if (!operation) return { errors: [{ message: 'no operation to run' }] };
    const policy = { replace() {}, restrict() {}, policyIfCacheable: () => null };
    const result = await executor({
      request: { query: source, variables: body.variables ?? {}, operationName: body.operationName },
      document,
      source,
      operation,
      operationName: operation.name?.value ?? null,
      queryHash: source,
      schema,
      schemaHash: 'static' as never,
      context: {},
      cache,
      logger: silent,
      metrics: {},
      overallCachePolicy: policy,
    });
    return { data: result.data, errors: result.errors?.map((error) => ('toJSON' in error ? (error as { toJSON(): GraphQLFormattedError }).toJSON() : error)) };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        let status = 200;
        let payload: unknown;
        try {
          payload = await execute(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Parameters<typeof execute>[0]);
        } catch (error) {
          status = 500;
          payload = { errors: [{ message: String(error) }] };
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      })();
    });
  });
  const url = await listen(server);
  return {
    name: 'Apollo Gateway',
    url,
    async close() {
      await closeServer(server);
      await gateway.stop();
    },
  };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs a GraphQL request over HTTP and returns the parsed answer. */
export async function postGraphQL<T = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, ...(JSON.parse(text) as Omit<GraphQLResult<T>, 'status'>) };
}
