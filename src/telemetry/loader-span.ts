/**
 * One span per resolver batch: the ticket loader's batch, every ticket one tick of resolvers
 * asked for at once. Attributes: `deskgraph.batch.size` (keys) and `deskgraph.batch.failed`
 * (keys answered with an error); the vendor calls it causes nest under it. With tracing off the
 * span does not record and the batch runs as is.
 */
import { context, trace } from '@opentelemetry/api';

/** `batch` (a DataLoader batch function), each call in a span named `name`. */
export function tracedBatch<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): (keys: readonly K[]) => Promise<(V | Error)[]> {
  return async (keys) => {
    const span = trace.getTracer('deskgraph').startSpan(name, { attributes: { 'deskgraph.batch.size': keys.length } });
    if (!span.isRecording()) return batch(keys);
    try {
      const results = await context.with(trace.setSpan(context.active(), span), () => batch(keys));
      span.setAttribute('deskgraph.batch.failed', results.filter((result) => result instanceof Error).length);
      return results;
    } finally {
      span.end();
    }
  };
}
