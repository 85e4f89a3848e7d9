/**
 * Clients that misbehave at the HTTP level (issue 11, defects 5 and 6), over real sockets: an
 * address that keeps presenting unknown keys is answered 429 (valid keys never are), and clients
 * that send their headers or body slowly are cut at the configured timeouts. The timeouts are
 * real time: bounds are generous (robustness, not speed).
 */
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { postQuery, useDesksGateway } from '../helpers/in-process.js';

let log: CapturedLog;
const env = useDesksGateway({ logger: () => (log = captureLog('info')).logger });
const start = (extra: Record<string, unknown> = {}) => env.start({}, extra);

const KEY = 'a-long-dashboard-key-0001';

const PROVIDERS_QUERY = '{ providers { provider } }';

describe('unknown gateway keys', () => {
  it('from one address past keyThrottle.maxFailures get 429 with Retry-After; valid keys and other routes keep working', async () => {
    const url = await start({
      auth: { keys: [{ name: 'dashboard', token: KEY }] },
      server: { keyThrottle: { maxFailures: 5, windowSeconds: 60 } },
    });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      statuses.push((await postQuery(url, PROVIDERS_QUERY, {}, { authorization: `Bearer wrong-key-${attempt}-xxxxxxxx` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const throttled = await postQuery(url, PROVIDERS_QUERY, {}, { authorization: 'Bearer wrong-key-again-xxxxxxxx' });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(throttled.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: Number(throttled.headers['retry-after']) });

    // A valid key from the same address is served at once; so is a request with no key (401).
    const valid = await postQuery(url, PROVIDERS_QUERY, {}, { authorization: `Bearer ${KEY}` });
    expect(valid.status).toBe(200);
    expect(valid.body.errors).toBeUndefined();
    expect((await postQuery(url, PROVIDERS_QUERY)).status).toBe(401);
    // /metrics counts with /graphql.
    const metrics = await request(url.replace('/graphql', '/metrics'), { headers: { authorization: 'Bearer wrong-key-metrics-xxxx' } });
    await metrics.body.dump();
    expect(metrics.statusCode).toBe(429);
    expect(metrics.headers['retry-after']).toBeDefined();
    // So does /attachments/<id>: one caller check guards every route keys protect.
    const attachment = await request(url.replace('/graphql', '/attachments/bm9wZQ'), { headers: { authorization: 'Bearer wrong-key-file-xxxxxxx' } });
    expect([attachment.statusCode, ((await attachment.body.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code]).toEqual([
      429,
      'RATE_LIMITED',
    ]);
    expect(Number(attachment.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Below the limit, a valid key on the same route passes the check (a bad link is its own 400).
    const validFile = await request(url.replace('/graphql', '/attachments/bm9wZQ'), { headers: { authorization: `Bearer ${KEY}` } });
    await validFile.body.dump();
    expect(validFile.statusCode).toBe(400);

    const throttleLines = log.lines.filter((line) => /too many unknown gateway keys/.test(line.msg));
    expect(throttleLines).toEqual([expect.objectContaining({ level: 40, client: '127.0.0.1', failures: 5 })]);
    expect(JSON.stringify(log.lines)).not.toContain('wrong-key');
  });

  it('requests without any key do not count towards the throttle', async () => {
    const url = await start({ auth: { keys: [{ name: 'dashboard', token: KEY }] }, server: { keyThrottle: { maxFailures: 2 } } });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await postQuery(url, PROVIDERS_QUERY)).status).toBe(401);
    expect((await postQuery(url, PROVIDERS_QUERY, {}, { authorization: 'Bearer wrong-key-first-xxxxxxx' })).status).toBe(401);
  });

  const wrongKeyFrom = async (url: string, forwardedFor: string) =>
    (await postQuery(url, PROVIDERS_QUERY, {}, { authorization: 'Bearer wrong-key-proxied-xxxxxx', 'x-forwarded-for': forwardedFor })).status;

  it('ignore X-Forwarded-For from a peer that is not a trusted proxy: a client cannot pick the address it is counted under', async () => {
    const url = await start({ auth: { keys: [{ name: 'dashboard', token: KEY }] }, server: { keyThrottle: { maxFailures: 2 } } });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push(await wrongKeyFrom(url, `203.0.113.${attempt}`));
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('behind server.trustedProxies are counted per forwarded client: one guessing client does not hold back another', async () => {
    const url = await start({
      auth: { keys: [{ name: 'dashboard', token: KEY }] },
      server: { keyThrottle: { maxFailures: 2 }, trustedProxies: ['loopback'] },
    });
    const first = [];
    for (let attempt = 0; attempt < 3; attempt += 1) first.push(await wrongKeyFrom(url, '203.0.113.7'));
    expect(first).toEqual([401, 401, 429]);
    // Another client behind the same proxy; and a spoofed entry left of the proxy's own is not believed.
    expect(await wrongKeyFrom(url, '203.0.113.8')).toBe(401);
    expect(await wrongKeyFrom(url, '198.51.100.1, 203.0.113.7')).toBe(429);
    expect(log.lines.filter((line) => /too many unknown gateway keys/.test(line.msg))).toEqual([
      expect.objectContaining({ client: '203.0.113.7' }),
    ]);
  });
});

interface Cut {
  ms: number;
  response: string;
}

/** Opens a raw connection, sends `first`, then one byte of `drip` every `everyMs` until the server closes. */
function dripping(url: string, first: string, drip: string, everyMs: number): Promise<Cut> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(Number(port), hostname);
    let response = '';
    let index = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: performance.now() - started, response });
    });
    socket.on('connect', () => {
      socket.write(first);
      timer = setInterval(() => {
        if (socket.destroyed) return;
        socket.write(drip[index % drip.length]!);
        index += 1;
      }, everyMs);
    });
    setTimeout(() => reject(new Error('the server never cut the slow client')), 20_000).unref();
  });
}

describe('slow clients', () => {
  it('sending headers a byte at a time are cut at headersTimeoutMs with 408', async () => {
    const url = await start({ server: { headersTimeoutMs: 1000, requestTimeoutMs: 3000 } });
    const cut = await dripping(url, 'POST /graphql HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 100);
    expect(cut.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeGreaterThanOrEqual(900);
    expect(cut.ms).toBeLessThan(3000);
  });

  it('sending a body a byte at a time are cut at requestTimeoutMs with 408', async () => {
    const url = await start({ server: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
    const head = 'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
    const cut = await dripping(url, head, '{"query":"{ providers { provider } }"}', 100);
    expect(cut.response).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.ms).toBeGreaterThanOrEqual(1900);
    expect(cut.ms).toBeLessThan(5000);
  });

  it('idle keep-alive connections are closed after keepAliveTimeoutMs', async () => {
    const url = await start({ server: { keepAliveTimeoutMs: 500 } });
    const cut = await dripping(url, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n', '', 1_000_000);
    expect(cut.response).toMatch(/^HTTP\/1\.1 200 /);
    expect(cut.ms).toBeGreaterThanOrEqual(450);
    expect(cut.ms).toBeLessThan(3000);
  });

  it('connections beyond maxConnections are closed as they arrive', async () => {
    const url = await start({ server: { maxConnections: 2 } });
    const { hostname, port } = new URL(url);
    // Two keep-alive connections, each answered once: the server has certainly counted both.
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(Number(port), hostname, () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'));
            socket.once('data', () => resolve(socket));
          }),
      ),
    );
    const third = await dripping(url, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n', '', 1_000_000);
    expect(third.response).toBe('');
    for (const socket of held) socket.destroy();
  });
});
