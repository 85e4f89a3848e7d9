/**
 * OTLP export end to end: the built gateway process, configured only by OTEL_* variables,
 * exports its spans over OTLP/HTTP to a receiver this test starts (node:http on port 0) — as
 * JSON and as protobuf, the default. Stopping the gateway (SIGTERM) flushes what is buffered,
 * so the receiver has every span once the process has exited.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketDocument } from '../../generated/graphql/graphql.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { fleetConfig, startGateway, startSimulators, type SimulatorFleet } from '../helpers/processes.js';

interface Export {
  path: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}

/** An OTLP/HTTP receiver: keeps every export it is sent and answers 200. */
async function startReceiver(): Promise<{ server: Server; url: string; exports: Export[] }> {
  const exports: Export[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exports.push({ path: req.url, contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end(req.headers['content-type'] === 'application/json' ? '{}' : undefined);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports };
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}
interface JsonExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: JsonSpan[] }[] }[];
}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
let fleet: SimulatorFleet;

beforeAll(async () => {
  fleet = await startSimulators();
}, 60_000);
afterAll(async () => {
  await fleet?.process.stop();
});

/** Runs the gateway with `env`, reads two tickets in the caller's trace, stops it. */
async function traceTwoReads(env: Record<string, string>) {
  const gateway = await startGateway(fleetConfig(fleet), env);
  const headers = { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` };
  for (const provider of ['HOSTUP', 'TICKITI'] as const) {
    const response = await gateway.query(TicketDocument, { provider, ref: SIMULATORS[provider].sampleRef(2) }, headers);
    expect(response.errors).toBeUndefined();
  }
  expect(await gateway.process.stop()).toBe(0);
}

describe('OTLP/HTTP export configured by OTEL_* variables', () => {
  it('sends JSON spans of the caller trace, named for the service, to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const receiver = await startReceiver();
    try {
      await traceTwoReads({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'deskgraph-e2e' });
      expect(receiver.exports.length).toBeGreaterThan(0);
      expect(new Set(receiver.exports.map((one) => `${one.path} ${one.contentType}`))).toEqual(new Set(['/v1/traces application/json']));
      const payloads = receiver.exports.map((one) => JSON.parse(one.body.toString('utf8')) as JsonExport);
      const services = payloads.flatMap((payload) =>
        payload.resourceSpans.map((resource) => resource.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue),
      );
      expect(new Set(services)).toEqual(new Set(['deskgraph-e2e']));
      const spans = payloads.flatMap((payload) => payload.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
      // Two operations, each with its batch and its vendor call: six spans, all in the caller's trace.
      expect(spans.map((span) => span.name).sort()).toEqual(['query Ticket', 'query Ticket', 'ticket.batch', 'ticket.batch', 'vendor.call', 'vendor.call']);
      expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([TRACE_ID]));
      const operations = spans.filter((span) => span.name === 'query Ticket');
      expect(operations.map((span) => span.parentSpanId)).toEqual([CALLER_SPAN, CALLER_SPAN]);
    } finally {
      receiver.server.close();
    }
  }, 60_000);

  it('sends protobuf by default (http/protobuf), holding the caller trace id', async () => {
    const receiver = await startReceiver();
    try {
      await traceTwoReads({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      expect(receiver.exports.length).toBeGreaterThan(0);
      expect(new Set(receiver.exports.map((one) => `${one.path} ${one.contentType}`))).toEqual(new Set(['/v1/traces application/x-protobuf']));
      // OTLP protobuf carries ids as raw bytes: the caller's trace id is in the export, once a span.
      const body = Buffer.concat(receiver.exports.map((one) => one.body));
      const traceId = Buffer.from(TRACE_ID, 'hex');
      let count = 0;
      for (let at = body.indexOf(traceId); at >= 0; at = body.indexOf(traceId, at + 1)) count += 1;
      expect(count).toBe(6);
    } finally {
      receiver.server.close();
    }
  }, 60_000);

  it('exports nothing when OTEL_TRACES_EXPORTER=none, endpoint or not', async () => {
    const receiver = await startReceiver();
    try {
      await traceTwoReads({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_EXPORTER: 'none' });
      expect(receiver.exports).toEqual([]);
    } finally {
      receiver.server.close();
    }
  }, 60_000);
});
