/**
 * Attachment downloads, for the vendors that document one (HostUp's `GET
 * /api/v2/support/attachments/{id}`, Tickiti's "Download attachment"). A downloader opens one
 * attachment of a ticket the gateway has already read and the caller may see, and hands its
 * bytes back as they arrive: the gateway route streams them to the caller under its own size cap
 * and deadline, so nothing here holds a whole file. Vendors whose attachment URLs are public
 * (Intercom's) need none: their `url` is served as it is.
 */
import type { Readable } from 'node:stream';
import { DeskGraphError, ticketLabel } from '../domain/errors.js';
import type { Attachment, Ticket } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import type { HttpTransport } from '../upstream/http.js';
import { retryAfterSeconds } from '../upstream/rate-limit-headers.js';
import type { ConnectorSettings } from './connector.js';

export interface AttachmentFile {
  /** The content type the vendor gives (the route validates it). */
  contentType: string | undefined;
  /** The size the vendor declares, in bytes, before any byte is read; undefined when it does not. */
  size: number | undefined;
  /** The file's bytes as they arrive; destroy it to stop reading (and free the connection). */
  body: Readable;
}

export interface AttachmentDownloader {
  /**
   * Opens `attachment` of `ticket` at the vendor with the gateway's credential. Failures are
   * DeskGraphErrors with CONTRACT §3 codes; so are failures while `body` is read.
   */
  open(ticket: Ticket, attachment: Attachment, signal: AbortSignal): Promise<AttachmentFile>;
}

export type DownloaderFactory = (transport: HttpTransport, settings: ConnectorSettings) => AttachmentDownloader;

/** How an attachment is named in messages: its vendor id and ticket, never its content. */
export function attachmentLabel(ticket: Ticket, attachment: Attachment): string {
  return `attachment ${JSON.stringify(attachment.nativeId ?? '?')} of ${ticketLabel(ticket.provider, ticket.ref)}`;
}

/** A download's non-2xx answer as the error of CONTRACT §3. */
export function downloadError(
  provider: Provider,
  ticket: Ticket,
  attachment: Attachment,
  status: number,
  headers: Record<string, string | undefined>,
): DeskGraphError {
  const label = attachmentLabel(ticket, attachment);
  const options = { provider, ref: ticket.ref, upstreamStatus: status };
  if (status === 401) {
    return new DeskGraphError('UPSTREAM_UNAUTHORIZED', `${provider} rejected DeskGraph's credential while serving ${label}; check the provider's token.`, options);
  }
  if (status === 403) return new DeskGraphError('UPSTREAM_FORBIDDEN', `${provider} refused DeskGraph access to ${label}.`, options);
  if (status === 404 || status === 410) {
    return new DeskGraphError('NOT_FOUND', `${provider} says ${label} does not exist or is not visible to DeskGraph.`, options);
  }
  if (status === 429) {
    const retryAfter = retryAfterSeconds(headers);
    return new DeskGraphError(
      'RATE_LIMITED',
      `${provider}'s rate limit is spent; ${label} can be fetched again ${retryAfter === undefined ? 'later' : `in ${retryAfter}s`}.`,
      { ...options, retryAfterSeconds: retryAfter },
    );
  }
  if (status >= 500) return new DeskGraphError('UPSTREAM_UNAVAILABLE', `${provider} failed (HTTP ${status}) while serving ${label}.`, options);
  return new DeskGraphError('UPSTREAM_BAD_RESPONSE', `${provider} answered HTTP ${status}, which its API does not document, for ${label}.`, options);
}

/** A byte count from a header or field, when it is a plain non-negative integer. */
export function declaredSize(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * Stops reading a body that is not wanted. undici's bodies emit an abort error when destroyed
 * unread; with nobody listening that error would crash the process, so it is swallowed here.
 */
export function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}
