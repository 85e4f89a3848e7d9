/**
 * Several replicas over one Redis, end to end: three gateway processes (`dist/src/cli.js`) over
 * the vendor simulators (a fourth process), real Redis, and the simulators' exact request
 * counts. Each test gets its own key prefix, so replicas of different tests share nothing.
 * The outage tests run their own `redis-server` and kill it by pid.
 *
 * Real processes keep real time: the waits here are the vendor's Retry-After, a lease's life
 * and a reconnect, the behaviour under test, not TTLs that a fake clock could move.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Provider } from '../../src/domain/provider.js';
import { headoniTicketId } from '../../src/simulators/headoni/data.js';
import { hostUpSampleTickets, hostUpTicketId, hostUpTicketNumber } from '../../src/simulators/hostup/data.js';
import { startGateway, startSimulators, fleetConfig, type GatewayProcess, type SimulatorFleet } from '../helpers/processes.js';
import { deletePrefix, inspector, randomPrefix, SHARED_REDIS_URL, startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

let fleet: SimulatorFleet;
let running: GatewayProcess[] = [];
const prefixes: string[] = [];
const servers: PrivateRedis[] = [];

beforeAll(async () => {
  fleet = await startSimulators();
}, 30_000);
afterEach(async () => {
  await Promise.all(running.map((gateway) => gateway.process.stop()));
  running = [];
  for (const server of servers.splice(0)) await server.kill();
  await fleet.reset();
});
afterAll(async () => {
  await fleet.process.stop();
  const raw = inspector();
  for (const prefix of prefixes) await deletePrefix(raw, prefix);
  raw.disconnect();
});

/** Three replicas sharing one prefix; `hostup` adds to HostUp's settings. */
async function replicas(
  options: { url?: string; hostup?: Record<string, unknown>; headoni?: Record<string, unknown>; count?: number } = {},
): Promise<GatewayProcess[]> {
  const keyPrefix = randomPrefix();
  prefixes.push(keyPrefix);
  // A command's deadline is measured on the gateway's event loop: on this shared 2-core machine a
  // busy loop can hold a reply past 100 ms, so the tests give Redis 1 s (the default stays 100 ms).
  const redis = { url: options.url ?? SHARED_REDIS_URL, keyPrefix, replicas: 3, commandTimeoutMs: 1000 };
  const config = fleetConfig(fleet, { redis });
  const providers = config['providers'] as Record<string, Record<string, unknown>>;
  providers['hostup'] = { ...providers['hostup'], ...options.hostup };
  providers['headoni'] = { ...providers['headoni'], ...options.headoni };
  // One after the other: three start-ups at once on a busy 2-core machine can take 20 s each.
  const started: GatewayProcess[] = [];
  for (let i = 0; i < (options.count ?? 3); i += 1) {
    const gateway = await startGateway(config);
    running.push(gateway);
    started.push(gateway);
  }
  return started;
}

interface Read {
  status: number;
  cacheStatus?: string;
  subject?: string;
  code?: string;
  retryAfterSeconds?: number;
}

const TICKET = 'query($provider: Provider!, $ref: String!) { ticket(provider: $provider, ref: $ref) { subject cacheStatus } }';

