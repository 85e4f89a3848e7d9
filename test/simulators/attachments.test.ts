/** The simulators' attachment downloads answer as the vendors' pages say. */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostUpSimulator, HOSTUP_SIM_TOKEN } from '../../src/simulators/hostup/spec.js';
import { hostUpSampleTickets } from '../../src/simulators/hostup/data.js';
import { createTickitiSimulator, TICKITI_SIM_TOKEN } from '../../src/simulators/tickiti/spec.js';
import { tickitiSampleTickets } from '../../src/simulators/tickiti/data.js';

const hostUp = createHostUpSimulator();
const tickiti = createTickitiSimulator();
let hostUpUrl: string;
let tickitiUrl: string;

beforeAll(async () => {
  hostUpUrl = await hostUp.listen();
  tickitiUrl = await tickiti.listen();
});
afterAll(async () => {
  await hostUp.close();
  await tickiti.close();
});

describe('HostUp GET /api/v2/support/attachments/{id}', () => {
  const ticket = hostUpSampleTickets().find((candidate) => (candidate.messages ?? []).some((message) => (message.attachments ?? []).length > 0))!;
  const file = (ticket.messages ?? []).flatMap((message) => message.attachments ?? [])[0]!;
  const get = (path: string) => request(`${hostUpUrl}${path}`, { headers: { authorization: `Bearer ${HOSTUP_SIM_TOKEN}` } });

  it("serves the file's bytes in its type at the ticket's downloadUrl", async () => {
    const response = await get(file.downloadUrl);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(file.mimeType);
    const bytes = Buffer.from(await response.body.arrayBuffer());
    expect(response.headers['content-length']).toBe(String(bytes.length));
    // The same file every time.
    const again = Buffer.from(await (await get(file.downloadUrl)).body.arrayBuffer());
    expect(again.equals(bytes)).toBe(true);
  });

  it('is a 400 problem pointing at ?ticketId without it', async () => {
    const response = await get(`/api/v2/support/attachments/${file.id}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(await response.body.json()).toMatchObject({
      status: 400,
      code: 'invalid_request',
      detail: '`ticketId` query parameter is required.',
      errors: [{ pointer: '?ticketId', code: 'invalid_request' }],
    });
  });

  it('is a 404 problem for a file of another ticket', async () => {
    const other = hostUpSampleTickets().find((candidate) => candidate.id !== ticket.id)!;
    const response = await get(`/api/v2/support/attachments/${file.id}?ticketId=${other.id}`);
    expect(response.statusCode).toBe(404);
    expect(await response.body.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('Tickiti POST /api/v1/tickets/attachment', () => {
  const show = tickitiSampleTickets().find((candidate) => candidate.responses.some((response) => (response.attachments ?? []).length > 0))!;
  const file = show.responses.flatMap((response) => response.attachments ?? [])[0]!;
  const post = (body: unknown) =>
    request(`${tickitiUrl}/api/v1/tickets/attachment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TICKITI_SIM_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers the file base64-encoded after its metadata, matching the sha256 Show ticket lists', async () => {
    const response = await post({ ticket_number: String(show.ticket.number), response_attachment_id: file.id });
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    const { ok, data } = JSON.parse(text) as { ok: boolean; data: Record<string, unknown> };
    expect(ok).toBe(true);
    expect(Object.keys(data).at(-1)).toBe('content_base64');
    expect(data).toMatchObject({ id: file.id, response_id: file.response_id, name: file.name, sha256: file.sha256, file_size: file.file_size });
    const bytes = Buffer.from(data['content_base64'] as string, 'base64');
    expect(bytes.length).toBe(file.file_size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
  });

  it('is 422 validation_failed without response_attachment_id, 404 for a file of another ticket', async () => {
    const missing = await post({ ticket_number: String(show.ticket.number) });
    expect(missing.statusCode).toBe(422);
    expect(await missing.body.json()).toEqual({ ok: false, error: { code: 'validation_failed', message: 'The response attachment id field is required.' } });
    const other = tickitiSampleTickets().find((candidate) => candidate.ticket.number !== show.ticket.number)!;
    const elsewhere = await post({ ticket_number: String(other.ticket.number), response_attachment_id: file.id });
    expect(elsewhere.statusCode).toBe(404);
    expect(await elsewhere.body.json()).toEqual({ ok: false, error: { code: 'not_found', message: 'Attachment not found.' } });
  });
});
