/**
 * Headoni simulator (shared/vendors/headoni.md): `GET /api/v1/tickets/{idOrNumber}`, number
 * tried first, then id; non-digits are `400 invalid_id`. Errors are `{ error, message }`.
 */
import type { HeadoniTicket } from '../../connectors/headoni/wire.js';
import { VendorSimulator, type SimulatorControls, type SimResponse, type VendorSpec } from '../simulator.js';
import { headoniSampleTickets } from './data.js';

export const HEADONI_SIM_TOKEN = 'hd_demo_5f1c9e2a7b';

const ERRORS: Record<number, [string, string]> = {
  400: ['invalid_id', 'The ticket id or number must be all digits.'],
  401: ['unauthenticated', 'Missing or invalid API token.'],
  403: ['insufficient_scope', 'This token lacks the tickets:read scope.'],
  404: ['ticket_not_found', 'No such ticket on this desk.'],
  429: ['rate_limited', 'Too many requests.'],
  500: ['internal_error', 'Something went wrong on our side.'],
  502: ['bad_gateway', 'Upstream unavailable.'],
  503: ['service_unavailable', 'Headoni is temporarily unavailable.'],
  504: ['gateway_timeout', 'Upstream timed out.'],
};

function error(status: number): SimResponse {
  const [code, message] = ERRORS[status] ?? ['error', `HTTP ${status}`];
  return { status, body: { error: code, message } };
}

const ROUTE = /^\/api\/v1\/tickets\/([^/]+)$/;

export const headoniSpec: VendorSpec<HeadoniTicket> = {
  provider: 'HEADONI',
  token: HEADONI_SIM_TOKEN,
  errorResponse: error,
  // Numbers first: `number:1247`, then `id:1490…`, so lookups follow the vendor's order.
  keysOf: (ticket) => [`number:${ticket.number}`, `id:${ticket.id}`],
  handle(request, store) {
    const match = ROUTE.exec(request.path);
    if (request.method !== 'GET' || !match) return error(404);
    const idOrNumber = match[1]!;
    if (!/^\d+$/.test(idOrNumber)) return error(400);
    const ticket = store.get(`number:${idOrNumber}`) ?? store.get(`id:${idOrNumber}`);
    return ticket ? { status: 200, body: { ticket } } : error(404);
  },
  withoutRequiredField(body) {
    const ticket = (body as { ticket: Partial<HeadoniTicket> }).ticket;
    delete ticket.status;
    return body;
  },
};

export function createHeadoniSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<HeadoniTicket> {
  return new VendorSimulator({ spec: headoniSpec, tickets: headoniSampleTickets(), controls });
}
