/**
 * The transport reads a vendor answer chunk by chunk: each is decoded and scanned for the JSON
 * bounds as it arrives, so an answer the bounds refuse is not read further (a vendor that streams
 * forever after a hostile start is answered at once), and a character split across chunks is
 * decoded whole. Real sockets on loopback.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../src/transport/http.js';

const GET_TICKET = { method: 'GET' as const, path: '/ticket', headers: { accept: 'application/json' } };
let server: Server | undefined;
const agent = new Agent();
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A vendor that writes `chunks` one by one (each flushed on its own), then ends or, with `hang`, never does. */
async function vendor(chunks: Buffer[], options: { hang?: boolean } = {}): Promise<HttpTransport> {
  server = createServer(async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (const chunk of chunks) {
      res.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (!options.hang) res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return new HttpTransport({ provider: 'HOSTUP', baseUrl: `http://127.0.0.1:${port}`, dispatcher: agent });
}

describe('HttpTransport reading an answer', () => {
  it('stops reading an answer the bounds refuse, without waiting for its end', async () => {
    const transport = await vendor([Buffer.from(`{"a":${'['.repeat(100)}`)], { hang: true });
    const answer = await transport.send(GET_TICKET, AbortSignal.timeout(10_000));
    expect(answer).toMatchObject({ status: 200, json: undefined, jsonError: true, jsonProblem: 'it nests deeper than 64 levels' });
  });

  it('finds a problem that only the last chunks reveal', async () => {
    const transport = await vendor([Buffer.from('{"a":'), Buffer.from('['.repeat(40)), Buffer.from('['.repeat(40))]);
    const answer = await transport.send(GET_TICKET, AbortSignal.timeout(10_000));
    expect(answer.jsonProblem).toBe('it nests deeper than 64 levels');
  });

  it('decodes a character split across chunks, and an escape split across chunks stays in its string', async () => {
    const text = Buffer.from(JSON.stringify({ subject: 'Grüße 👋', body: 'a\\"[[[[' }), 'utf8');
    const split = text.indexOf(Buffer.from('👋')) + 2;
    const escape = text.indexOf(Buffer.from('\\\\')) + 1;
    const transport = await vendor([text.subarray(0, split), text.subarray(split, escape), text.subarray(escape)]);
    const answer = await transport.send(GET_TICKET, AbortSignal.timeout(10_000));
    expect(answer).toMatchObject({ jsonError: false, json: { subject: 'Grüße 👋', body: 'a\\"[[[[' } });
  });
});
