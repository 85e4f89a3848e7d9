/**
 * HostUp simulator (https://developer.hostup.se/endpoints/support/get-v2-support-tickets-id):
 * `GET /api/v2/support/tickets/{id}` by `tkt_…` id or numeric ticket number, bearer auth, RFC
 * 7807 problem documents for every error. A spent window is `429 rate_limit_exceeded` (the
 * ticket page's code; https://developer.hostup.se/errors/rate_limit_exceeded) with `Retry-After`
 * seconds and `X-RateLimit-Limit/Remaining/Reset`, Reset an ISO timestamp "when the active window
 * resets" (https://developer.hostup.se/errors/rate_limited). The page documents those headers on
 * 429s; the simulator also sends them on the answers before, while a window is set, as a server
 * counting a window does.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatorControls } from '../faults.js';
import type { SimRequest, SimResponse } from '../sim-server.js';
import { VendorSimulator, type VendorSpec } from '../simulator.js';
import { downloadAttachment, HOSTUP_ATTACHMENT_ROUTE } from './attachments.js';
import { hostUpSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';
import type { HostUpSimAttachment, HostUpSimProblem, HostUpSimTicket } from './types.js';

export const HOSTUP_SIM_TOKEN = 'hup_live_demo_3c8d1f6a92e4';

/** code, title, detail: the page's wording where it gives one. */
const PROBLEMS: Record<number, [string, string, string]> = {
  400: ['invalid_request', 'Invalid request', 'The request body failed validation.'],
  401: ['unauthorized', 'Unauthorized', 'Authentication is required.'],
  403: ['forbidden', 'Forbidden', 'The caller lacks a required scope or does not own the resource.'],
  404: ['not_found', 'Not found', 'The requested resource could not be found.'],
  429: ['rate_limit_exceeded', 'Too many requests', 'Too many requests. Retry after the limit resets.'],
  500: ['internal_error', 'Internal server error', 'An unexpected error occurred. Retry later or contact support if the issue persists.'],
  502: ['bad_gateway', 'Bad gateway', 'An upstream service returned an invalid response. Retry later.'],
  503: ['service_unavailable', 'Service unavailable', 'The service is temporarily unavailable. Retry later.'],
  504: ['gateway_timeout', 'Gateway timeout', 'An upstream service did not respond in time. Retry later.'],
};

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function requestId(): string {
  return `req_01${[...randomBytes(24)].map((byte) => CROCKFORD[byte & 31]).join('')}`;
}

function problem(status: number, request: SimRequest): SimResponse {
  const [code, title, detail] = PROBLEMS[status] ?? ['internal_error', 'Internal server error', `HTTP ${status}`];
  const body: HostUpSimProblem = {
    type: `https://developer.hostup.se/errors/${code}`,
    title,
    status,
    detail,
    code,
    instance: request.path,
    requestId: requestId(),
    timestamp: new Date().toISOString(),
    ...(status === 400 ? { errors: [{ pointer: '/id', detail: '`id` must be a ticket id or number.', code }] } : {}),
  };
  return { status, body, headers: { 'content-type': 'application/problem+json' } };
}

const ROUTE = /^\/api\/v2\/support\/tickets\/([^/]+)$/;

export const hostUpSpec: VendorSpec<HostUpSimTicket> = {
  provider: 'HOSTUP',
  token: HOSTUP_SIM_TOKEN,
  errorResponse: problem,
  keysOf: (ticket) => [`id:${ticket.id}`, `number:${ticket.number}`],
  handle(request, store) {
    if (HOSTUP_ATTACHMENT_ROUTE.test(request.path)) return downloadAttachment(request, store, problem);
    const match = ROUTE.exec(request.path);
    if (request.method !== 'GET' || !match) return problem(404, request);
    const idOrNumber = match[1]!;
    // Numbers are accepted "during migration"; anything else is looked up as an id.
    const ticket = /^\d+$/.test(idOrNumber) ? store.get(`number:${idOrNumber}`) : store.get(`id:${idOrNumber}`);
    return ticket ? { status: 200, body: ticket } : problem(404, request);
  },
  withoutRequiredField(body) {
    // `id` is the one ticket field the page's detail answer cannot do without: the ref.
    delete (body as Partial<HostUpSimTicket>).id;
    return body;
  },
  rekey(template, key) {
    const byId = /^id:tkt_([0-9a-z]{1,64})$/.exec(key);
    const byNumber = /^number:(\d{1,15})$/.exec(key);
    if (!byId && !byNumber) return undefined;
    // A synthesized ticket's id and number follow from each other: `tkt_01syn…` ↔ its digits.
    const number = byNumber ? byNumber[1]! : numberOfId(byId![1]!);
    const id = byId ? `tkt_${byId[1]!}` : `tkt_01syn${number.padStart(21, '0')}`;
    const attachments = (list: HostUpSimAttachment[] = []) =>
      list.map((attachment) => ({ ...attachment, downloadUrl: attachment.downloadUrl.replace(template.id, id) }));
    return {
      ...template,
      id,
      number,
      attachments: attachments(template.attachments),
      messages: (template.messages ?? []).map((message) => ({ ...message, ticketId: id, attachments: attachments(message.attachments) })),
    };
  },
  rateLimitHeaders(budget) {
    return {
      'x-ratelimit-limit': String(budget.limit),
      // The engine counts past zero to detect the overrun; HostUp never sends a negative.
      'x-ratelimit-remaining': String(Math.max(0, budget.remaining)),
      // "ISO timestamp when the active window resets", not seconds.
      'x-ratelimit-reset': new Date(budget.resetAt).toISOString(),
    };
  },
};

/** The number of a synthesized ticket read by id: its digits, or a stable hash of any other id. */
function numberOfId(body: string): string {
  const digits = /^01syn(\d{21})$/.exec(body)?.[1];
  if (digits !== undefined) return String(BigInt(digits));
  let hash = 7;
  for (let i = 0; i < body.length; i += 1) hash = (Math.imul(hash, 31) + body.charCodeAt(i)) >>> 0;
  return String(900_000_000 + (hash % 99_999_999));
}

export function createHostUpSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<HostUpSimTicket> {
  const tickets = hostUpSampleTickets();
  return new VendorSimulator({ spec: hostUpSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
