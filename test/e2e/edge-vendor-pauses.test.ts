/**
 * Pauses a vendor imposes (issue 11, defect 4), end to end: the gateway reads TeamBattles through
 * a hostile proxy in front of its simulator that adds rate-limit headers of its choosing. Every
 * pause is cut to `maxCooldownSeconds`, nonsense values are warned about once and ignored, and
 * `providers { rateLimit }` keeps answering with representable figures. `Date` is faked and
 * stands still unless a test moves it; sockets and timers are real.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureLog, type CapturedLog } from '../helpers/log-capture.js';
import { postQuery, sampleRef, useDesksGateway } from '../helpers/in-process.js';

const START = '2026-06-04T15:00:00.000Z';
const T0 = Date.parse(START);
const REF = sampleRef('TEAMBATTLES', 0);

let log: CapturedLog;
const env = useDesksGateway({ fakeDate: START, logger: () => (log = captureLog('info')).logger });
let proxy: Server;
let proxyUrl: string;
/** What the proxy does to the next answers: a status instead of the simulator's, and headers added. */
let hostile: { status: number | null; headers: Record<string, string> } = { status: null, headers: {} };
let forwarded = 0;

beforeAll(async () => {
  const target = env.desks.urls.TEAMBATTLES;
  proxy = createServer((req, res) => {
    forwarded += 1;
    if (hostile.status !== null) {
      res.writeHead(hostile.status, { 'content-type': 'application/json', ...hostile.headers });
      res.end(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down' }, timestamp: new Date().toISOString() }));
      return;
    }
    void request(new URL(req.url ?? '/', target), { method: 'GET', headers: { authorization: req.headers.authorization ?? '' } }).then(
      async (answer) => {
        const body = await answer.body.text();
        res.writeHead(answer.statusCode, { 'content-type': 'application/json', ...hostile.headers });
        res.end(body);
      },
    );
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(() => void proxy.close());

beforeEach(() => {
  hostile = { status: null, headers: {} };
  forwarded = 0;
});

/** A gateway that reads TeamBattles through the proxy; `settings` adds to that entry. */
const start = (settings: Record<string, unknown> = {}) => env.start({ TEAMBATTLES: { baseUrl: proxyUrl, ttlSeconds: 0, ...settings } });

const TICKET = `{ ticket(provider: TEAMBATTLES, ref: "${REF}") { ref } }`;
const STATE = `{ providers { provider rateLimit { cooldownUntil retryAfterSeconds vendorLimit vendorRemaining vendorResetAt } } }`;

async function read(url: string) {
  const answer = await postQuery(url, TICKET);
  return { ref: (answer.body.data?.['ticket'] as { ref: string } | null)?.ref ?? null, error: answer.body.errors?.[0] };
}

async function rateLimit(url: string) {
  const answer = await postQuery(url, STATE);
  expect(answer.body.errors).toBeUndefined();
  const providers = answer.body.data?.['providers'] as { provider: string; rateLimit: Record<string, unknown> }[];
  return providers.find((info) => info.provider === 'TEAMBATTLES')!.rateLimit;
}

const warnings = () => log.lines.filter((line) => line.level === 40 && /nonsense rate-limit header/.test(line.msg));
const iso = (ms: number) => new Date(ms).toISOString();

describe('a 429 with Retry-After', () => {
  it.each([
    ['999999999 seconds', '999999999'],
    ['a 400-digit number', '9'.repeat(400)],
    ['a date in year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT'],
  ])('of %s pauses the provider for maxCooldownSeconds (3600) at most, with figures that stay representable', async (_name, value) => {
    const url = await start();
    hostile = { status: 429, headers: { 'retry-after': value } };
    const first = await read(url);
    expect(first.error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3600 });
    expect(await rateLimit(url)).toMatchObject({ cooldownUntil: iso(T0 + 3_600_000), retryAfterSeconds: 3600 });
    expect(warnings()).toEqual([expect.objectContaining({ provider: 'TEAMBATTLES', header: 'retry-after', reason: 'too long', value: value.slice(0, 40) })]);

    // Paused: no call goes out, and the wait told is the cut one.
    hostile = { status: null, headers: {} };
    expect((await read(url)).error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3600 });
    expect(forwarded).toBe(1);
    vi.setSystemTime(T0 + 3_600_001);
    expect(await read(url)).toEqual({ ref: REF, error: undefined });
    expect(forwarded).toBe(2);
  });

  it('is cut to the provider\'s own maxCooldownSeconds', async () => {
    const url = await start({ maxCooldownSeconds: 60 });
    hostile = { status: 429, headers: { 'retry-after': '86400' } };
    expect((await read(url)).error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    expect(await rateLimit(url)).toMatchObject({ cooldownUntil: iso(T0 + 60_000), retryAfterSeconds: 60 });
  });

  it.each([
    ['-5', 'negative'],
    ['abc', 'unreadable'],
    ['1e9', 'unreadable'],
  ])('of %s is ignored with one warning (a 429 still pauses one second)', async (value, reason) => {
    const url = await start();
    hostile = { status: 429, headers: { 'retry-after': value } };
    await read(url);
    expect(await rateLimit(url)).toMatchObject({ cooldownUntil: iso(T0 + 1000), retryAfterSeconds: 1 });
    vi.setSystemTime(T0 + 1001);
    await read(url);
    vi.setSystemTime(T0 + 2002);
    await read(url);
    expect(forwarded).toBe(3);
    expect(warnings()).toEqual([expect.objectContaining({ header: 'retry-after', reason, value })]);
  });
});

describe('a 200 with a spent budget', () => {
  it.each([
    ['an epoch in year 9999', '253402300799'],
    ['an epoch in milliseconds far ahead', '99999999999999'],
    ['an ISO date far ahead', '2999-01-01T00:00:00Z'],
    ['400 digits', '9'.repeat(400)],
    ['a delta of 31 years', '999999999'],
  ])('until %s pauses for 3600 s at most', async (_name, reset) => {
    const url = await start();
    hostile = { status: null, headers: { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } };
    expect(await read(url)).toEqual({ ref: REF, error: undefined });
    expect(await rateLimit(url)).toEqual({
      cooldownUntil: iso(T0 + 3_600_000),
      retryAfterSeconds: 3600,
      vendorLimit: 100,
      vendorRemaining: 0,
      vendorResetAt: iso(T0 + 3_600_000),
    });
    expect(warnings()).toEqual([expect.objectContaining({ header: 'x-ratelimit-reset', reason: 'too long' })]);
  });

  it('with budget figures GraphQL cannot carry shows them as null, and a negative reset pauses nothing', async () => {
    const url = await start();
    hostile = { status: null, headers: { 'x-ratelimit-limit': '99999999999', 'x-ratelimit-remaining': '-3', 'x-ratelimit-reset': '-5' } };
    expect(await read(url)).toEqual({ ref: REF, error: undefined });
    expect(await rateLimit(url)).toEqual({ cooldownUntil: null, retryAfterSeconds: null, vendorLimit: null, vendorRemaining: null, vendorResetAt: null });
    expect(await read(url)).toEqual({ ref: REF, error: undefined });
    expect(forwarded).toBe(2);
    // Each kind once, though the vendor sent it twice.
    expect(warnings().map((line) => `${String(line['header'])} ${String(line['reason'])}`).sort()).toEqual([
      'x-ratelimit-limit out of range',
      'x-ratelimit-remaining negative',
      'x-ratelimit-reset negative',
    ]);
  });
});
