/**
 * Browsers (CONTRACT §4 `server.cors.origins`). yoga's own CORS answers every `Origin` with itself
 * and `Access-Control-Allow-Credentials: true`, which lets any web page read the gateway through a
 * visitor's browser; DeskGraph turns it off and answers only the configured origins.
 *
 * - An allowed origin gets `Access-Control-Allow-Origin: <that origin>` with credentials, on every
 *   answer (401s included), and its preflights are answered with the methods and headers it asks.
 * - Any other origin gets no CORS header at all: its page may send a request (that is the
 *   browser's choice), but can never read the answer. Origins are compared exactly, never by
 *   pattern, and `*` is not accepted by the configuration.
 * - `Vary: Origin` is on every answer once origins are configured, so a shared cache never hands
 *   one origin's headers to another.
 *
 * Requests a browser sends cross-site without a preflight are refused separately
 * (`useJsonRequestsOnly`), so a page can neither read the gateway nor act through it.
 */
import type { Plugin } from 'graphql-yoga';
import { appendVary } from './vary.js';

export interface CorsOptions {
  /** Exact origins (`https://dashboard.example.com`) allowed to call the gateway from a browser. @default [] */
  origins?: readonly string[] | undefined;
  /** `Access-Control-Max-Age` of preflight answers, in seconds. @default 600 */
  maxAgeSeconds?: number | undefined;
}

/** Headers a browser script may read from an answer besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = 'x-request-id, retry-after';
/** A comma-separated list of header names, as `Access-Control-Request-Headers` carries it. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9a-z-]+( *, *[!#$%&'*+.^_`|~0-9a-z-]+)*$/i;

export function useCorsAllowList(options: CorsOptions = {}): Plugin {
  const origins = new Set(options.origins ?? []);
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      // Preflights carry no key: answered here, before the caller check. The CORS headers, for
      // an allowed origin only, are added below like on every other answer.
      if (request.method === 'OPTIONS') endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'content-length': '0' } }));
    },
    onResponse({ request, response }) {
      if (origins.size === 0) return;
      appendVary(response.headers, 'Origin');
      const origin = request.headers.get('origin');
      if (origin === null || !origins.has(origin)) return;
      const headers = response.headers;
      headers.set('access-control-allow-origin', origin);
      headers.set('access-control-allow-credentials', 'true');
      headers.set('access-control-expose-headers', EXPOSED_HEADERS);
      if (request.method === 'OPTIONS') {
        headers.set('access-control-allow-methods', 'GET, POST, OPTIONS');
        const asked = request.headers.get('access-control-request-headers');
        if (asked !== null && HEADER_LIST.test(asked.trim())) {
          headers.set('access-control-allow-headers', asked.trim());
          appendVary(headers, 'Access-Control-Request-Headers');
        }
        headers.set('access-control-max-age', maxAge);
      }
    },
  };
}
