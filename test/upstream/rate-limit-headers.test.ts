import { describe, expect, it } from 'vitest';
import { cooldownDeadline, rateLimitSnapshot, retryAfterSeconds } from '../../src/upstream/rate-limit-headers.js';

const NOW = Date.parse('2026-04-27T12:00:00.000Z');

describe('X-RateLimit-Reset in each form a vendor sends it', () => {
  it.each([
    // HostUp: "ISO timestamp when the active window resets" (developer.hostup.se/errors/rate_limited).
    ['an ISO timestamp (HostUp)', '2026-04-27T12:00:42.000Z', NOW + 42_000],
    ['an ISO timestamp with an offset', '2026-04-27T14:00:42+02:00', NOW + 42_000],
    ['an ISO timestamp without T or zone letters', '2026-04-27 12:00:42', Date.parse('2026-04-27T12:00:42')],
    ['epoch seconds', String((NOW + 42_000) / 1000), NOW + 42_000],
  ])('reads %s', (_, reset, resetAt) => {
    const snapshot = rateLimitSnapshot({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
    expect(snapshot).toEqual({ limit: 60, remaining: 0, resetAt });
  });

  it('reads seconds from now (TeamBattles: "Seconds until", not a timestamp)', () => {
    const before = Date.now();
    const snapshot = rateLimitSnapshot({ 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' });
    expect(snapshot!.resetAt).toBeGreaterThanOrEqual(before + 7000);
    expect(snapshot!.resetAt).toBeLessThanOrEqual(Date.now() + 7000);
  });

  it('reads an unreadable ISO-looking Reset as no reset', () => {
    expect(rateLimitSnapshot({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-13-45T99:00:00Z' })?.resetAt).toBeNull();
  });

  it('pauses until an ISO Reset on a spent budget, and counts a 429 without Retry-After from it', () => {
    const headers = { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-04-27T12:00:42.000Z' };
    expect(cooldownDeadline(200, headers, NOW)).toBe(NOW + 42_000);
    expect(retryAfterSeconds(headers, NOW)).toBe(42);
    expect(retryAfterSeconds({ ...headers, 'retry-after': '30' }, NOW)).toBe(30);
  });
});
