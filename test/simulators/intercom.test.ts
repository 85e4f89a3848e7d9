/**
 * The Intercom simulator answers as Intercom's OpenAPI descriptions and rate-limiting page say:
 * by `Intercom-Version`, with `error.list` bodies, and `X-RateLimit-*` (never `Retry-After`).
 */
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { intercomSampleTickets, intercomTicketId, INTERCOM_REDACTED_BODY } from '../../src/simulators/intercom/data.js';
import { createIntercomSimulator, INTERCOM_SIM_TOKEN } from '../../src/simulators/intercom/spec.js';

const simulator = createIntercomSimulator();
let base: string;
beforeAll(async () => {
  base = await simulator.listen();
});
afterAll(() => simulator.close());
afterEach(() => simulator.reset());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(`${base}${path}`, {
    headers: { authorization: `Bearer ${INTERCOM_SIM_TOKEN}`, accept: 'application/json', ...headers },
  });
  return { status: response.statusCode, headers: response.headers, body: (await response.body.json()) as Record<string, unknown> };
}

const ticket = (id: string, version?: string) => get(`/tickets/${id}`, version === undefined ? {} : { 'intercom-version': version });
const errorList = (code: string, message: string) => ({ type: 'error.list', request_id: expect.stringMatching(UUID), errors: [{ code, message }] });

/** Sample 1: assigned to an admin and a team, state "In progress". */
const ASSIGNED = intercomTicketId(1);
/** Sample 5: nobody assigned (admin and team "0"). */
const UNASSIGNED = intercomTicketId(5);

describe('Intercom simulator: the ticket by Intercom-Version', () => {
  it('sends 2.9 a string state with its labels, and no ticket_id, category, open or linked_objects', async () => {
    const { status, body } = await ticket(ASSIGNED, '2.9');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ticket_state: 'in_progress',
      ticket_state_internal_label: 'In progress',
      ticket_state_external_label: 'In progress',
      admin_assignee_id: '5391222',
      team_assignee_id: '814001',
    });
    for (const key of ['ticket_id', 'category', 'open', 'snoozed_until', 'linked_objects', 'previous_ticket_state_id']) expect(body).not.toHaveProperty(key);
  });

  it.each(['2.10', '2.11'])('sends %s a string state and a ticket_id', async (version) => {
    const { body } = await ticket(ASSIGNED, version);
    expect(body).toMatchObject({ ticket_id: '2391', ticket_state: 'in_progress', ticket_state_internal_label: 'In progress', category: 'Customer', open: true });
  });

  it.each(['2.12', '2.13', '2.14', '2.15'])('sends %s the state as an object, labels only inside it, string ids', async (version) => {
    const { body } = await ticket(UNASSIGNED, version);
    expect(body).toMatchObject({
      ticket_state: { type: 'ticket_state', id: '2789', category: 'submitted', internal_label: 'Submitted', external_label: 'Submitted' },
      admin_assignee_id: '0',
      team_assignee_id: '0',
    });
    expect(body).not.toHaveProperty('ticket_state_internal_label');
    expect(body).not.toHaveProperty('previous_ticket_state_id');
  });

  it.each(['2.16', 'Preview', 'Unstable'])('sends %s integer assignee ids, 0 for nobody', async (version) => {
    expect((await ticket(UNASSIGNED, version)).body).toMatchObject({ admin_assignee_id: 0, team_assignee_id: 0, previous_ticket_state_id: null });
    expect((await ticket(ASSIGNED, version)).body).toMatchObject({ admin_assignee_id: 5391222, team_assignee_id: 814001, previous_ticket_state_id: '2789' });
  });

  it('answers a request without Intercom-Version in the app\'s version (2.14)', async () => {
    expect((await ticket(ASSIGNED)).body).toEqual((await ticket(ASSIGNED, '2.14')).body);
  });

  it('keeps app_package_code from 2.13 and updated_attribute_data from 2.14', async () => {
    const partsOf = async (version: string) => ((await ticket(intercomTicketId(0), version)).body['ticket_parts'] as { ticket_parts: Record<string, unknown>[] }).ticket_parts;
    const hasKey = (parts: Record<string, unknown>[], key: string) => parts.some((part) => key in part);
    expect([hasKey(await partsOf('2.12'), 'app_package_code'), hasKey(await partsOf('2.13'), 'app_package_code')]).toEqual([false, true]);
    expect([hasKey(await partsOf('2.13'), 'updated_attribute_data'), hasKey(await partsOf('2.14'), 'updated_attribute_data')]).toEqual([false, true]);
  });

  it.each(['1.4', '2.0', '2.8'])('has no tickets on %s: 400 intercom_version_invalid', async (version) => {
    const { status, body } = await ticket(ASSIGNED, version);
    expect([status, body]).toEqual([400, errorList('intercom_version_invalid', 'Requested resource is not available in current API version.')]);
  });

  it.each(['3.0', 'preview', 'unstable', '2.9.1', ''])('does not know version %j: 400 intercom_version_invalid', async (version) => {
    const { status, body } = await ticket(ASSIGNED, version);
    expect([status, body]).toEqual([400, errorList('intercom_version_invalid', 'The requested version could not be found')]);
  });
});

