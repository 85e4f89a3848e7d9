/**
 * Intercom simulator (shared/vendors/intercom.md): `GET /tickets/{id}` by `id` only (the
 * `ticket_id` display number is not accepted), bearer auth, an optional `Intercom-Version`
 * from the page's enum. Every error is Intercom's `error.list`.
 */
import { randomUUID } from 'node:crypto';
import { INTERCOM_VERSIONS, type IntercomTicket } from '../../connectors/intercom/wire.js';
import { VendorSimulator, type SimulatorControls, type SimResponse, type VendorSpec } from '../simulator.js';
import { intercomSampleTickets } from './data.js';
import { LONG_THREAD_INDEX } from '../sample-threads.js';

export const INTERCOM_SIM_TOKEN = 'dG9rOmljX2RlbW9fOWI0ZTJjNzE=';

const ERRORS: Record<number, [string, string]> = {
  400: ['parameter_invalid', 'The request parameters are invalid.'],
  401: ['unauthorized', 'Access Token Invalid'],
  403: ['api_plan_restricted', 'Active subscription needed.'],
  404: ['ticket_not_found', 'Ticket not found'],
  429: ['rate_limit_exceeded', 'You have exceeded the rate limit. Please try again later.'],
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
const VERSIONS: ReadonlySet<string> = new Set(INTERCOM_VERSIONS);

export const intercomSpec: VendorSpec<IntercomTicket> = {
  provider: 'INTERCOM',
  token: INTERCOM_SIM_TOKEN,
  errorResponse: error,
  keysOf: (ticket) => [`id:${ticket.id}`],
  handle(request, store) {
    const match = ROUTE.exec(request.path);
    if (request.method !== 'GET' || !match) return error(404);
    // Absent means the app's default version; present must be one the page lists.
    const version = request.headers['intercom-version'];
    if (version !== undefined && (Array.isArray(version) || !VERSIONS.has(version))) {
      return errorList(400, 'intercom_version_invalid', 'The version you specified is not valid.');
    }
    const ticket = store.get(`id:${match[1]!}`);
    return ticket ? { status: 200, body: ticket } : error(404);
  },
  withoutRequiredField(body) {
    delete (body as Partial<IntercomTicket>).ticket_state;
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

export function createIntercomSimulator(controls?: Partial<SimulatorControls>): VendorSimulator<IntercomTicket> {
  const tickets = intercomSampleTickets();
  return new VendorSimulator({ spec: intercomSpec, tickets, controls, template: tickets[LONG_THREAD_INDEX] });
}
