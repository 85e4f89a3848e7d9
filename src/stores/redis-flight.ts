/**
 * One vendor call per ticket across every replica. The leader holds a lease,
 * `SET f:<key> <token> NX PX ttlMs` (ttl bounded by the provider's `timeoutMs`), so a leader
 * that dies is replaced when its lease lapses. Releasing deletes the lease (only if it is still
 * ours), leaves a short `d:<key>` note of the outcome and publishes it on the `fill` channel,
 * all in one script.
 *
 * Waiters hear the fill on the subscriber connection; because a message can be missed (it was
 * sent before the waiter arrived, or the subscriber is reconnecting), each key also has one poll
 * per replica, however many reads wait on it, backing off from 20 ms to 250 ms: it finds the
 * outcome note, or notices the lease is gone ('expired': the leader died or failed).
 *
 * Redis failing: `lead` and `release` reject with a `StoreError` (the service then leads
 * locally: its in-process single flight still merges identical reads), and waiters stop
 * waiting ('expired'), the failure reported as absorbed.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisConnection } from './redis-connection.js';
import { StoreError, type FlightCoordinator, type Lease } from './types.js';

/**
 * KEYS: lease, outcome note; ARGV: token, ms. → 1 when granted. While a lease exists its flight
 * has not ended, so any outcome note is an older flight's and is dropped either way.
 */
const LEAD = `
local granted = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
redis.call('DEL', KEYS[2])
if granted then return 1 end
return 0
`;

/** KEYS: lease, outcome note; ARGV: token, outcome, note ms, channel, message. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;

/** How long the outcome note outlives the lease, for waiters that missed the message. */
const NOTE_MS = 5000;
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;
/** Longest key accepted from a fill message (keys are provider + ref: far shorter). */
const MAX_KEY_CHARS = 512;

type Outcome = 'filled' | 'expired';

interface ScriptedRedis extends Redis {
  deskgraphLead(lease: string, note: string, token: string, ms: string): Promise<number>;
  deskgraphRelease(lease: string, note: string, token: string, outcome: string, noteMs: string, channel: string, message: string): Promise<number>;
}

interface Waiting {
  waiters: Set<(outcome: Outcome) => void>;
  timer: NodeJS.Timeout | undefined;
  delayMs: number;
}

export class RedisFlightCoordinator implements FlightCoordinator {
  private readonly connection: RedisConnection;
  private readonly channel: string;
  private readonly waiting = new Map<string, Waiting>();
  private readonly onMessage: (channel: string, message: string) => void;

  constructor(connection: RedisConnection) {
    this.connection = connection;
    this.channel = connection.key('fill');
    connection.client.defineCommand('deskgraphLead', { numberOfKeys: 2, lua: LEAD });
    connection.client.defineCommand('deskgraphRelease', { numberOfKeys: 2, lua: RELEASE });
    this.onMessage = (channel, message) => {
      if (channel !== this.channel || message.length > MAX_KEY_CHARS + 8) return;
      const space = message.indexOf(' ');
      if (space <= 0) return;
      const outcome = message.slice(0, space) === 'filled' ? 'filled' : 'expired';
      this.settle(message.slice(space + 1), outcome);
    };
    connection.subscriber.on('message', this.onMessage);
    connection.subscriber.subscribe(this.channel).catch(() => undefined);
  }

  async lead(key: string, ttlMs: number): Promise<Lease | undefined> {
    const ms = Math.max(1, Math.ceil(ttlMs));
    const token = randomBytes(12).toString('base64url');
    const granted = await this.connection.run('flight', (redis) =>
      (redis as ScriptedRedis).deskgraphLead(this.leaseKey(key), this.noteKey(key), token, String(ms)),
    );
    if (granted !== 1) return undefined;
    return {
      // A release that fails leaves the lease to lapse: waiters then stop waiting by themselves.
      release: async (outcome) => {
        await this.connection.run('flight', (redis) =>
          (redis as ScriptedRedis).deskgraphRelease(
            this.leaseKey(key),
            this.noteKey(key),
            token,
            outcome,
            String(NOTE_MS),
            this.channel,
            `${outcome} ${key}`,
          ),
        );
      },
    };
  }

  awaitFill(key: string, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    if (signal?.aborted || timeoutMs <= 0) return Promise.resolve('expired');
    return new Promise<Outcome>((resolve) => {
      let entry = this.waiting.get(key);
      if (!entry) {
        entry = { waiters: new Set(), timer: undefined, delayMs: FIRST_POLL_MS };
        this.waiting.set(key, entry);
        this.schedulePoll(key, entry);
      }
      const waiters = entry.waiters;
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(done);
        resolve(outcome);
      };
      const onAbort = () => {
        done('expired');
        this.dropIfIdle(key);
      };
      const timer = setTimeout(onAbort, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(done);
    });
  }

  close(): void {
    this.connection.subscriber.off('message', this.onMessage);
    for (const key of [...this.waiting.keys()]) this.settle(key, 'expired');
  }

  private schedulePoll(key: string, entry: Waiting): void {
    entry.timer = setTimeout(() => void this.poll(key, entry), entry.delayMs);
    entry.timer.unref();
  }

  private async poll(key: string, entry: Waiting): Promise<void> {
    if (this.waiting.get(key) !== entry) return;
    let outcome: Outcome | undefined;
    try {
      const [lease, note] = await this.connection.run('flight', (redis) => redis.mget(this.leaseKey(key), this.noteKey(key)));
      if (note === 'filled') outcome = 'filled';
      else if (lease === null) outcome = 'expired';
    } catch (error) {
      if (error instanceof StoreError) this.connection.absorbed(error);
      outcome = 'expired';
    }
    if (outcome) return this.settle(key, outcome);
    if (this.waiting.get(key) !== entry) return;
    entry.delayMs = Math.min(entry.delayMs * 2, MAX_POLL_MS);
    this.schedulePoll(key, entry);
  }

  private settle(key: string, outcome: Outcome): void {
    const entry = this.waiting.get(key);
    if (!entry) return;
    this.waiting.delete(key);
    clearTimeout(entry.timer);
    for (const waiter of [...entry.waiters]) waiter(outcome);
  }

  private dropIfIdle(key: string): void {
    const entry = this.waiting.get(key);
    if (entry && entry.waiters.size === 0) {
      this.waiting.delete(key);
      clearTimeout(entry.timer);
    }
  }

  private leaseKey(key: string): string {
    return this.connection.key('f', key);
  }

  private noteKey(key: string): string {
    return this.connection.key('d', key);
  }
}
