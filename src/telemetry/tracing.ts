/**
 * OpenTelemetry tracing, configured as every OpenTelemetry SDK is: by the standard `OTEL_*`
 * environment variables, and off unless they ask for it. Off, no SDK is loaded or started
 * (the SDK modules are imported only when tracing is on: they cost half a second of start-up):
 * DeskGraph's spans go to the API's no-op tracer, and the yoga plugin is not installed at all.
 *
 * On when `OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`), or when an OTLP endpoint
 * is set (`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: `otlp` is then
 * the default exporter). `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` keep it off.
 * OTLP goes over HTTP, as protobuf (the specification's default) or JSON
 * (`OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL`: `http/protobuf` | `http/json`); the exporters read
 * their endpoint, headers, timeout and compression from the environment themselves, the span
 * processor its `OTEL_BSP_*` batching, and the provider `OTEL_TRACES_SAMPLER[_ARG]`.
 * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` name the service (default `deskgraph`).
 *
 * The SDK is registered globally (tracer provider, AsyncLocalStorage context manager), as
 * OpenTelemetry expects one per process: spans started anywhere below a request nest under its
 * operation span. The W3C propagator is not registered for injection: DeskGraph never sends
 * trace context to vendors (use-tracing.ts reads the caller's `traceparent` with its own).
 */
import { context, trace } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';

/** The exporters DeskGraph can start from `OTEL_TRACES_EXPORTER`. */
const EXPORTERS = ['otlp', 'console'] as const;
type ExporterName = (typeof EXPORTERS)[number];
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** The environment asks for something DeskGraph cannot do: start-up stops with this message. */
export class TracingConfigError extends Error {
  override readonly name = 'TracingConfigError';
}

export type TracingPlan =
  | { enabled: false }
  | { enabled: true; exporters: ExporterName[]; protocol: (typeof PROTOCOLS)[number]; serviceName: string | undefined };

/** What the environment asks for, checked (no SDK is started here). */
export function tracingPlan(env: NodeJS.ProcessEnv = process.env): TracingPlan {
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  if (value('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { enabled: false };
  const endpoint = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? value('OTEL_EXPORTER_OTLP_ENDPOINT');
  const listed = value('OTEL_TRACES_EXPORTER')
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const names = listed ?? (endpoint ? ['otlp'] : []);
  if (names.length === 0 || names.includes('none')) return { enabled: false };
  const unknown = names.filter((name) => !(EXPORTERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new TracingConfigError(
      `OTEL_TRACES_EXPORTER: ${unknown.map((name) => JSON.stringify(name)).join(', ')} is not an exporter DeskGraph has (it has ${EXPORTERS.join(', ')} and none).`,
    );
  }
  const protocol = (value('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? value('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf').toLowerCase();
  if (names.includes('otlp') && !(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new TracingConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL: DeskGraph exports OTLP over HTTP (${PROTOCOLS.join(' or ')}), not ${JSON.stringify(protocol)}.`);
  }
  return {
    enabled: true,
    exporters: [...new Set(names)] as ExporterName[],
    protocol: protocol as (typeof PROTOCOLS)[number],
    serviceName: value('OTEL_SERVICE_NAME'),
  };
}

export interface TracingOptions {
  /** Read for the plan; the exporters and the SDK read `process.env` themselves. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Export to this exporter instead of what the environment names, each span as it ends
   * (tests: an InMemorySpanExporter). Tracing is then on whatever the environment says.
   * @default none
   */
  exporter?: SpanExporter;
  /** `service.version` of the resource. @default none */
  serviceVersion?: string;
}

export interface Tracing {
  /** Exports what is buffered. */
  forceFlush(): Promise<void>;
  /** Exports what is buffered, stops the SDK and unregisters it. */
  shutdown(): Promise<void>;
}

/** Starts the SDK when the environment (or `options.exporter`) asks for it; undefined when off. */
export async function startTracing(options: TracingOptions = {}): Promise<Tracing | undefined> {
  const plan: TracingPlan = options.exporter
    ? { enabled: true, exporters: [], protocol: 'http/protobuf', serviceName: undefined }
    : tracingPlan(options.env);
  if (!plan.enabled) return undefined;

  const [{ BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor }, resources, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = resources;
  const otlp = plan.exporters.includes('otlp')
    ? plan.protocol === 'http/json'
      ? (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter
      : (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter
    : undefined;
  const processors: SpanProcessor[] = options.exporter ? [new SimpleSpanProcessor(options.exporter)] : [];
  for (const name of plan.exporters) {
    if (name === 'console') processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
    else if (otlp) processors.push(new BatchSpanProcessor(new otlp()));
  }
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'deskgraph', ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}) }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: processors });
  // The context manager, so spans nest across awaits; no propagator: nothing is ever injected.
  provider.register({ propagator: null });
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
