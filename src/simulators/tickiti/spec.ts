/**
 * Tickiti simulator (https://docs.tickiti.com/topic/show_ticket_api/): a read that is a POST.
 * `POST /api/v1/tickets/show` with a JSON body `{ "ticket_number": "220009" }`; a missing or
 * unreadable `ticket_number` (or a body that is not JSON) is `422 validation_failed`.
 * Every answer has Tickiti's `{ ok, … }` envelope. The pages name each error's code (422
 * validation_failed, 404 not_found, 401 unauthenticated, 403 forbidden) but show no error body,
 * so errors are `{ ok: false, error: { code, message } }` by analogy with the success envelope.
 * Tickiti publishes no rate limit; the framework's rate-limit control answers 429 in the same
 * envelope.
 */
import type { SimulatorControls } from '../faults.js';
import type { SimRequest, SimResponse } from '../sim-server.js';
import { VendorSimulator, type VendorSpec } from '../simulator.js';
import { downloadAttachment, TICKITI_ATTACHMENT_PATH } from './attachments.js';
import { tickitiSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';
import type { TickitiSimShowData } from './types.js';

export const TICKITI_SIM_TOKEN = 'tkt_demo_8c41d07e93b2';

const ERRORS: Record<number, [string, string]> = {
  401: ['unauthenticated', 'Unauthenticated.'],
  403: ['forbidden', 'This action is unauthorized.'],
  404: ['not_found', 'Ticket not found.'],
  422: ['validation_failed', 'The ticket number field is required.'],
  429: ['too_many_requests', 'Too many attempts, please slow down.'],
  500: ['server_error', 'Server error.'],
  502: ['bad_gateway', 'Bad gateway.'],
  503: ['service_unavailable', 'Tickiti is down for maintenance.'],
  504: ['gateway_timeout', 'Gateway timeout.'],
};

function error(status: number): SimResponse {
  const [code, message] = ERRORS[status] ?? ['error', `HTTP ${status}`];
  return { status, body: { ok: false, error: { code, message } } };
}

/** The `ticket_number` the body carries (string or integer), or undefined when it has none. */
function ticketNumberOf(request: SimRequest): string | undefined {
  // Like the real API, a body not sent as JSON is not read at all.
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const value = (body as { ticket_number?: unknown }).ticket_number;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return String(Number(value.trim()));
  return undefined;
}

export const tickitiSpec: VendorSpec<TickitiSimShowData> = {
  provider: 'TICKITI',
  token: TICKITI_SIM_TOKEN,
  errorResponse: error,
  // Tickiti is read by number only.
  keysOf: (ticket) => [`number:${ticket.ticket.number}`],
  handle(request, store) {
    if (request.path === TICKITI_ATTACHMENT_PATH) return downloadAttachment(request, store, error);
    if (request.method !== 'POST' || request.path !== '/api/v1/tickets/show') return error(404);
    const number = ticketNumberOf(request);
    if (number === undefined) return error(422);
    const ticket = store.get(`number:${number}`);
    return ticket ? { status: 200, body: { ok: true, data: ticket } } : error(404);
  },
  withoutRequiredField(body) {
    const ticket = (body as { data: { ticket: Partial<TickitiSimShowData['ticket']> } }).data.ticket;
    delete ticket.status;
    return body;
  },
  rekey(template, key) {
    const match = /^number:(\d{1,15})$/.exec(key);
    if (!match) return undefined;
    const number = Number(match[1]!);
    // Tickiti's internal id is never shown to callers; the number is the ref.
    return { ...template, ticket: { ...template.ticket, id: String(number), number } };
  },
};

export function createTickitiSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<TickitiSimShowData> {
  const tickets = tickitiSampleTickets();
  return new VendorSimulator({ spec: tickitiSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
