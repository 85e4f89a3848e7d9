/**
 * One span per vendor call: a ticket read that went past the cache to the vendor, with every
 * HTTP request and retry it took (what single flight shares). Attributes: `deskgraph.provider`,
 * `http.response.status_code` of the last answer (or `error.type` `network` / `timeout`),
 * `deskgraph.vendor.requests` and `deskgraph.vendor.retries`, `deskgraph.cache.result` (MISS, or
 * STALE when a cached copy covered a vendor failure) and, on failure, `error.type` with the
 * DeskGraph error code. Never a ref, a URL path or a header: they can name customers.
 *
 * The transport and the retry loop report into the span through the active context
 * (`noteVendorResponse`, `noteVendorRetry`), so they need no tracing parameter; with tracing
 * off the span does not record and both are a context lookup that finds nothing.
 */
import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';

const VENDOR_CALL = createContextKey('deskgraph.vendor-call');

interface VendorCall {
  span: Span;
  requests: number;
  retries: number;
}

/**
 * Runs `call` (one vendor read, all its attempts) inside a vendor-call span; `cacheResultOf`
 * names what the read served.
 */
export async function traceVendorCall<T>(provider: string, call: () => Promise<T>, cacheResultOf: (value: T) => string): Promise<T> {
  const span = trace.getTracer('deskgraph').startSpan('vendor.call', { kind: SpanKind.CLIENT, attributes: { 'deskgraph.provider': provider } });
  if (!span.isRecording()) return call();
  const record: VendorCall = { span, requests: 0, retries: 0 };
  const scope = trace.setSpan(context.active(), span).setValue(VENDOR_CALL, record);
  try {
    const value = await context.with(scope, call);
    span.setAttribute('deskgraph.cache.result', cacheResultOf(value));
    return value;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    span.setAttributes({ 'deskgraph.cache.result': 'MISS', 'error.type': typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'unexpected error' });
    throw error;
  } finally {
    span.setAttributes({ 'deskgraph.vendor.requests': record.requests, 'deskgraph.vendor.retries': record.retries });
    span.end();
  }
}

/** The transport's hook: one HTTP exchange with the vendor ended with `outcome`. */
export function noteVendorResponse(outcome: number | 'network' | 'timeout'): void {
  const record = context.active().getValue(VENDOR_CALL) as VendorCall | undefined;
  if (!record) return;
  record.requests += 1;
  if (typeof outcome === 'number') record.span.setAttribute('http.response.status_code', outcome);
  else record.span.setAttribute('error.type', outcome);
}

/** The retry loop's hook: another attempt is about to be made. */
export function noteVendorRetry(): void {
  const record = context.active().getValue(VENDOR_CALL) as VendorCall | undefined;
  if (record) record.retries += 1;
}
