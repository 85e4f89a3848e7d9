/**
 * TeamBattles simulator (shared/vendors/teambattles.md): `GET /api/v1/tickets/{ticketId}`.
 * Tickets are owner-scoped: an unknown id and a ticket of another owner both read as
 * `404 TICKET_NOT_FOUND`. Errors are `{ error: { code, message }, timestamp }`; successful
 * answers carry the same response-time `timestamp` next to the ticket's fields.
 */
import type { TeamBattlesTicket } from '../../connectors/teambattles/wire.js';
import { VendorSimulator, type SimulatorControls, type SimResponse, type VendorSpec } from '../simulator.js';
import { teamBattlesSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';

export const TEAMBATTLES_SIM_TOKEN = 'tb_demo_3e9a51c07f6d42b8';

const ERRORS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'Invalid ticket id.'],
  401: ['UNAUTHORIZED', 'Missing or invalid API key.'],
  403: ['FORBIDDEN', 'This API key lacks the tickets.read:read permission.'],
  404: ['TICKET_NOT_FOUND', 'Ticket not found.'],
  429: ['RATE_LIMITED', 'Rate limit exceeded. Try again later.'],
  500: ['INTERNAL_SERVER_ERROR', 'An unexpected error occurred.'],
  502: ['BAD_GATEWAY', 'Bad gateway.'],
  503: ['SERVICE_UNAVAILABLE', 'Service temporarily unavailable.'],
  504: ['GATEWAY_TIMEOUT', 'Gateway timeout.'],
};

function error(status: number): SimResponse {
  const [code, message] = ERRORS[status] ?? ['ERROR', `HTTP ${status}`];
  return { status, body: { error: { code, message }, timestamp: new Date().toISOString() } };
}

const ROUTE = /^\/api\/v1\/tickets\/([^/]+)$/;
const TICKET_ID = /^[A-Za-z0-9_-]{1,128}$/;

export const teamBattlesSpec: VendorSpec<TeamBattlesTicket> = {
  provider: 'TEAMBATTLES',
  token: TEAMBATTLES_SIM_TOKEN,
  errorResponse: error,
  keysOf: (ticket) => [`id:${ticket.id}`],
  handle(request, store) {
    const match = ROUTE.exec(request.path);
    if (request.method !== 'GET' || !match) return error(404);
    const ticketId = match[1]!;
    // Never reveal whether an id exists: anything not found, malformed ids included, is 404.
    const ticket = TICKET_ID.test(ticketId) ? store.get(`id:${ticketId}`) : undefined;
    return ticket ? { status: 200, body: { ...ticket, timestamp: new Date().toISOString() } } : error(404);
  },
  withoutRequiredField(body) {
    delete (body as Partial<TeamBattlesTicket>).status;
    return body;
  },
  rekey(template, key) {
    const match = /^id:([A-Za-z0-9_-]{1,128})$/.exec(key);
    return match ? { ...template, id: match[1]! } : undefined;
  },
};

export function createTeamBattlesSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<TeamBattlesTicket> {
  const tickets = teamBattlesSampleTickets();
  return new VendorSimulator({ spec: teamBattlesSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
