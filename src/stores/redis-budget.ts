/**
 * One vendor budget for every replica: per provider, one token bucket and one cooldown in Redis.
 *
 * Why two small Lua scripts rather than rate-limiter-flexible: a vendor call must be admitted in
 * ONE atomic step that checks the cooldown (a 429 or `X-RateLimit-Remaining: 0` seen by any
 * replica) and then takes a token. rate-limiter-flexible's Redis limiters are fixed or sliding
 * windows of points with their own block list: a cooldown check plus a take is two round trips
 * and a race between them, and none of them refills continuously with a `burst` ceiling. The
 * `ADMIT` script does both in one round trip, on Redis's clock (`TIME`), so replicas whose clocks
 * disagree still share one bucket. `PAUSE` sets a cooldown that never shortens a longer one.
 *
 * Keys: `b:<PROVIDER>` (hash: tokens, at; expires once a full bucket would have refilled) and
 * `c:<PROVIDER>` (present while the cooldown runs, PX = its length).
 *
 * Redis failing rejects with a `StoreError` at once (or after `redis.commandTimeoutMs`): the
 * budget policy then admits the call under this replica's conservative local share of the rule
 * (`redis.replicas`, see `localShare`) and keeps any pause it saw itself.
 */
import type { Redis } from 'ioredis';
import type { Provider } from '../domain/provider.js';
import type { RedisConnection } from './redis-connection.js';
import type { Admission, BudgetPeek, BudgetRule, BudgetStore } from './types.js';

/**
 * What one replica may spend alone while Redis is unreachable: `requestsPerSecond / replicas`
 * and `burst / replicas` (at least 1), so the replicas cut off from each other together stay
 * within the budget one would spend.
 */
export function localShare(rule: BudgetRule, replicas: number): BudgetRule {
  const count = Math.max(1, Math.floor(replicas));
  return { ratePerSecond: rule.ratePerSecond / count, burst: Math.max(1, Math.floor(rule.burst / count)) };
}

/** KEYS: cooldown, bucket; ARGV: rate per second, burst. → {1} | {0, reason, retryAfterMs} */
const ADMIT = `
local cooldown = redis.call('PTTL', KEYS[1])
if cooldown > 0 then return {0, 'cooldown', cooldown} end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[2], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = burst; at = now end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
redis.call('HSET', KEYS[2], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[2], math.ceil(burst / rate * 1000) + 1000)
if wait == 0 then return {1} end
return {0, 'tokens', wait}
`;

/** KEYS: cooldown, bucket; ARGV: rate, burst. → {cooldownMs, tokens as text} (nothing written) */
const PEEK = `
local cooldown = math.max(0, redis.call('PTTL', KEYS[1]))
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[2], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then return {cooldown, tostring(burst)} end
return {cooldown, tostring(math.min(burst, tokens + math.max(0, now - at) * rate / 1000))}
`;

/** KEYS: cooldown; ARGV: ms. Extends, never shortens. */
const PAUSE = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1
`;

type AdmitReply = [1] | [0, 'cooldown' | 'tokens', number];

interface ScriptedRedis extends Redis {
  deskgraphAdmit(cooldown: string, bucket: string, rate: string, burst: string): Promise<AdmitReply>;
  deskgraphPeek(cooldown: string, bucket: string, rate: string, burst: string): Promise<[number, string]>;
  deskgraphPause(cooldown: string, ms: string): Promise<number>;
}

export class RedisBudgetStore implements BudgetStore {
  private readonly connection: RedisConnection;

  constructor(connection: RedisConnection) {
    this.connection = connection;
    const client = connection.client;
    client.defineCommand('deskgraphAdmit', { numberOfKeys: 2, lua: ADMIT });
    client.defineCommand('deskgraphPeek', { numberOfKeys: 2, lua: PEEK });
    client.defineCommand('deskgraphPause', { numberOfKeys: 1, lua: PAUSE });
  }

  async admit(provider: Provider, rule: BudgetRule): Promise<Admission> {
    const reply = await this.connection.run('budget', (redis) =>
      (redis as ScriptedRedis).deskgraphAdmit(this.cooldownKey(provider), this.bucketKey(provider), String(rule.ratePerSecond), String(rule.burst)),
    );
    if (reply[0] === 1) return { admitted: true };
    return { admitted: false, reason: reply[1], retryAfterMs: Math.max(1, reply[2]) };
  }

  async pause(provider: Provider, ms: number): Promise<void> {
    const whole = Math.ceil(ms);
    if (!(whole > 0)) return;
    await this.connection.run('budget', (redis) => (redis as ScriptedRedis).deskgraphPause(this.cooldownKey(provider), String(whole)));
  }

  async peek(provider: Provider, rule: BudgetRule): Promise<BudgetPeek> {
    const [cooldownMs, tokens] = await this.connection.run('budget', (redis) =>
      (redis as ScriptedRedis).deskgraphPeek(this.cooldownKey(provider), this.bucketKey(provider), String(rule.ratePerSecond), String(rule.burst)),
    );
    return { cooldownMs, tokens: Number(tokens) };
  }

  private cooldownKey(provider: Provider): string {
    return this.connection.key('c', provider);
  }

  private bucketKey(provider: Provider): string {
    return this.connection.key('b', provider);
  }
}
