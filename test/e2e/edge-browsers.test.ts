/**
 * The browser edge over real HTTP (issue 11, defect 1): no CORS unless an origin is configured,
 * never a reflected origin, no form/text POST executed, and `server.allowedHosts` against DNS
 * rebinding. The gateway runs without `auth.keys`, as behind a trusted proxy, where these are
 * the only things keeping another web page from reading tickets.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { sampleRef, useDesksGateway } from '../helpers/in-process.js';

const env = useDesksGateway();
const start = (extra: Record<string, unknown> = {}) => env.start({}, extra);
const { vendorRequests } = env;
const QUERY = `{ ticket(provider: HOSTUP, ref: "${sampleRef('HOSTUP', 0)}") { subject } }`;
const EVIL = 'https://evil.example';
const DASHBOARD = 'https://dashboard.example.com';

async function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }) {
  const response = await request(url, init);
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));

describe('CORS', () => {
  it('sends no CORS header by default, to a preflight or a request with any Origin', async () => {
    const url = await start();
    const preflight = await send(url, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(corsHeaders(preflight.headers)).toEqual({});
    const answer = await send(url, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer.headers)).toEqual({});
  });

  it('answers a configured origin (preflight and request, with credentials) and never reflects another', async () => {
    const url = await start({ server: { cors: { origins: [DASHBOARD] } } });
    const preflight = await send(url, {
      method: 'OPTIONS',
      headers: { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(corsHeaders(preflight.headers)).toEqual({
      'access-control-allow-origin': DASHBOARD,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-expose-headers': 'x-request-id, retry-after',
      'access-control-max-age': '600',
    });
    const answer = await send(url, {
      method: 'POST',
      headers: { origin: DASHBOARD, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(answer.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(answer.headers['vary']).toContain('Origin');

    for (const origin of [EVIL, `${DASHBOARD}.evil.example`, 'null', DASHBOARD.toUpperCase()]) {
      const other = await send(url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY }),
      });
      expect(corsHeaders(other.headers), origin).toEqual({});
      expect(other.headers['vary']).toContain('Origin');
    }
  });

  it('puts the allowed origin on a 401 too, and nothing for another origin', async () => {
    const url = await start({
      server: { cors: { origins: [DASHBOARD] } },
      auth: { keys: [{ name: 'dashboard', token: 'a-long-dashboard-key-0001' }] },
    });
    const allowed = await send(url, { method: 'POST', headers: { origin: DASHBOARD, 'content-type': 'application/json' }, body: '{}' });
    expect(allowed.status).toBe(401);
    expect(allowed.headers['access-control-allow-origin']).toBe(DASHBOARD);
    const other = await send(url, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: '{}' });
    expect(other.status).toBe(401);
    expect(corsHeaders(other.headers)).toEqual({});
    // A preflight carries no key: it is answered, not refused.
    const preflight = await send(url, { method: 'OPTIONS', headers: { origin: DASHBOARD, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(DASHBOARD);
  });

  it('refuses origins that are not exact origins in the configuration', async () => {
    for (const origin of ['*', 'https://dashboard.example.com/', 'dashboard.example.com', 'https://*.example.com']) {
      await expect(start({ server: { cors: { origins: [origin] } } }), origin).rejects.toThrow(/server\.cors\.origins\.0: must be an origin/);
    }
  });
});

describe('requests a browser sends cross-site without a preflight', () => {
  it.each([
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent(QUERY)}`],
    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: QUERY })}\r\n--x--\r\n`],
    ['text/plain', JSON.stringify({ query: QUERY })],
    ['text/plain;charset=UTF-8', JSON.stringify({ query: QUERY })],
  ])('a %s POST is 415 and reads nothing', async (contentType, body) => {
    const url = await start();
    const answer = await send(url, { method: 'POST', headers: { origin: EVIL, 'content-type': contentType }, body });
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(vendorRequests()).toBe(0);
  });

  it('a POST with no Content-Type is 415 too; JSON with parameters is served', async () => {
    const url = await start();
    expect((await send(url, { method: 'POST', body: JSON.stringify({ query: QUERY }) })).status).toBe(415);
    const json = await send(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ query: '{ providers { provider } }' }) });
    expect(json.status).toBe(200);
  });
});

describe('server.allowedHosts', () => {
  it('answers listed hosts only; the probes answer any host', async () => {
    const url = await start({ server: { allowedHosts: ['deskgraph.internal', '127.0.0.1', '.corp.example'] } });
    const port = new URL(url).port;
    const ask = (host: string) =>
      send(url, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
    expect((await ask(`127.0.0.1:${port}`)).status).toBe(200);
    expect((await ask('deskgraph.internal')).status).toBe(200);
    expect((await ask('DESKGRAPH.internal.:8080')).status).toBe(200);
    expect((await ask('api.corp.example')).status).toBe(200);
    const before = vendorRequests();
    const rebound = await ask(`evil.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.text).toContain('server.allowedHosts');
    expect((await ask('corp.example.evil.example')).status).toBe(421);
    expect(vendorRequests()).toBe(before);
    const metrics = await send(url.replace('/graphql', '/metrics'), { method: 'GET', headers: { host: 'evil.example' } });
    expect(metrics.status).toBe(421);
    // GraphiQL's page too (yoga serves it before any plugin): a rebound page gets no GraphiQL.
    const page = (host: string) => send(url, { method: 'GET', headers: { host, accept: 'text/html' } });
    const reboundPage = await page(`evil.example:${port}`);
    expect([reboundPage.status, reboundPage.text]).toEqual([421, 'This gateway does not answer on that host name (server.allowedHosts).\n']);
    const listedPage = await page('deskgraph.internal');
    expect([listedPage.status, listedPage.text.includes('<title>DeskGraph</title>')]).toEqual([200, true]);
    const health = await send(url.replace('/graphql', '/healthz'), { method: 'GET', headers: { host: '10.0.0.7:4000' } });
    expect(health.status).toBe(200);
  });

  it('a listed host with a port matches that port only', async () => {
    const url = await start({ server: { allowedHosts: ['localhost:4000'] } });
    const ask = (host: string) => send(url, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect((await ask('localhost:4000')).status).toBe(200);
    expect((await ask('localhost:4001')).status).toBe(421);
    expect((await ask('localhost')).status).toBe(421);
  });
});