async function read(gateway: GatewayProcess, provider: Provider, ref: string): Promise<Read> {
  const { status, text } = await gateway.raw(JSON.stringify({ query: TICKET, variables: { provider, ref } }));
  const body = JSON.parse(text) as {
    data?: { ticket: { subject: string; cacheStatus: string } | null };
    errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[];
  };
  const ticket = body.data?.ticket;
  const error = body.errors?.[0]?.extensions;
  return {
    status,
    ...(ticket ? { cacheStatus: ticket.cacheStatus, subject: ticket.subject } : {}),
    ...(error ? { code: error.code, retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

const requests = async (provider: Provider) => (await fleet.stats(provider)).requests;

async function metricsOf(gateway: GatewayProcess): Promise<string> {
  return (await request(`${gateway.origin}/metrics`)).body.text();
}

async function sharedStateOf(gateway: GatewayProcess): Promise<Record<string, unknown>> {
  const { text } = await gateway.raw(JSON.stringify({ query: '{ providers { provider sharedState { mode lastError } } }' }));
  const providers = (JSON.parse(text) as { data: { providers: { provider: string; sharedState: Record<string, unknown> }[] } }).data.providers;
  return providers.find((info) => info.provider === 'HOSTUP')!.sharedState;
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('replicas sharing one Redis', () => {
  it('answers 300 concurrent identical reads over 3 replicas with exactly 1 vendor request, then HIT everywhere', async () => {
    const gateways = await replicas();
    await fleet.controls('HOSTUP', { latencyMs: 300 });
    const ref = hostUpTicketId(2);
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => read(gateways[i % 3]!, 'HOSTUP', ref)));
    const logs = gateways.map((gateway) => gateway.process.stderr.filter((line) => !line.includes('no auth.keys')).join('\n'));
    expect(logs).toEqual(['', '', '']);
    expect(await requests('HOSTUP')).toBe(1);
    expect(answers.filter((answer) => answer.code !== undefined)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.subject)).size).toBe(1);

    await fleet.controls('HOSTUP', { latencyMs: 0 });
    const other = hostUpTicketId(3);
    expect(await read(gateways[0]!, 'HOSTUP', other)).toMatchObject({ cacheStatus: 'MISS' });
    expect(await read(gateways[1]!, 'HOSTUP', other)).toMatchObject({ cacheStatus: 'HIT' });
    expect(await read(gateways[2]!, 'HOSTUP', other)).toMatchObject({ cacheStatus: 'HIT' });
    expect(await requests('HOSTUP')).toBe(2);
  }, 90_000);

  it('finds a ticket read by id on A by its number on B (HostUp and Headoni)', async () => {
    const [a, b] = await replicas({ count: 2 });
    expect(await read(a!, 'HOSTUP', hostUpTicketId(1))).toMatchObject({ cacheStatus: 'MISS' });
    expect(await read(b!, 'HOSTUP', hostUpTicketNumber(1))).toMatchObject({ cacheStatus: 'HIT' });
    expect(await requests('HOSTUP')).toBe(1);

    expect(await read(a!, 'HEADONI', headoniTicketId(1))).toMatchObject({ cacheStatus: 'MISS' });
    expect(await read(b!, 'HEADONI', '1241')).toMatchObject({ cacheStatus: 'HIT' });
    expect(await requests('HEADONI')).toBe(1);
  }, 90_000);

  it('spends one HostUp budget of 2/s, burst 2, across 3 replicas: 30 distinct reads in 3 s make at most 2·3 + 2 + 1 requests', async () => {
    // queueTimeoutMs 0: a read finds a token at once or is RATE_LIMITED, so every vendor call
    // falls inside the time the reads are sent over (none waits for a token past it).
    const gateways = await replicas({ hostup: { requestsPerSecond: 2, burst: 2, queueTimeoutMs: 0 } });
    await fleet.controls('HOSTUP', { synthesize: true });
    const started = Date.now();
    const reads: Promise<Read>[] = [];
    for (let i = 0; i < 30; i += 1) {
      reads.push(read(gateways[i % 3]!, 'HOSTUP', String(700_000 + i)));
      await pause(100);
    }
    const answers = await Promise.all(reads);
    const windowSeconds = (Date.now() - started) / 1000;
    expect(windowSeconds).toBeLessThan(6);
    const seen = await requests('HOSTUP');
    // One bucket for all three: burst + rate × the window (+1 at its edge), never 3 × that.
    expect(seen).toBeLessThanOrEqual(Math.floor(2 * windowSeconds) + 2 + 1);
    expect(seen).toBeGreaterThanOrEqual(2 * 3);
    // Every read either got its ticket or was told to come back later; none failed otherwise.
    expect(answers.filter((answer) => answer.code !== undefined && answer.code !== 'RATE_LIMITED')).toEqual([]);
    expect(answers.filter((answer) => answer.cacheStatus === 'MISS')).toHaveLength(seen);
  }, 90_000);

  it('pauses B and C after A was answered 429 with Retry-After: 3, then resumes', async () => {
    const [a, b, c] = await replicas();
    await fleet.controls('HOSTUP', { failStatus: 429, failCount: 1, retryAfterSeconds: 3 });
    // The pause starts when A hears the 429: after `before`, and before `after`.
    const before = Date.now();
    expect(await read(a!, 'HOSTUP', hostUpTicketId(0))).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 3 });
    const after = Date.now();
    expect(await requests('HOSTUP')).toBe(1);

    let asked = 0;
    while (Date.now() - before < 2900) {
      asked += 1;
      const answer = await read([b, c][asked % 2]!, 'HOSTUP', hostUpTicketId(asked % 5));
      expect(answer).toMatchObject({ code: 'RATE_LIMITED' });
      await pause(100);
    }
    // At least one read while the pause runs (a busy machine may leave room for few).
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(await requests('HOSTUP')).toBe(1);

    await pause(Math.max(0, after + 3100 - Date.now()));
    expect(await read(b!, 'HOSTUP', hostUpTicketId(1))).toMatchObject({ cacheStatus: 'MISS' });
    expect(await read(c!, 'HOSTUP', hostUpTicketId(2))).toMatchObject({ cacheStatus: 'MISS' });
    expect(await requests('HOSTUP')).toBe(3);
  }, 90_000);

  it('refreshTicket on A reads the vendor once more, and B and C see the new copy at once', async () => {
    const [a, b, c] = await replicas();
    const ticket = hostUpSampleTickets()[7]!;
    expect(await read(a!, 'HOSTUP', ticket.id)).toMatchObject({ cacheStatus: 'MISS', subject: ticket.subject });
    expect(await read(b!, 'HOSTUP', ticket.id)).toMatchObject({ cacheStatus: 'HIT', subject: ticket.subject });
    expect(await read(c!, 'HOSTUP', ticket.number!)).toMatchObject({ cacheStatus: 'HIT', subject: ticket.subject });

    await fleet.addTickets('HOSTUP', [{ ...ticket, subject: 'Renamed after the customer called' }]);
    const mutation = 'mutation($ref: String!) { refreshTicket(provider: HOSTUP, ref: $ref) { subject cacheStatus } }';
    const { text } = await a!.raw(JSON.stringify({ query: mutation, variables: { ref: ticket.id } }));
    expect(JSON.parse(text)).toEqual({ data: { refreshTicket: { subject: 'Renamed after the customer called', cacheStatus: 'MISS' } } });
    expect(await requests('HOSTUP')).toBe(2);

    // B and C held a fresh local copy: the change notice dropped it, so they read Redis's new one.
    const seen = async () => [await read(b!, 'HOSTUP', ticket.id), await read(c!, 'HOSTUP', ticket.number!)];
    const deadline = Date.now() + 2000;
    while ((await seen()).some((answer) => answer.subject !== 'Renamed after the customer called') && Date.now() < deadline) await pause(20);
    expect(await seen()).toEqual([
      { status: 200, cacheStatus: 'HIT', subject: 'Renamed after the customer called' },
      { status: 200, cacheStatus: 'HIT', subject: 'Renamed after the customer called' },
    ]);
    expect(await requests('HOSTUP')).toBe(2);
  }, 90_000);

  it('answers within timeoutMs + 1 s on B when A dies holding the only in-flight call', async () => {
    const timeoutMs = 3000;
    const [a, b] = await replicas({ count: 2, hostup: { timeoutMs } });
    await fleet.controls('HOSTUP', { latencyMs: 500 });
    const ref = hostUpTicketId(4);
    const orphaned = read(a!, 'HOSTUP', ref).catch(() => undefined);
    // A holds the lease and its call is at the vendor before B asks.
    const inFlightBy = Date.now() + 10_000;
    while ((await fleet.stats('HOSTUP')).inFlight === 0 && Date.now() < inFlightBy) await pause(10);
    expect(await fleet.stats('HOSTUP')).toMatchObject({ requests: 1, inFlight: 1 });
    const started = Date.now();
    const waiting = read(b!, 'HOSTUP', ref);
    await pause(50);
    a!.process.child.kill('SIGKILL');
    await orphaned;
    const answer = await waiting;
    expect(Date.now() - started).toBeLessThan(timeoutMs + 1000);
    expect(answer).toMatchObject({ cacheStatus: 'MISS', subject: expect.any(String) });
    expect(await requests('HOSTUP')).toBe(2);
  }, 90_000);

  it('keeps the Redis password and encryption key out of every log, answer and metric, and Redis holds no readable ticket', async () => {
    const password = 'redis-pass-9f2c7e1b';
    const encryptionKey = Buffer.alloc(32, 0x5a).toString('base64');
    const server = await startPrivateRedis({ password });
    servers.push(server);
    const keyPrefix = randomPrefix();
    const config = fleetConfig(fleet, {
      redis: { url: `redis://:\${REDIS_PASSWORD}@127.0.0.1:${server.port}`, keyPrefix, encryptionKey: '\${REDIS_CACHE_KEY}', commandTimeoutMs: 1000 },
    });
    const gateway = await startGateway(config, { LOG_LEVEL: 'trace', REDIS_PASSWORD: password, REDIS_CACHE_KEY: encryptionKey });
    running.push(gateway);
    const ticket = hostUpSampleTickets()[3]!;
    const answers = [
      await read(gateway, 'HOSTUP', ticket.id),
      await read(gateway, 'HOSTUP', ticket.number!),
    ];
    expect(answers.map((answer) => answer.cacheStatus)).toEqual(['MISS', 'HIT']);

    const dump = inspector(server.url);
    const keys = (await dump.keys(`${keyPrefix}*`)).sort();
    expect(keys).toEqual(
      [
        `${keyPrefix}a:HOSTUP:${ticket.id}`,
        `${keyPrefix}a:HOSTUP:${ticket.number}`,
        `${keyPrefix}b:HOSTUP`,
        `${keyPrefix}d:HOSTUP:${ticket.id}`,
        `${keyPrefix}t:HOSTUP:${ticket.id}`,
      ].sort(),
    );
    const stored = (await dump.get(`${keyPrefix}t:HOSTUP:${ticket.id}`))!;
    expect(stored).toMatch(/^\d+\|e1\./);
    expect(stored).not.toContain(ticket.subject);
    expect(stored).not.toContain(ticket.requesterName);
    dump.disconnect();

    await server.kill();
    answers.push(await read(gateway, 'HOSTUP', ticket.id), await read(gateway, 'HOSTUP', hostUpTicketId(9)));
    expect(answers.slice(2).map((answer) => answer.cacheStatus)).toEqual(['HIT', 'MISS']);
    const state = await gateway.raw(JSON.stringify({ query: '{ providers { sharedState { mode since lastError } } }' }));
    const everything = [
      gateway.process.stdout.join('\n'),
      gateway.process.stderr.join('\n'),
      state.text,
      await metricsOf(gateway),
      JSON.stringify(answers),
    ].join('\n');
    expect(everything).toContain('DEGRADED');
    for (const secret of [password, encryptionKey]) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)]) {
        expect(everything.includes(form), `a secret leaked (${secret.slice(0, 6)}…)`).toBe(false);
      }
    }
  }, 90_000);

  it('keeps serving when Redis dies mid-load, and shares again once it is back', async () => {
    const server = await startPrivateRedis();
    servers.push(server);
    const gateways = await replicas({ url: server.url });
    const [a, b, c] = gateways as [GatewayProcess, GatewayProcess, GatewayProcess];
    expect(await read(a, 'HOSTUP', hostUpTicketId(0))).toMatchObject({ cacheStatus: 'MISS' });
    expect(await read(b, 'HOSTUP', hostUpTicketId(0))).toMatchObject({ cacheStatus: 'HIT' });
    expect(await read(c, 'HOSTUP', hostUpTicketId(0))).toMatchObject({ cacheStatus: 'HIT' });

    let stop = false;
    const answers: Read[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i += 1) {
        answers.push(await read(gateways[i % 3]!, 'HOSTUP', hostUpTicketId(0)));
        await pause(10);
      }
    })();
    await pause(300);
    await server.kill();
    await pause(700);
    // Cut off from each other, each replica reads an uncached ticket under its own small budget.
    const uncached = await read(c, 'HOSTUP', hostUpTicketId(5));
    stop = true;
    await load;

    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((answer) => answer.code !== undefined || answer.status !== 200)).toEqual([]);
    expect(answers.every((answer) => answer.cacheStatus === 'HIT')).toBe(true);
    expect(uncached).toMatchObject({ cacheStatus: 'MISS' });
    for (const gateway of gateways) expect(gateway.process.child.exitCode).toBeNull();
    expect(await requests('HOSTUP')).toBe(2);
    const text = await metricsOf(c);
    expect(text).toContain('deskgraph_shared_state{mode="DEGRADED"} 1');
    expect(text).toMatch(/deskgraph_store_errors_total\{store="(cache|budget|flight)",code="STORE_UNAVAILABLE"\} [1-9]/);
    expect(await sharedStateOf(c)).toMatchObject({ mode: 'DEGRADED', lastError: expect.stringMatching(/^Redis /) });
    for (const gateway of gateways) {
      expect(gateway.process.stderr.filter((line) => line.includes('Redis is unreachable'))).toHaveLength(1);
      expect(gateway.process.stderr.join('\n')).not.toContain('INTERNAL_SERVER_ERROR');
    }

    await server.restart();
    const backBy = Date.now() + 5000;
    const modes = async () => Promise.all(gateways.map(async (gateway) => (await sharedStateOf(gateway))['mode']));
    while ((await modes()).some((mode) => mode !== 'SHARED') && Date.now() < backBy) await pause(100);
    expect(await modes()).toEqual(['SHARED', 'SHARED', 'SHARED']);
    expect(await metricsOf(c)).toContain('deskgraph_shared_state{mode="SHARED"} 1');
    expect(await read(b, 'HOSTUP', hostUpTicketId(6))).toMatchObject({ cacheStatus: 'MISS' });
    expect(await read(a, 'HOSTUP', hostUpTicketId(6))).toMatchObject({ cacheStatus: 'HIT' });
    expect(await read(c, 'HOSTUP', hostUpTicketId(6))).toMatchObject({ cacheStatus: 'HIT' });
    expect(await requests('HOSTUP')).toBe(3);
  }, 90_000);
});
