/**
 * Intercom simulator, from Intercom's public OpenAPI descriptions and its rate-limiting page:
 *
 * - `GET /tickets/{id}` by `id` only (the `ticket_id` display number is not accepted), bearer
 *   auth; every error is Intercom's `error.list` ({type, request_id, errors: [{code, message}]}).
 * - `Intercom-Version` (absent: the app's version, SIM_APP_VERSION) shapes the answer, see
 *   versions.ts and render.ts. A version Intercom does not know is 400 `intercom_version_invalid`
 *   "The requested version could not be found"; one without the Tickets API (before 2.9) is 400
 *   `intercom_version_invalid` "Requested resource is not available in current API version."
 * - Rate limits are the app's: authenticated answers carry `X-RateLimit-Limit`, `-Remaining` and
 *   `-Reset` (epoch seconds) while the `rateLimit` control is on; requests without valid
 *   credentials neither spend the budget nor get the headers. A 429 is `rate_limit_exceeded`
 *   ("Exceeded rate limit of 167 in 10_seconds") with those headers and no `Retry-After`.
 */
import { randomUUID } from 'node:crypto';
import { LONG_THREAD_INDEX } from '../sample-threads.js';
import type { SimulatorControls } from '../faults.js';
import type { SimResponse } from '../sim-server.js';
import { VendorSimulator, type VendorSpec } from '../simulator.js';
import { intercomSampleTickets } from './data.js';
import { renderTicket } from './render.js';
import type { IntercomStoredTicket } from './shapes.js';
import { since, SIM_APP_VERSION, versionRank } from './versions.js';

export const INTERCOM_SIM_TOKEN = 'dG9rOmljX2RlbW9fOWI0ZTJjNzE=';

/**
 * Intercom's published default for a private app: 10,000 calls a minute, spread over 10-second
 * windows, which is 1,667 a window. Used in a 429 the `failStatus` control forces, where no
 * `rateLimit` window is set.
 */
export const INTERCOM_WINDOW_LIMIT = 1667;
const WINDOW_SECONDS = 10;

const ERRORS: Record<number, [string, string]> = {
  400: ['parameter_invalid', 'The request parameters are invalid.'],
  401: ['unauthorized', 'Access Token Invalid'],
  403: ['api_plan_restricted', 'Active subscription needed.'],
  404: ['ticket_not_found', 'Ticket not found'],
  429: ['rate_limit_exceeded', `Exceeded rate limit of ${INTERCOM_WINDOW_LIMIT} in ${WINDOW_SECONDS}_seconds`],
  500: ['server_error', 'An unexpected error occurred.'],
  502: ['bad_gateway', 'Bad gateway.'],
  503: ['service_unavailable', 'Service temporarily unavailable.'],
  504: ['gateway_timeout', 'Gateway timeout.'],
};

function errorList(status: number, code: string, message: string): SimResponse {
  return { status, body: { type: 'error.list', request_id: randomUUID(), errors: [{ code, message }] } };
}

function error(status: number): SimResponse {
  const [code, message] = ERRORS[status] ?? ['server_error', `HTTP ${status}`];
  return errorList(status, code, message);
}

const ROUTE = /^\/tickets\/([^/]+)$/;

export const intercomSpec: VendorSpec<IntercomStoredTicket> = {
  provider: 'INTERCOM',
  token: INTERCOM_SIM_TOKEN,
  errorResponse: error,
  budgetPerCredential: true,
  keysOf: (ticket) => [`id:${ticket.id}`],
  handle(request, store) {
    const header = request.headers['intercom-version'];
    const rank = typeof header === 'string' ? versionRank(header) : header === undefined ? versionRank(SIM_APP_VERSION) : undefined;
    if (rank === undefined) return errorList(400, 'intercom_version_invalid', 'The requested version could not be found');
    const match = ROUTE.exec(request.path);
    if (request.method !== 'GET' || !match) return errorList(404, 'not_found', 'Resource Not Found');
    if (!since(rank, '2.9')) {
      return errorList(400, 'intercom_version_invalid', 'Requested resource is not available in current API version.');
    }
    const ticket = store.get(`id:${match[1]!}`);
    return ticket ? { status: 200, body: renderTicket(ticket, rank) } : error(404);
  },
  rateLimitHeaders: (budget) => ({
    'x-ratelimit-limit': String(budget.limit),
    'x-ratelimit-remaining': String(Math.max(0, budget.remaining)),
    'x-ratelimit-reset': String(Math.ceil(budget.resetAt / 1000)),
  }),
  rateLimited(_request, retryAfterSeconds, budget, now) {
    const limit = budget?.limit ?? INTERCOM_WINDOW_LIMIT;
    const window = budget?.windowSeconds ?? WINDOW_SECONDS;
    const limited = errorList(429, 'rate_limit_exceeded', `Exceeded rate limit of ${limit} in ${window}_seconds`);
    return {
      ...limited,
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil((now + retryAfterSeconds * 1000) / 1000)),
      },
    };
  },
  withoutRequiredField(body) {
    delete (body as Partial<IntercomStoredTicket>).ticket_state;
    return body;
  },
  rekey(template, key) {
    const match = /^id:(\d{1,15})$/.exec(key);
    if (!match) return undefined;
    const id = match[1]!;
    // `ticket_id` is the inbox's display number: derived, so it never collides with the desk's.
    return { ...template, id, ticket_id: String(900_000 + (Number(id) % 9_000_000)) };
  },
};

export function createIntercomSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<IntercomStoredTicket> {
  const tickets = intercomSampleTickets();
  return new VendorSimulator({ spec: intercomSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
