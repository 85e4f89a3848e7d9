/**
 * Reading a vendor's rate-limit signals, as pure functions of the headers and the clock.
 *
 * `X-RateLimit-Limit` / `-Remaining` (and `RateLimit-*`, `X-Rate-Limit-*`, the combined
 * `RateLimit` field) are found by ratelimit-header-parser. The pauses a vendor asks for are read
 * here, against the `now` passed in: `Retry-After` is seconds or an HTTP date (RFC 9110
 * §10.2.3), which the library would read as an epoch; `X-RateLimit-Reset` is seconds from now,
 * an epoch in seconds (above 1e9, as the library tells them apart) or in milliseconds (above
 * 1e12), or an ISO / HTTP date.
 *
 * A vendor's figures are hostile like the rest of its answer. Every pause is cut to
 * `maxCooldownMs` (the provider's `maxCooldownSeconds`), so `Retry-After: 999999999` or a reset
 * in year 9999 cannot switch a provider off for years; a value that is negative, unreadable or
 * too long is reported through `onProblem` (the gateway logs it once) and a negative or
 * unreadable one is ignored. Every figure returned is representable: deadlines are finite epoch
 * ms, budgets whole numbers within GraphQL's Int.
 */
import { parseRateLimit } from 'ratelimit-header-parser';

/** A vendor answer's headers, lower-case names, one value each (not the fetch `Headers` class). */
export type VendorHeaders = Record<string, string | undefined>;

/** The default `maxCooldownSeconds` (CONTRACT §4), in ms. */
export const DEFAULT_MAX_COOLDOWN_MS = 3600 * 1000;
/**
 * The longest `maxCooldownSeconds` the configuration accepts, in ms: what a connector cuts a
 * 429's wait to before its provider's gate cuts it to the provider's own setting.
 */
export const MAX_COOLDOWN_CEILING_MS = 86_400 * 1000;
/** GraphQL's Int, which `providers { rateLimit { … } }` exposes budgets as. */
const MAX_INT = 2 ** 31 - 1;
/** What a problem report quotes of the value: enough to recognise it, never a whole header. */
const QUOTED_CHARS = 40;

export interface HeaderProblem {
  /** The header's name, lower-case. */
  header: string;
  /** `too long`: cut to the longest pause; `negative`, `unreadable`: ignored. */
  reason: 'negative' | 'unreadable' | 'too long' | 'out of range';
  /** The value as sent, cut to 40 characters. */
  value: string;
}

export interface PauseOptions {
  /** The longest pause honoured, in ms. @default DEFAULT_MAX_COOLDOWN_MS (one hour) */
  maxCooldownMs?: number | undefined;
  /** Told of each nonsense value. @default none */
  onProblem?: ((problem: HeaderProblem) => void) | undefined;
}

export interface RateLimitSnapshot {
  limit: number | null;
  remaining: number | null;
  /** Epoch milliseconds when the window resets, when the vendor says (at most the longest pause ahead). */
  resetAt: number | null;
}

function report(options: PauseOptions, header: string, reason: HeaderProblem['reason'], value: string): void {
  options.onProblem?.({ header, reason, value: value.slice(0, QUOTED_CHARS) });
}

/** `deadline`, cut to the longest pause from `now` (and reported when it had to be). */
function clamp(deadline: number, now: number, options: PauseOptions, header: string, raw: string): number {
  const latest = now + (options.maxCooldownMs ?? DEFAULT_MAX_COOLDOWN_MS);
  if (deadline <= latest) return deadline;
  report(options, header, 'too long', raw);
  return latest;
}

/** `Retry-After` as an absolute epoch-ms deadline, or undefined when absent or unreadable. */
export function retryAfterDeadline(headers: VendorHeaders, now = Date.now(), options: PauseOptions = {}): number | undefined {
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return clamp(now + Number(raw) * 1000, now, options, 'retry-after', raw);
  if (/^-\d+$/.test(raw)) {
    report(options, 'retry-after', 'negative', raw);
    return undefined;
  }
  // HostUp's "ISO timestamp when the active window resets" may come without T or zone letters
  // (https://developer.hostup.se/errors/rate_limited): read "2026-04-27 12:34:56" as ISO, UTC.
  const isoWithoutLetters = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.test(raw);
  const date = isoWithoutLetters ? Date.parse(`${raw.replace(' ', 'T')}${raw.includes(' ') ? 'Z' : ''}`) : /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(date)) {
    report(options, 'retry-after', 'unreadable', raw);
    return undefined;
  }
  return clamp(Math.max(now, date), now, options, 'retry-after', raw);
}

