/** The vendor interceptors over a real loopback server: what they observe, in whose context, and that they change nothing. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport } from '../../src/transport/http.js';
import { observeExchanges, vendorInterceptors, type Interceptor } from '../../src/transport/interceptors.js';

let server: Server;
let baseUrl: string;
const agent = new Agent({ keepAliveTimeout: 1_000 });

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/limited') {
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      res.end('{"error":"slow down"}');
    } else if (req.url === '/hang') {
      // Never answers: the caller's signal ends it.
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '41' });
      res.end('{"ok":true}');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await agent.close();
});

function transport(interceptors: Interceptor[]): HttpTransport {
  return new HttpTransport({ provider: 'HOSTUP', baseUrl, dispatcher: agent.compose(interceptors) });
}

const get = (path: string) => ({ method: 'GET' as const, path, headers: {} });

describe('vendor interceptors', () => {
  it('tell the budget, metrics and logging of every answer, and leave the answer as it was', async () => {
    const seen: string[] = [];
    const http = transport(
      vendorInterceptors({
        budget: { observe: (status, headers) => seen.push(`budget ${status} ${headers['retry-after'] ?? headers['x-ratelimit-remaining']}`) },
        metrics: { response: (status) => seen.push(`metrics ${status}`) },
        logging: { response: (status) => seen.push(`log ${status}`) },
      }),
    );
    const ok = await http.send(get('/'), new AbortController().signal);
    expect(ok).toMatchObject({ status: 200, json: { ok: true }, jsonError: false, headers: { 'x-ratelimit-remaining': '41' } });
    const limited = await http.send(get('/limited'), new AbortController().signal);
    expect(limited).toMatchObject({ status: 429, json: { error: 'slow down' } });
    expect(seen).toEqual(['budget 200 41', 'metrics 200', 'log 200', 'budget 429 30', 'metrics 429', 'log 429']);
  });

  it('report an exchange the caller aborted as a timeout, once, and no answer', async () => {
    const failures: string[] = [];
    const answers: number[] = [];
    const http = transport([observeExchanges({ failure: (kind) => failures.push(kind), response: (status) => answers.push(status) })]);
    const controller = new AbortController();
    const sent = http.send(get('/hang'), controller.signal);
    setTimeout(() => controller.abort(new DOMException('the 50 ms budget ran out', 'TimeoutError')), 50);
    await expect(sent).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'HOSTUP did not answer in time.' });
    expect([failures, answers]).toEqual([['timeout'], []]);
  });

  it('call listeners in the async context of the call that caused the exchange (its request id)', async () => {
    const context = new AsyncLocalStorage<string>();
    const ids: (string | undefined)[] = [];
    const http = transport([observeExchanges({ response: () => ids.push(context.getStore()) })]);
    // Two requests share one keep-alive socket; each answer is told to its own caller's context.
    await context.run('request-1', () => http.send(get('/'), new AbortController().signal));
    await context.run('request-2', () => http.send(get('/'), new AbortController().signal));
    expect(ids).toEqual(['request-1', 'request-2']);
  });

  it('put the extra interceptors outermost', async () => {
    const order: string[] = [];
    const tracing: Interceptor = (dispatch) => (options, handler) => {
      order.push('span start');
      return dispatch(options, handler);
    };
    const http = transport(vendorInterceptors({ budget: { observe: () => order.push('budget') }, extra: [tracing] }));
    await http.send(get('/'), new AbortController().signal);
    expect(order).toEqual(['span start', 'budget']);
  });
});

describe('the keep-alive pool', () => {
  it('caps a vendor body at the socket and reports it as too large, not as a network failure', async () => {
    const { createDispatcher } = await import('../../src/transport/http.js');
    const big = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // No Content-Length: only the streaming caps can stop it.
      res.write(`{"pad":"${'x'.repeat(64 * 1024)}`);
      res.end('"}');
    });
    big.listen(0, '127.0.0.1');
    await once(big, 'listening');
    const pool = createDispatcher({ maxResponseBytes: 16 * 1024 });
    try {
      const http = new HttpTransport({
        provider: 'HOSTUP',
        baseUrl: `http://127.0.0.1:${(big.address() as AddressInfo).port}`,
        dispatcher: pool,
        // The transport's own cap is larger: the pool's cap is the one that acts.
        maxBodyBytes: 1024 * 1024,
      });
      await expect(http.send(get('/'), new AbortController().signal)).rejects.toMatchObject({
        code: 'UPSTREAM_BAD_RESPONSE',
        message: 'HOSTUP answered with a body larger than 1048576 bytes.',
      });
    } finally {
      await pool.destroy();
      big.closeAllConnections();
      big.close();
    }
  });
});
