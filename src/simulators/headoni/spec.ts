/**
 * Headoni simulator (https://docs.headoni.com/llms/api/get-ticket, errors from
 * https://docs.headoni.com/docs/api/overview): `GET /api/v1/tickets/{idOrNumber}`, number tried
 * first, then id; non-digits are `400 invalid_id`. Errors are Headoni's envelope
 * `{ "error": "<code>", "detail"?: "…" }`.
 */
import type { SimulatorControls } from '../faults.js';
import type { SimRequest, SimResponse } from '../sim-server.js';
import { VendorSimulator, type VendorSpec } from '../simulator.js';
import { headoniSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';
import type { HeadoniSimTicket } from './types.js';

export const HEADONI_SIM_TOKEN = 'hd_demo_5f1c9e2a7b';

/**
 * The documented codes (400 invalid_id, 401 unauthenticated, 403 insufficient_scope, 404
 * ticket_not_found). Headoni documents no 429 or 5xx body; the simulator's rate-limit and
 * failure controls answer in the same envelope with codes of its own.
 */
const ERRORS: Record<number, [string, string]> = {
  400: ['invalid_id', 'path was not all digits'],
  401: ['unauthenticated', 'missing or invalid token'],
  403: ['insufficient_scope', 'requires "tickets:read"'],
  404: ['ticket_not_found', 'no such ticket on this desk'],
  429: ['rate_limited', 'too many requests'],
  500: ['internal_error', 'something went wrong on our side'],
  502: ['bad_gateway', 'upstream unavailable'],
  503: ['service_unavailable', 'Headoni is temporarily unavailable'],
  504: ['gateway_timeout', 'upstream timed out'],
};

function error(status: number, request?: SimRequest): SimResponse {
  const [code, detail] = ERRORS[status] ?? ['internal_error', `HTTP ${status}`];
  // "Missing, unknown, revoked, or expired token": a request without one says so.
  if (status === 401 && request && request.headers.authorization === undefined) {
    return { status, body: { error: code, detail: 'missing token' } };
  }
  return { status, body: { error: code, detail } };
}

const ROUTE = /^\/api\/v1\/tickets\/([^/]+)$/;
/** Synthesized tickets get 19-digit ids far above the sample desk's (1490…). */
const SYNTHETIC_ID_BASE = 9_000_000_000_000_000_000n;

export const headoniSpec: VendorSpec<HeadoniSimTicket> = {
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
    const ticket = (body as { ticket: Partial<HeadoniSimTicket> }).ticket;
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

export function createHeadoniSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<HeadoniSimTicket> {
  const tickets = headoniSampleTickets();
  return new VendorSimulator({ spec: headoniSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
