/**
 * The simulators' HTTP side: a node:http server on loopback that reads each request whole,
 * sends `/__sim/` requests to the control API and every other one, parsed into a `SimRequest`,
 * to the vendor; then writes the answer as the vendor would (JSON with its length, or a file's
 * bytes as they are). Anything thrown becomes a plain-text 500, so a simulator bug shows up as
 * an answer rather than a hung request.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  /** Decoded path without the query string, e.g. `/api/v1/tickets/1247`. */
  path: string;
  /** The raw (still encoded) path, for vendors that reject odd encodings. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, `undefined` when there was none, or the raw text when it was not JSON. */
  body: unknown;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A control API answer, always sent as JSON. */
export interface ControlReply {
  status: number;
  body: unknown;
}

/** Where the server sends each request once its body is read. */
export interface SimRoutes {
  /** A `/__sim/` request, with its body as text. */
  control(method: string, path: string, text: string): ControlReply;
  /** Any other request: calls `respond` once with the vendor's answer, then resolves. */
  vendor(request: SimRequest, respond: (response: SimResponse) => void): Promise<void>;
}

/** Starts listening on `host:port` (0: any free port); resolves once it is. */
export async function listenSim(routes: SimRoutes, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    dispatch(routes, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

/** The base URL a listening server answers on (e.g. `http://127.0.0.1:41234`). */
export function urlOf(server: Server): string {
  const address = server.address() as AddressInfo;
  return `http://${address.address}:${address.port}`;
}

/** Stops listening and drops kept-alive connections, so a test's teardown never waits on them. */
export async function closeSim(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A request body read as JSON: `undefined` when empty, the text itself when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function dispatch(routes: SimRoutes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const text = await readBody(req);
  if (url.pathname.startsWith('/__sim/')) {
    const reply = routes.control(req.method ?? 'GET', url.pathname, text);
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.body));
    return;
  }
  const request: SimRequest = {
    method: req.method ?? 'GET',
    path: safeDecode(url.pathname),
    rawPath: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: parseJson(text),
  };
  await routes.vendor(request, (response) => write(res, response));
}

function write(res: ServerResponse, response: SimResponse): void {
  // A file download: the bytes as they are, in their own content type.
  if (Buffer.isBuffer(response.body)) {
    res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
    res.end(response.body);
    return;
  }
  const body =
    response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    ...response.headers,
  };
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
