/**
 * Tracing: what the OTEL_* environment turns on, and the spans a running gateway (createGateway
 * over a real HostUp simulator, the SDK exporting to an in-memory exporter) makes for one
 * operation: the operation in the caller's trace, the ticket loader's batch under it, the vendor
 * call under that with its provider, status, cache result and retries, and the caller's trace
 * context never sent to the vendor.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { Agent, request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import type { VendorSimulator } from '../../src/simulators/simulator.js';
import { startTracing, tracingPlan, TracingConfigError, type Tracing } from '../../src/telemetry/tracing.js';

describe('tracingPlan: the OTEL_* environment', () => {
  it('is off when nothing asks for it, and then starts no SDK', async () => {
    expect(tracingPlan({})).toEqual({ enabled: false });
    expect(await startTracing({ env: {} })).toBeUndefined();
    // The API's no-op tracer: spans record nothing and cost next to nothing.
    expect(trace.getTracer('deskgraph').startSpan('probe').isRecording()).toBe(false);
  });

  it('is on with an OTLP endpoint (otlp over HTTP/protobuf by default) or a named exporter', () => {
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      enabled: true,
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      serviceName: undefined,
    });
    expect(
      tracingPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'desk' }),
    ).toEqual({ enabled: true, exporters: ['otlp'], protocol: 'http/json', serviceName: 'desk' });
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: 'console, otlp' })).toEqual({
      enabled: true,
      exporters: ['console', 'otlp'],
      protocol: 'http/protobuf',
      serviceName: undefined,
    });
  });

  it('stays off when told so, whatever else is set', () => {
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toEqual({ enabled: false });
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false });
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: '' })).toEqual({ enabled: false });
  });

  it('refuses what it cannot do, saying what it can', () => {
    expect(() => tracingPlan({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(
      new TracingConfigError('OTEL_TRACES_EXPORTER: "zipkin" is not an exporter DeskGraph has (it has otlp, console and none).'),
    );
    expect(() => tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      new TracingConfigError('OTEL_EXPORTER_OTLP_PROTOCOL: DeskGraph exports OTLP over HTTP (http/protobuf or http/json), not "grpc".'),
    );
  });
});

describe('spans of a running gateway', () => {
  const exporter = new InMemorySpanExporter();
  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const CALLER_SPAN = '00f067aa0ba902b7';
  const QUERY = 'query One($ref: String!) { ticket(provider: HOSTUP, ref: $ref) { ref subject } }';
  /** Header names of every request the gateway sent to the vendor. */
  const vendorHeaders: string[][] = [];
  let tracing: Tracing;
  let simulator: VendorSimulator<unknown>;
  let gateway: Gateway;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    tracing = (await startTracing({ exporter }))!;
    simulator = SIMULATORS.HOSTUP.create();
    const baseUrl = await simulator.listen();
    dispatcher = new Agent().compose((dispatch) => (options, handler) => {
      vendorHeaders.push(Object.keys((options.headers ?? {}) as Record<string, string>).map((name) => name.toLowerCase()));
      return dispatch(options, handler);
    });
    const config = parseConfig({ providers: { hostup: { baseUrl, token: SIMULATORS.HOSTUP.token } } });
    gateway = createGateway({ config, logger: createLogger('silent'), dispatcher, tracing: true });
    await gateway.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await gateway?.close(0);
    await simulator?.close();
    await dispatcher?.close();
    await tracing?.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
    vendorHeaders.length = 0;
  });

  async function ask(ref: string, headers: Record<string, string> = {}) {
    const response = await request(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: QUERY, variables: { ref } }),
    });
    return { requestId: response.headers['x-request-id'] as string, body: (await response.body.json()) as { errors?: unknown[] } };
  }

  /** The finished spans by name (each name once per request here). */
  function spans(): Record<string, ReadableSpan> {
    const finished = exporter.getFinishedSpans();
    return Object.fromEntries(finished.map((span) => [span.name, span]));
  }

  it("puts the operation in the caller's trace, the batch under it and the vendor call under that", async () => {
    const { requestId, body } = await ask(SIMULATORS.HOSTUP.sampleRef(0), {
      traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`,
      tracestate: 'caller=secret-state',
    });
    expect(body.errors).toBeUndefined();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['vendor.call', 'ticket.batch', 'query One']);
    const { 'query One': operation, 'ticket.batch': batch, 'vendor.call': vendor } = spans();

    expect(operation!.spanContext().traceId).toBe(TRACE_ID);
    expect(operation!.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(operation!.kind).toBe(SpanKind.SERVER);
    expect(operation!.attributes).toEqual({ 'deskgraph.request_id': requestId, 'graphql.operation.type': 'query', 'graphql.operation.name': 'One' });
    expect(operation!.status.code).toBe(SpanStatusCode.UNSET);

    expect(batch!.spanContext().traceId).toBe(TRACE_ID);
    expect(batch!.parentSpanContext?.spanId).toBe(operation!.spanContext().spanId);
    expect(batch!.attributes).toEqual({ 'deskgraph.batch.size': 1, 'deskgraph.batch.failed': 0 });

    expect(vendor!.parentSpanContext?.spanId).toBe(batch!.spanContext().spanId);
    expect(vendor!.kind).toBe(SpanKind.CLIENT);
    expect(vendor!.attributes).toEqual({
      'deskgraph.provider': 'HOSTUP',
      'http.response.status_code': 200,
      'deskgraph.cache.result': 'MISS',
      'deskgraph.vendor.requests': 1,
      'deskgraph.vendor.retries': 0,
    });
    // The caller's trace context stays with the gateway: one vendor request, and none of it sent.
    expect(vendorHeaders).toHaveLength(1);
    expect(vendorHeaders[0]).not.toContain('traceparent');
    expect(vendorHeaders[0]).not.toContain('tracestate');
    expect(vendorHeaders[0]).not.toContain('baggage');
  });

  it('makes no vendor-call span for a cache hit, and a new trace without a traceparent', async () => {
    await ask(SIMULATORS.HOSTUP.sampleRef(0));
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['ticket.batch', 'query One']);
    const { 'query One': operation } = spans();
    expect(operation!.spanContext().traceId).not.toBe(TRACE_ID);
    expect(operation!.parentSpanContext).toBeUndefined();
    expect(vendorHeaders).toHaveLength(0);
  });

  it('ignores a malformed traceparent: a new trace', async () => {
    await ask(SIMULATORS.HOSTUP.sampleRef(0), { traceparent: `00-${TRACE_ID}-not-a-span-01` });
    const { 'query One': operation } = spans();
    expect(operation!.spanContext().traceId).not.toBe(TRACE_ID);
    expect(operation!.parentSpanContext).toBeUndefined();
  });

  it('counts the retries of a vendor call and its last status', async () => {
    simulator.setControls({ failStatus: 503, failCount: 1 });
    const { body } = await ask(SIMULATORS.HOSTUP.sampleRef(1));
    expect(body.errors).toBeUndefined();
    expect(spans()['vendor.call']!.attributes).toEqual({
      'deskgraph.provider': 'HOSTUP',
      'http.response.status_code': 200,
      'deskgraph.cache.result': 'MISS',
      'deskgraph.vendor.requests': 2,
      'deskgraph.vendor.retries': 1,
    });
    expect(vendorHeaders).toHaveLength(2);
  });

  it('marks a failed vendor call and the operation that carried it', async () => {
    await ask('tkt_doesnotexist');
    const { 'query One': operation, 'ticket.batch': batch, 'vendor.call': vendor } = spans();
    expect(vendor!.attributes).toEqual({
      'deskgraph.provider': 'HOSTUP',
      'http.response.status_code': 404,
      'deskgraph.cache.result': 'MISS',
      'error.type': 'NOT_FOUND',
      'deskgraph.vendor.requests': 1,
      'deskgraph.vendor.retries': 0,
    });
    expect(vendor!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'NOT_FOUND' });
    expect(batch!.attributes).toEqual({ 'deskgraph.batch.size': 1, 'deskgraph.batch.failed': 1 });
    expect(operation!.attributes['deskgraph.graphql.error_codes']).toEqual(['NOT_FOUND']);
    expect(operation!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'NOT_FOUND' });
  });
});
