/**
 * HostUp's "Download support attachment" (developer.hostup.se):
 * `GET /api/v2/support/attachments/{id}?ticketId=tkt_…`. The `ticketId` query parameter is
 * required (400 problem with pointer `?ticketId` otherwise); HostUp verifies the attachment
 * belongs to that ticket (404 otherwise); 200 is the file's bytes, not JSON.
 */
import { sampleFileBytes, sampleFileSize } from '../attachment-files.js';
import type { SimRequest, SimResponse } from '../sim-server.js';
import type { TicketStore } from '../ticket-store.js';

/** What this endpoint reads of a stored ticket (the vendor's page shape). */
interface StoredFile {
  id: string;
  filename: string | null;
  mimeType: string | null;
}
interface StoredTicket {
  attachments?: StoredFile[];
  messages?: { attachments?: StoredFile[] }[];
}

export const HOSTUP_ATTACHMENT_ROUTE = /^\/api\/v2\/support\/attachments\/([^/]+)$/;

export function downloadAttachment(
  request: SimRequest,
  store: Pick<TicketStore<StoredTicket>, 'get'>,
  problem: (status: number, request: SimRequest) => SimResponse,
): SimResponse {
  const id = HOSTUP_ATTACHMENT_ROUTE.exec(request.path)?.[1];
  if (request.method !== 'GET' || id === undefined) return problem(404, request);
  const ticketId = request.query.get('ticketId');
  if (ticketId === null || !/^tkt_[0-9a-z]+$/.test(ticketId)) {
    const invalid = problem(400, request);
    const body = invalid.body as Record<string, unknown>;
    body['detail'] = '`ticketId` query parameter is required.';
    body['errors'] = [{ pointer: '?ticketId', detail: '`ticketId` query parameter is required.', code: 'invalid_request' }];
    return invalid;
  }
  const ticket = store.get(`id:${ticketId}`);
  const files = [...(ticket?.attachments ?? []), ...(ticket?.messages ?? []).flatMap((message) => message.attachments ?? [])];
  const file = files.find((candidate) => candidate.id === id);
  if (!file) return problem(404, request);
  return {
    status: 200,
    body: sampleFileBytes(file.id, sampleFileSize(file.filename, file.id)),
    headers: { 'content-type': file.mimeType ?? 'application/octet-stream' },
  };
}
