/**
 * TeamBattles simulator (https://teambattles.gg/docs/api-reference/support/get-ticket):
 * `GET /api/v1/tickets/{ticketId}`. Tickets are owner-scoped: an unknown id and a ticket of
 * another owner both read as `404 TICKET_NOT_FOUND`. Successful answers carry a response-time
 * `timestamp` next to the ticket's fields.
 *
 * Errors are `{ "error": "<code>", "details"?: "…" }` with the codes of
 * https://teambattles.gg/docs/developers/authentication ("Common Error Codes").
 *
 * The per-key bucket of https://teambattles.gg/docs/developers/rate-limits: 60 tokens, refilled
 * at 1 per second, one token per request; empty, the answer is `429 error_api_rate_limited`.
 * Every answer to a valid key carries `X-RateLimit-Limit` (the capacity),
 * `X-RateLimit-Remaining` (tokens left, never negative) and `X-RateLimit-Reset` (whole seconds
 * until a token is there again, not a timestamp); a 429 adds `Retry-After` with the same value.
 * A request with an invalid key is refused before the per-key bucket, so it spends nothing.
 */
import type { SimulatorControls } from '../faults.js';
import type { SimRequest, SimResponse } from '../sim-server.js';
import { VendorSimulator, type VendorSpec } from '../simulator.js';
import { teamBattlesSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';
import type { TeamBattlesSimTicket } from './types.js';

export const TEAMBATTLES_SIM_TOKEN = 'tb_demo_3e9a51c07f6d42b8';

/** The per-key bucket: "Capacity 60 tokens, Refill 1 token/second", the default for every key. */
export interface TokenBucketOptions {
  /** @default 60 */
  capacity: number;
  /** @default 1 */
  refillPerSecond: number;
}

export const TEAMBATTLES_KEY_BUCKET: TokenBucketOptions = { capacity: 60, refillPerSecond: 1 };

const ERRORS: Record<number, [string, string]> = {
  400: ['error_invalid_request', 'Request body or parameters are invalid.'],
  401: ['error_api_key_invalid', 'API key is invalid or revoked.'],
  403: ['error_api_key_permission_denied', 'API key lacks required permission.'],
  404: ['TICKET_NOT_FOUND', 'Ticket not found.'],
  429: ['error_api_rate_limited', 'Rate limit exceeded.'],
  500: ['error_internal', 'Internal server error.'],
  502: ['error_internal', 'Bad gateway.'],
  503: ['error_internal', 'Service temporarily unavailable.'],
  504: ['error_internal', 'Gateway timeout.'],
};

function error(status: number, request?: SimRequest): SimResponse {
  if (status === 401 && request && request.headers.authorization === undefined) {
    return { status, body: { error: 'error_api_key_required', details: 'No API key provided in Authorization header.' } };
  }
  const [code, details] = ERRORS[status] ?? ['error_internal', `HTTP ${status}`];
  return { status, body: { error: code, details } };
}

const ROUTE = /^\/api\/v1\/tickets\/([^/]+)$/;
const TICKET_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A token bucket on the simulator's clock (`Date.now`, so fake timers drive it). */
class KeyBucket {
  private tokens: number;
  private at = Date.now();

  constructor(private readonly options: TokenBucketOptions) {
    this.tokens = options.capacity;
  }

  /** Spends one token if there is one; the headers every answer carries either way. */
  spend(): { allowed: boolean; headers: Record<string, string> } {
    const now = Date.now();
    const { capacity, refillPerSecond } = this.options;
    this.tokens = Math.min(capacity, this.tokens + (Math.max(0, now - this.at) / 1000) * refillPerSecond);
    this.at = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const reset = this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / refillPerSecond);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(capacity),
      'x-ratelimit-remaining': String(Math.floor(this.tokens)),
      'x-ratelimit-reset': String(reset),
    };
    if (!allowed) headers['retry-after'] = String(reset);
    return { allowed, headers };
  }

  reset(): void {
    this.tokens = this.options.capacity;
    this.at = Date.now();
  }
}

/**
 * The TeamBattles spec with its own per-key bucket; `null` turns the bucket off (benchmarks that
 * measure the gateway, not the vendor's limit).
 */
export function teamBattlesSpec(bucket: TokenBucketOptions | null = TEAMBATTLES_KEY_BUCKET): VendorSpec<TeamBattlesSimTicket> {
  const keyBucket = bucket === null ? null : new KeyBucket(bucket);
  return {
    provider: 'TEAMBATTLES',
    token: TEAMBATTLES_SIM_TOKEN,
    errorResponse: error,
    keysOf: (ticket) => [`id:${ticket.id}`],
    handle(request, store) {
      const metered = keyBucket?.spend();
      const answer = (response: SimResponse): SimResponse =>
        metered ? { ...response, headers: { ...response.headers, ...metered.headers } } : response;
      if (metered && !metered.allowed) return answer(error(429));
      const match = ROUTE.exec(request.path);
      if (request.method !== 'GET' || !match) return answer(error(404));
      const ticketId = match[1]!;
      // Never reveal whether an id exists: anything not found, malformed ids included, is 404.
      const ticket = TICKET_ID.test(ticketId) ? store.get(`id:${ticketId}`) : undefined;
      return answer(ticket ? { status: 200, body: { ...ticket, timestamp: new Date().toISOString() } } : error(404));
    },
    withoutRequiredField(body) {
      delete (body as Partial<TeamBattlesSimTicket>).status;
      return body;
    },
    rekey(template, key) {
      const match = /^id:([A-Za-z0-9_-]{1,128})$/.exec(key);
      return match ? { ...template, id: match[1]! } : undefined;
    },
    reset: () => keyBucket?.reset(),
  };
}

export interface TeamBattlesSimulatorOptions {
  /** The per-key bucket; null for none. @default TEAMBATTLES_KEY_BUCKET (60 tokens, 1/s) */
  bucket?: TokenBucketOptions | null;
}

export function createTeamBattlesSimulator(
  controls?: Partial<SimulatorControls>,
  options: TeamBattlesSimulatorOptions = {},
): VendorSimulator<TeamBattlesSimTicket> {
  const tickets = teamBattlesSampleTickets();
  const spec = teamBattlesSpec(options.bucket === undefined ? TEAMBATTLES_KEY_BUCKET : options.bucket);
  return new VendorSimulator({ spec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
