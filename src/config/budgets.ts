/**
 * Each provider's default request budget (CONTRACT §4): what DeskGraph asks of a vendor when the
 * configuration says nothing. Where the vendor publishes its limit the defaults follow it, so a
 * gateway at its defaults never runs into the vendor's 429s; where it publishes none they are a
 * cautious guess, and the vendor's own rate-limit answers (429, `Retry-After`, `X-RateLimit-*`)
 * still stop DeskGraph at once. Every value names its source.
 */

export interface BudgetDefaults {
  /** Sustained requests per second (token bucket refill). */
  requestsPerSecond: number;
  /** Requests allowed at once above the sustained rate (token bucket size). */
  burst: number;
  /** Requests in flight at once. */
  maxConcurrency: number;
}

/** For a vendor that publishes no limit: 10/s sustained, 20 at once, 8 in flight. */
export const UNPUBLISHED_BUDGET: BudgetDefaults = { requestsPerSecond: 10, burst: 20, maxConcurrency: 8 };

/**
 * Headoni publishes no rate limit: its API overview (https://docs.headoni.com/docs/api/overview,
 * https://docs.headoni.com/llms/api/overview) lists authentication, scopes, ids and errors, and no
 * limit or 429 at all.
 */
export const HEADONI_BUDGET: BudgetDefaults = UNPUBLISHED_BUDGET;

/**
 * Tickiti publishes no rate limit: its API pages (https://docs.tickiti.com/topic/api_overview/,
 * https://docs.tickiti.com/topic/authentication_and_tokens/, the Show ticket page) document
 * tokens, abilities and idempotency, and no limit. Each install is self-hosted, so its operator
 * sets it.
 */
export const TICKITI_BUDGET: BudgetDefaults = UNPUBLISHED_BUDGET;

/**
 * HostUp publishes the shape of its limit but no numbers: 429 `rate_limit_exceeded` or
 * `rate_limited` with `Retry-After` seconds and `X-RateLimit-Limit/Remaining/Reset` (Reset an
 * ISO timestamp) (https://developer.hostup.se/errors/rate_limit_exceeded,
 * https://developer.hostup.se/errors/rate_limited). The window's size comes only from those
 * headers, which the gate obeys.
 */
export const HOSTUP_BUDGET: BudgetDefaults = UNPUBLISHED_BUDGET;

/**
 * TeamBattles meters every key with a token bucket of 60 tokens refilled at 1 per second, "the
 * current default for every key" (https://teambattles.gg/docs/developers/rate-limits; its older
 * API introduction's "100 requests per minute" is superseded by that page). Burst 60, 1/s.
 * It publishes no concurrency limit; 8 in flight fits inside the bucket.
 */
export const TEAMBATTLES_BUDGET: BudgetDefaults = { requestsPerSecond: 1, burst: 60, maxConcurrency: 8 };
