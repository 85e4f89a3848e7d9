/**
 * The GraphiQL page, rendered once. The page inlines GraphiQL's whole bundle (some 9 MB) so it
 * works with no internet; rendering it for every visit, and sending it whole every time, made
 * browsers take seconds to load it even on loopback. Here it is rendered on first use and kept:
 *
 * - an `ETag` (a hash of the page) with `Cache-Control: no-cache`: a browser asks again on each
 *   visit (the page shares its URL with the API, so it must not go stale after an upgrade) and
 *   gets `304 Not Modified`, no body, while the page is unchanged;
 * - compressed once per encoding (br or gzip, on the thread pool) and kept, for clients that ask.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { asBody, chooseEncoding, compress, type Encoding } from './compression.js';
import { appendVary } from './vary.js';

export interface GraphiQLPage<O> {
  /** yoga's `renderGraphiQL`: the first call renders, later ones answer the same page. */
  render(options: O): Promise<string>;
  /** Adds the caching headers, answers 304s and serves the kept compressed copies. */
  plugin(options: { compression: boolean }): Plugin;
}

interface Rendered {
  text: string;
  html: Uint8Array;
  etag: string;
  compressed: Map<Encoding, { promise: Promise<Buffer>; done: boolean }>;
}

function compressedCopy(page: Rendered, encoding: Encoding): { promise: Promise<Buffer>; done: boolean } {
  let copy = page.compressed.get(encoding);
  if (!copy) {
    const made: { promise: Promise<Buffer>; done: boolean } = { promise: compress(page.html, encoding), done: false };
    made.promise = made.promise.then((body) => {
      made.done = true;
      return body;
    });
    copy = made;
    page.compressed.set(encoding, copy);
  }
  return copy;
}

/**
 * The encoding to send the page in: the one asked for once its copy is made. Brotli takes
 * seconds over the 9 MB page, so until its copy is ready (it is made in the background) a client
 * that also accepts gzip gets gzip, which takes a fraction of that.
 */
async function readyEncoding(page: Rendered, best: Encoding, acceptEncoding: string | null): Promise<Encoding> {
  const copy = compressedCopy(page, best);
  if (copy.done || best === 'gzip') return best;
  const fallback = chooseEncoding(`${acceptEncoding ?? ''}, br;q=0`);
  if (fallback === 'gzip') {
    compressedCopy(page, 'gzip');
    return 'gzip';
  }
  return best;
}

export function createGraphiQLPage<O>(renderer: (options: O) => Promise<string> | string): GraphiQLPage<O> {
  let rendered: Promise<Rendered> | undefined;
  let ready: Rendered | undefined;
  return {
    async render(options) {
      rendered ??= Promise.resolve(renderer(options)).then((text) => {
        const html = new TextEncoder().encode(text);
        ready = {
          text,
          html,
          etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`,
          compressed: new Map(),
        };
        return ready;
      });
      return (await rendered).text;
    },
    plugin({ compression }) {
      return {
        async onResponse({ request, response, setResponse, fetchAPI }) {
          const page = ready;
          if (!page || request.method !== 'GET' || response.status !== 200) return;
          if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return;
          // This is the page (yoga's GraphiQL is the only HTML answer): answered from what is kept.
          await response.body?.cancel();
          const headers = new fetchAPI.Headers(response.headers);
          headers.set('etag', page.etag);
          headers.set('cache-control', 'no-cache');
          appendVary(headers, 'Accept');
          if (compression) appendVary(headers, 'Accept-Encoding');
          const match = request.headers.get('if-none-match');
          if (match !== null && match.split(/ *, */).some((tag) => tag.replace(/^W\//, '') === page.etag || tag === '*')) {
            headers.delete('content-type');
            headers.delete('content-length');
            setResponse(new fetchAPI.Response(null, { status: 304, headers }));
            return;
          }
          const accepted = compression ? chooseEncoding(request.headers.get('accept-encoding')) : undefined;
          const encoding = accepted === undefined ? undefined : await readyEncoding(page, accepted, request.headers.get('accept-encoding'));
          if (encoding === undefined) {
            headers.set('content-length', String(page.html.byteLength));
            setResponse(new fetchAPI.Response(asBody(page.html), { status: 200, headers }));
            return;
          }
          const body = await page.compressed.get(encoding)!.promise;
          headers.set('content-encoding', encoding);
          headers.set('content-length', String(body.byteLength));
          setResponse(new fetchAPI.Response(asBody(body), { status: 200, headers }));
        },
      };
    },
  };
}
