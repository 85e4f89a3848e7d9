/**
 * Tickiti's "Download attachment API" (docs.tickiti.com): `POST /api/v1/tickets/attachment`
 * with `{ ticket_number, response_attachment_id }`. The attachment must belong to that ticket
 * (404 otherwise; 422 validation_failed when a field is missing). The bytes come base64-encoded
 * in the JSON envelope as `data.content_base64`, after the attachment's metadata; `mime_type`
 * is detected from the file. Slashes are escaped (`\/`), which JSON allows and PHP-style
 * encoders emit by default, so a client must unescape rather than slice the text.
 */
import { sampleFileBytes, sampleFileType } from '../attachment-files.js';
import type { SimRequest, SimResponse } from '../sim-server.js';
import type { TicketStore } from '../ticket-store.js';

export const TICKITI_ATTACHMENT_PATH = '/api/v1/tickets/attachment';

/** What this endpoint reads of a stored ticket (the page's shape). */
interface StoredFile {
  id: string;
  response_id?: string | undefined;
  name?: string | null | undefined;
  sha256?: string | null | undefined;
  file_size?: number | null | undefined;
  is_inline?: boolean | undefined;
  extension_rule?: string | null | undefined;
}
interface StoredTicket {
  responses?: { attachments?: StoredFile[] | null }[];
}

function field(request: SimRequest, name: string): string | undefined {
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return undefined;
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return String(Number(value.trim()));
  return undefined;
}

export function downloadAttachment(
  request: SimRequest,
  store: Pick<TicketStore<StoredTicket>, 'get'>,
  error: (status: number) => SimResponse,
): SimResponse {
  if (request.method !== 'POST') return error(404);
  const number = field(request, 'ticket_number');
  const attachmentId = field(request, 'response_attachment_id');
  if (number === undefined || attachmentId === undefined) {
    const invalid = error(422);
    const missing = number === undefined ? 'ticket number' : 'response attachment id';
    return { ...invalid, body: { ok: false, error: { code: 'validation_failed', message: `The ${missing} field is required.` } } };
  }
  const ticket = store.get(`number:${number}`);
  if (!ticket) return error(404);
  const file = (ticket.responses ?? []).flatMap((response) => response.attachments ?? []).find((candidate) => candidate.id === attachmentId);
  if (!file) return { ...error(404), body: { ok: false, error: { code: 'not_found', message: 'Attachment not found.' } } };
  const bytes = sampleFileBytes(`tickiti:${file.id}`, file.file_size ?? 0);
  const data = {
    id: file.id,
    response_id: file.response_id ?? null,
    name: file.name ?? null,
    mime_type: sampleFileType(file.name),
    sha256: file.sha256 ?? null,
    file_size: bytes.length,
    is_inline: file.is_inline ?? false,
    extension_rule: file.extension_rule ?? 'allowed',
    content_base64: bytes.toString('base64'),
  };
  return { status: 200, body: JSON.stringify({ ok: true, data }).replace(/\//g, '\\/') };
}
