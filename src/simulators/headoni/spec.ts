/**
 * Headoni simulator (shared/vendors/headoni.md): `GET /api/v1/tickets/{idOrNumber}`, number
 * tried first, then id; non-digits are `400 invalid_id`. Errors are `{ error, message }`.
 */
import type { HeadoniTicket } from '../../connectors/headoni/wire.js';
import { VendorSimulator, type SimulatorControls, type SimResponse, type VendorSpec } from '../simulator.js';
import { headoniSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';

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
/** Synthesized tickets get 19-digit ids far above the sample desk's (1490…). */
const SYNTHETIC_ID_BASE = 9_000_000_000_000_000_000n;

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
  rekey(template, key) {
    const match = /^(number|id):(\d+)$/.exec(key);
    if (!match) return undefined;
    const value = BigInt(match[2]!);
    const byNumber = match[1] === 'number';
    const number = byNumber ? value : numberOfId(value);
    if (number > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    const id = byNumber ? SYNTHETIC_ID_BASE + value : value;
    return {
      ...template,
      id: String(id),
      number: Number(number),
      messages: template.messages.map((message, position) => ({ ...message, id: String(id + 1n + BigInt(position)) })),
    };
  },
};

/** A synthesized ticket's number: what its id was made from, or a stable part of any other id. */
function numberOfId(id: bigint): bigint {
  const offset = id - SYNTHETIC_ID_BASE;
  return offset >= 0n && offset <= BigInt(Number.MAX_SAFE_INTEGER) ? offset : id % 1_000_000_000n;
}

export function createHeadoniSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<HeadoniTicket> {
  const tickets = headoniSampleTickets();
  return new VendorSimulator({ spec: headoniSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
