/**
 * Compressed answers (issue 11): a client that sends `Accept-Encoding: br` or `gzip` gets an
 * answer above `thresholdBytes` compressed with Node's zlib, which runs on libuv's thread pool,
 * off the event loop. Smaller answers, clients that do not ask, HEAD, and bodies that are not
 * text (JSON, HTML, JavaScript, plain text) go as they are. `Vary: Accept-Encoding` is on every
 * answer that could have been compressed, so shared caches keep the variants apart.
 *
 * @whatwg-node/server's `useContentEncoding` was the obvious candidate: it has no size threshold,
 * misreads `Accept-Encoding` (no q-values, no spaces after commas) and also decompresses request
 * bodies, which would let a small compressed body expand past `limits.bodyBytes` checks.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { appendVary } from './vary.js';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export type Encoding = 'br' | 'gzip';

export interface CompressionOptions {
  /** Answers smaller than this many bytes are sent as they are. @default 1024 */
  thresholdBytes?: number | undefined;
}

/** Content types worth compressing: text. */
const COMPRESSIBLE = /^(text\/(?!event-stream)|application\/(json|graphql-response\+json|javascript|xml)\b)/i;

export function isCompressible(contentType: string | null): boolean {
  return contentType !== null && COMPRESSIBLE.test(contentType);
}

/**
 * The encoding to answer with, from an `Accept-Encoding` value (RFC 9110 §12.5.3): br before
 * gzip, when its q is above zero (`*` stands for either); undefined when neither is acceptable.
 */
export function chooseEncoding(acceptEncoding: string | null): Encoding | undefined {
  if (acceptEncoding === null) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weight = (name: Encoding) => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/** Compresses `body` on the thread pool. Brotli at quality 5: most of its gain at a tenth of quality 11's cost. */
export function compress(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'gzip') return gzipped(body);
  return brotli(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
  });
}

/** zlib's Buffers are Uint8Arrays over an ArrayBuffer, which a Response takes as is. */
export function asBody(bytes: Uint8Array): BodyInit {
  return bytes as Uint8Array<ArrayBuffer>;
}

export function useCompression(options: CompressionOptions = {}): Plugin {
  const threshold = options.thresholdBytes ?? 1024;
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!response.body || response.headers.has('content-encoding') || response.status === 204 || response.status === 304) return;
      if (!isCompressible(response.headers.get('content-type'))) return;
      appendVary(response.headers, 'Accept-Encoding');
      const encoding = chooseEncoding(request.headers.get('accept-encoding'));
      if (encoding === undefined || request.method === 'HEAD') return;
      const declared = response.headers.get('content-length');
      if (declared !== null && Number(declared) < threshold) return;
      const body = new Uint8Array(await response.arrayBuffer());
      const headers = new fetchAPI.Headers(response.headers);
      if (body.byteLength < threshold) {
        setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
        return;
      }
      const compressed = await compress(body, encoding);
      headers.set('content-encoding', encoding);
      headers.set('content-length', String(compressed.byteLength));
      setResponse(new fetchAPI.Response(asBody(compressed), { status: response.status, statusText: response.statusText, headers }));
    },
  };
}
