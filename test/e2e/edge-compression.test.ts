/**
 * Compression and the GraphiQL page's caching (issue 11, defect 7), over real HTTP with a client
 * that does not decompress by itself: answers are compressed when asked and large enough, never
 * otherwise; the page carries an ETag, is answered 304 on revalidation, and is compressed once.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/server/compression.js';
import { sampleRef, useDesksGateway } from '../helpers/in-process.js';

const env = useDesksGateway();
const start = (extra: Record<string, unknown> = {}) => env.start({}, extra);

async function fetchRaw(url: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) {
  const response = await request(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, bytes };
}

function decode(encoding: unknown, bytes: Buffer): string {
  if (encoding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(bytes).toString('utf8');
  return bytes.toString('utf8');
}

const LARGE = JSON.stringify({
  query: `query($refs: [TicketRefInput!]!) { tickets(refs: $refs) { subject messages { bodyText bodyHtml } } }`,
  variables: { refs: Array.from({ length: 50 }, () => ({ provider: 'HOSTUP', ref: sampleRef('HOSTUP', 0) })) },
});
const SMALL = JSON.stringify({ query: '{ __typename }' });
const post = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

describe('JSON answers', () => {
  it.each(['br', 'gzip'])('are %s-compressed when asked and above the threshold', async (encoding) => {
    const url = await start();
    const plain = await fetchRaw(url, post(LARGE));
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toContain('Accept-Encoding');
    const compressed = await fetchRaw(url, post(LARGE, { 'accept-encoding': `deflate, ${encoding}` }));
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe(encoding);
    expect(Number(compressed.headers['content-length'])).toBe(compressed.bytes.length);
    expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 5);
    expect(JSON.parse(decode(encoding, compressed.bytes))).toEqual(JSON.parse(plain.bytes.toString('utf8')));
  });

  it('are sent as they are below the threshold, when refused by q=0, or with compression off', async () => {
    let url = await start();
    const small = await fetchRaw(url, post(SMALL, { 'accept-encoding': 'gzip, br' }));
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.bytes.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
    for (const refused of ['identity', 'br;q=0, gzip;q=0', '*;q=0', 'deflate']) {
      const answer = await fetchRaw(url, post(LARGE, { 'accept-encoding': refused }));
      expect(answer.headers['content-encoding'], refused).toBeUndefined();
    }
    await env.close();
    url = await start({ server: { compression: { enabled: false } } });
    const off = await fetchRaw(url, post(LARGE, { 'accept-encoding': 'gzip, br' }));
    expect(off.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(off.bytes.toString('utf8'))).toHaveProperty('data.tickets');
  });
});

describe('the GraphiQL page', () => {
  it('is served compressed when asked, with an ETag, and 304 on revalidation', async () => {
    const url = await start();
    const html = { accept: 'text/html' };
    const plain = await fetchRaw(url, { headers: html });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('no-cache');
    const etag = plain.headers['etag'];
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(plain.bytes.toString('utf8')).toContain('<title>DeskGraph</title>');

    // Brotli takes seconds over the page: until its copy is made, a client that takes gzip too gets gzip.
    const first = await fetchRaw(url, { headers: { ...html, 'accept-encoding': 'gzip, deflate, br' } });
    expect(first.headers['content-encoding']).toBe('gzip');
    for (const encoding of ['br', 'gzip']) {
      const compressed = await fetchRaw(url, { headers: { ...html, 'accept-encoding': encoding } });
      expect(compressed.headers['content-encoding']).toBe(encoding);
      expect(compressed.headers['etag']).toBe(etag);
      expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 3);
      expect(decode(encoding, compressed.bytes)).toBe(plain.bytes.toString('utf8'));
    }

    const brotliReady = await fetchRaw(url, { headers: { ...html, 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotliReady.headers['content-encoding']).toBe('br');

    const revalidated = await fetchRaw(url, { headers: { ...html, 'accept-encoding': 'br', 'if-none-match': String(etag) } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.bytes.length).toBe(0);
    expect(revalidated.headers['etag']).toBe(etag);
    const stale = await fetchRaw(url, { headers: { ...html, 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
    expect(stale.bytes.length).toBe(plain.bytes.length);
  });
});

describe('Accept-Encoding', () => {
  it('is read with q-values, br first', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0.5, br;q=0')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding('')).toBeUndefined();
    expect(chooseEncoding(null)).toBeUndefined();
    expect(chooseEncoding('GZIP')).toBe('gzip');
  });
});