/** The reset a `*-Reset` value names, as epoch ms (not yet clamped), or undefined. */
function resetInstant(raw: string, now: number, options: PauseOptions, header: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const value = Number(raw);
    if (value > 1e12) return value;
    if (value > 1e9) return value * 1000;
    return now + value * 1000;
  }
  if (/^-\d+(\.\d+)?$/.test(raw)) {
    report(options, header, 'negative', raw);
    return undefined;
  }
  // HostUp's "ISO timestamp when the active window resets" may come without T or zone letters
  // (https://developer.hostup.se/errors/rate_limited): read "2026-04-27 12:34:56" as ISO, UTC.
  const isoWithoutLetters = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.test(raw);
  const date = isoWithoutLetters ? Date.parse(`${raw.replace(' ', 'T')}${raw.includes(' ') ? 'Z' : ''}`) : /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(date)) {
    report(options, header, 'unreadable', raw);
    return undefined;
  }
  return date;
}

/** A budget figure as GraphQL's Int can carry it, or null (reported) when it cannot be one. */
function budgetFigure(value: number, options: PauseOptions, header: string, raw: string | undefined): number | null {
  if (Number.isInteger(value) && value >= 0 && value <= MAX_INT) return value;
  if (raw !== undefined && raw.trim() !== '') report(options, header, value < 0 ? 'negative' : Number.isNaN(value) ? 'unreadable' : 'out of range', raw);
  return null;
}

const PREFIXES = ['ratelimit-', 'x-ratelimit-', 'x-rate-limit-'] as const;

/** The vendor's rate-limit state, or undefined when it sends none. */
export function rateLimitSnapshot(headers: VendorHeaders, now = Date.now(), options: PauseOptions = {}): RateLimitSnapshot | undefined {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  const combined = defined['ratelimit'];
  const prefix = combined === undefined ? PREFIXES.find((candidate) => `${candidate}remaining` in defined) : undefined;
  if (combined === undefined && prefix === undefined) return undefined;
  const parsed = parseRateLimit(defined);
  if (!parsed) return undefined;

  const names = prefix === undefined ? { limit: 'ratelimit', remaining: 'ratelimit', reset: 'ratelimit' } : {
    limit: `${prefix}limit`,
    remaining: `${prefix}remaining`,
    reset: `${prefix}reset`,
  };
  let resetAt: number | undefined;
  let resetRaw: string | undefined;
  if (combined !== undefined) {
    resetRaw = /reset\s*=\s*(\d+)/i.exec(combined)?.[1];
    if (resetRaw !== undefined) resetAt = now + Number(resetRaw) * 1000;
  } else {
    resetRaw = defined[names.reset]?.trim();
    if (resetRaw) resetAt = resetInstant(resetRaw, now, options, names.reset);
  }
  return {
    limit: budgetFigure(parsed.limit, options, names.limit, defined[names.limit]),
    remaining: budgetFigure(parsed.remaining, options, names.remaining, defined[names.remaining]),
    resetAt: resetAt === undefined ? null : clamp(resetAt, now, options, names.reset, resetRaw ?? ''),
  };
}

/**
 * When the vendor must not be asked again before: a 429's `Retry-After` (else its reset, else
 * one second), or a spent budget (`Remaining: 0`) until its reset; never further ahead than the
 * longest pause. Undefined when the vendor asks for no pause.
 */
export function cooldownDeadline(status: number, headers: VendorHeaders, now = Date.now(), options: PauseOptions = {}): number | undefined {
  const retryAfter = retryAfterDeadline(headers, now, options);
  const snapshot = rateLimitSnapshot(headers, now, options);
  if (status === 429) return retryAfter ?? snapshot?.resetAt ?? now + 1000;
  if (snapshot?.remaining === 0 && snapshot.resetAt !== null && snapshot.resetAt > now) return snapshot.resetAt;
  return undefined;
}

/** Whole seconds until the vendor accepts requests again, for `extensions.retryAfterSeconds`. */
export function retryAfterSeconds(headers: VendorHeaders, now = Date.now(), options: PauseOptions = {}): number | undefined {
  const deadline = cooldownDeadline(429, headers, now, options);
  return deadline === undefined ? undefined : wholeSecondsUntil(deadline, now);
}

/** Whole seconds, at least 1, until `deadline` (epoch ms): what `Retry-After` and `retryAfterSeconds` carry. */
export function wholeSecondsUntil(deadline: number, now: number): number {
  return Math.min(MAX_INT, Math.max(1, Math.ceil((deadline - now) / 1000)));
}
