/**
 * Reading a vendor's rate-limit signals. `X-RateLimit-*` / `RateLimit-*` headers are parsed by
 * ratelimit-header-parser, which also tells an epoch `Reset` (> 1e9) from seconds-from-now.
 * `Retry-After` is parsed here: it is seconds or an HTTP date (RFC 9110 §10.2.3), and the
 * library would read its seconds as an epoch.
 */
import { parseRateLimit } from 'ratelimit-header-parser';

/** A vendor answer's headers, lower-cased (named apart from the fetch API's global `Headers`). */
export type VendorHeaders = Record<string, string | undefined>;

export interface RateLimitSnapshot {
  limit: number | null;
  remaining: number | null;
  /** Epoch milliseconds when the window resets, when the vendor says. */
  resetAt: number | null;
}

/** `Retry-After` as an absolute epoch-ms deadline, or undefined when absent or unreadable. */
export function retryAfterDeadline(headers: VendorHeaders, now = Date.now()): number | undefined {
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return now + Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(now, date);
}

/** The vendor's `X-RateLimit-*` state, or undefined when it sends none. */
export function rateLimitSnapshot(headers: VendorHeaders): RateLimitSnapshot | undefined {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  if (!('x-ratelimit-remaining' in defined || 'ratelimit-remaining' in defined || 'ratelimit' in defined)) {
    return undefined;
  }
  const parsed = parseRateLimit(defined);
  if (!parsed) return undefined;
  const iso = isoReset(defined);
  const resetAt =
    iso !== undefined ? iso : parsed.reset && !Number.isNaN(parsed.reset.getTime()) ? parsed.reset.getTime() : null;
  return {
    limit: Number.isFinite(parsed.limit) ? parsed.limit : null,
    remaining: Number.isFinite(parsed.remaining) ? parsed.remaining : null,
    resetAt,
  };
}

/**
 * A `Reset` given as an ISO 8601 timestamp, as epoch ms (null when unreadable); undefined when
 * it is not one. HostUp sends "ISO timestamp when the active window resets"
 * (https://developer.hostup.se/errors/rate_limited). The library reads ISO only when it holds a
 * letter (`T`, `Z`): "2026-04-27 12:34:56" would become 2026 seconds from now.
 */
function isoReset(headers: Record<string, string>): number | null | undefined {
  const raw = (headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'])?.trim();
  if (raw === undefined || !/^\d{4}-\d{2}-\d{2}(?:[T ]|$)/.test(raw)) return undefined;
  const time = Date.parse(raw.replace(' ', 'T'));
  return Number.isNaN(time) ? null : time;
}

/**
 * When the vendor must not be asked again before: a 429's `Retry-After` (else its reset), or a
 * spent budget (`Remaining: 0`) until its reset. Undefined when the vendor asks for no pause.
 */
export function cooldownDeadline(status: number, headers: VendorHeaders, now = Date.now()): number | undefined {
  const retryAfter = retryAfterDeadline(headers, now);
  const snapshot = rateLimitSnapshot(headers);
  if (status === 429) return retryAfter ?? snapshot?.resetAt ?? now + 1000;
  if (snapshot?.remaining === 0 && snapshot.resetAt !== null && snapshot.resetAt > now) return snapshot.resetAt;
  return undefined;
}

/** Whole seconds until the vendor accepts requests again, for `extensions.retryAfterSeconds`. */
export function retryAfterSeconds(headers: VendorHeaders, now = Date.now()): number | undefined {
  const deadline = cooldownDeadline(429, headers, now);
  return deadline === undefined ? undefined : wholeSecondsUntil(deadline, now);
}

/** Whole seconds, at least 1, until `deadline` (epoch ms): what `Retry-After` and `retryAfterSeconds` carry. */
export function wholeSecondsUntil(deadline: number, now: number): number {
  return Math.max(1, Math.ceil((deadline - now) / 1000));
}