describe('Intercom simulator: errors', () => {
  it('answers a wrong token with the documented 401, without rate-limit headers', async () => {
    simulator.setControls({ rateLimit: { limit: 5, windowSeconds: 10 } });
    const { status, headers, body } = await get(`/tickets/${ASSIGNED}`, { authorization: 'Bearer nope', 'intercom-version': '2.14' });
    expect([status, body]).toEqual([401, errorList('unauthorized', 'Access Token Invalid')]);
    expect(Object.keys(headers).filter((name) => name.startsWith('x-ratelimit'))).toEqual([]);
    // Nor did it spend the app's budget.
    expect((await ticket(ASSIGNED, '2.14')).headers['x-ratelimit-remaining']).toBe('4');
  });

  it('answers an unknown ticket with 404 ticket_not_found, and a display number is unknown', async () => {
    expect(await ticket('999999', '2.14')).toMatchObject({ status: 404, body: errorList('ticket_not_found', 'Ticket not found') });
    expect((await ticket('2391', '2.14')).status).toBe(404);
  });

  it('answers a forced 403 with api_plan_restricted', async () => {
    simulator.setControls({ failStatus: 403 });
    expect(await ticket(ASSIGNED, '2.14')).toMatchObject({ status: 403, body: errorList('api_plan_restricted', 'Active subscription needed.') });
  });
});

describe('Intercom simulator: rate limits as Intercom sends them', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-04T15:00:00.400Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends X-RateLimit-* on every authenticated answer, then 429 rate_limit_exceeded without Retry-After', async () => {
    simulator.setControls({ rateLimit: { limit: 2, windowSeconds: 10 } });
    const reset = String(Date.parse('2026-06-04T15:00:11.000Z') / 1000);
    const first = await ticket(ASSIGNED, '2.14');
    const missing = await ticket('999999', '2.14');
    const limited = await ticket(ASSIGNED, '2.14');
    const limitHeaders = (answer: Answer) => [answer.status, answer.headers['x-ratelimit-limit'], answer.headers['x-ratelimit-remaining'], answer.headers['x-ratelimit-reset']];
    expect([first, missing, limited].map(limitHeaders)).toEqual([
      [200, '2', '1', reset],
      [404, '2', '0', reset],
      [429, '2', '0', reset],
    ]);
    expect(limited.body).toEqual(errorList('rate_limit_exceeded', 'Exceeded rate limit of 2 in 10_seconds'));
    expect(limited.headers['retry-after']).toBeUndefined();
  });

  it('says the pause of a forced 429 in X-RateLimit-Reset, not Retry-After', async () => {
    simulator.setControls({ failStatus: 429, retryAfterSeconds: 300 });
    const { status, headers, body } = await ticket(ASSIGNED, '2.14');
    expect([status, headers['x-ratelimit-limit'], headers['x-ratelimit-remaining'], headers['x-ratelimit-reset'], headers['retry-after']]).toEqual([
      429, '1667', '0', String(Date.parse('2026-06-04T15:05:01.000Z') / 1000), undefined,
    ]);
    expect(body).toEqual(errorList('rate_limit_exceeded', 'Exceeded rate limit of 1667 in 10_seconds'));
  });
});

describe('Intercom sample desk', () => {
  const samples = intercomSampleTickets();
  const parts = samples.flatMap((sample) => sample.ticket_parts.ticket_parts);

  it('exercises the documented edge values', () => {
    expect(samples.filter((sample) => sample.admin_assignee_id === '0').length).toBeGreaterThan(0);
    expect(samples.filter((sample) => sample.team_assignee_id === '0').length).toBeGreaterThan(0);
    expect(samples.filter((sample) => sample.ticket_attributes['_default_title_'] === null).length).toBeGreaterThan(0);
    expect(samples.filter((sample) => sample.ticket_attributes['_default_description_'] === null).length).toBeGreaterThan(0);
    expect(new Set(samples.map((sample) => sample.ticket_state?.category))).toEqual(new Set(['submitted', 'in_progress', 'waiting_on_customer', 'resolved']));
    expect(samples.some((sample) => sample.ticket_state?.internal_label === 'Escalated to engineering')).toBe(true);
    expect(new Set(parts.map((part) => part.part_type))).toEqual(
      new Set(['comment', 'note', 'quick_reply', 'open', 'close', 'assignment', 'ticket_state_updated_by_admin', 'ticket_attribute_updated_by_admin']),
    );
    expect(parts.filter((part) => part.part_type === 'quick_reply').every((part) => part.body === null)).toBe(true);
    expect(parts.filter((part) => ['open', 'close'].includes(part.part_type)).every((part) => typeof part.body === 'string')).toBe(true);
    expect(parts.filter((part) => part.redacted).map((part) => part.body)).toEqual([INTERCOM_REDACTED_BODY]);
    expect(parts.some((part) => part.author.type === 'user' && part.author.email === null)).toBe(true);
  });
});
