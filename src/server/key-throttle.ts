/**
 * Guessing gateway keys (CONTRACT §4 `auth.keys`). Keys are compared in constant time and are
 * long enough that guessing is hopeless, but unanswered guessing still costs a hash per request
 * and a log line each. After `maxFailures` unknown keys from one client address within
 * `windowSeconds`, that address's requests with an unknown key are answered 429 with
 * `Retry-After` until the window ends, and one warning is logged for the window.
 *
 * Valid keys are never held back, not even from a throttled address (a dashboard behind the
 * same NAT as a misconfigured script keeps working); requests with no key at all do not count,
 * as they guess nothing (a browser's cross-site form post carries none).
 *
 * The count is rate-limiter-flexible's fixed-window memory limiter, per process: entries expire
 * with their window, so memory follows the number of addresses failing right now. IPv6 clients
 * are counted per /64, the block one subscriber usually holds.
 */
import { isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../telemetry/logger.js';

export interface KeyThrottleOptions {
  /** Unknown keys one address may present per window. @default 20 */
  maxFailures?: number | undefined;
  /** @default 60 */
  windowSeconds?: number | undefined;
  logger: Logger;
}

export class KeyThrottle {
  private readonly limiter: RateLimiterMemory;
  private readonly maxFailures: number;
  private readonly logger: Logger;

  constructor(options: KeyThrottleOptions) {
    this.maxFailures = options.maxFailures ?? 20;
    this.logger = options.logger;
    this.limiter = new RateLimiterMemory({ points: this.maxFailures, duration: options.windowSeconds ?? 60 });
  }

  /**
   * Counts one unknown key from `address`. Resolves to the whole seconds the address must wait
   * when it is over its failures (answer 429), undefined while it is not (answer 401).
   */
  async failed(address: string | undefined): Promise<number | undefined> {
    const client = clientKey(address);
    try {
      await this.limiter.consume(client);
      return undefined;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      // The first refusal of the window is the one logged.
      if (rejection.consumedPoints === this.maxFailures + 1) {
        this.logger.warn(
          { client, failures: this.maxFailures, retryAfterSeconds },
          'too many unknown gateway keys from one client address: its unknown keys get 429 until the window ends',
        );
      }
      return retryAfterSeconds;
    }
  }
}

/** The address a client is counted by: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
