/**
 * `GET /metrics`: Prometheus text for a key that may read every provider (metrics name them
 * all), behind the same caller check as `/graphql` (useCallerAuth runs first); a key limited to
 * some providers gets 403. Without `auth.keys`, anyone who can reach the gateway may scrape it.
 */
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from './metrics.js';
import { graphqlErrorResponse } from './http-errors.js';
import { currentRequest } from './request-id.js';

export interface MetricsEndpointOptions {
  metrics: Pick<GatewayMetrics, 'metrics' | 'contentType'>;
  /** @default '/metrics' */
  endpoint?: string;
}

export function useMetricsEndpoint(options: MetricsEndpointOptions): Plugin {
  const endpoint = options.endpoint ?? '/metrics';
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint || (request.method !== 'GET' && request.method !== 'HEAD')) return undefined;
      const { caller, log } = currentRequest();
      const head = request.method === 'HEAD';
      if (!caller?.unrestricted) {
        // As the caller check's own refusals: a GraphQL-over-HTTP error with its code.
        endResponse(
          graphqlErrorResponse(fetchAPI, 403, 'This key is limited to some providers; /metrics needs a key that may read all of them.', {
            code: 'FORBIDDEN',
            requestId: currentRequest().id,
          }),
        );
        return undefined;
      }
      return options.metrics.metrics().then(
        (text) => {
          endResponse(new fetchAPI.Response(head ? null : text, { status: 200, headers: { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' } }));
        },
        (error: unknown) => {
          log.error({ err: error }, 'could not collect metrics');
          endResponse(new fetchAPI.Response(head ? null : JSON.stringify({ status: 'error' }), { status: 500, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } }));
        },
      );
    },
  };
}
