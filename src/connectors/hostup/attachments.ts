/**
 * HostUp attachment download (developer.hostup.se, "Download support attachment"):
 * `GET /api/v2/support/attachments/{id}?ticketId=tkt_…` with the bearer token; 200 is the
 * file's bytes (not JSON), errors are the usual RFC 7807 problems. HostUp checks that the
 * attachment belongs to that ticket before serving it.
 *
 * The request is built from the attachment's and ticket's ids, never from the `downloadUrl` the
 * ticket carries: a drifted or hostile `downloadUrl` naming another host must not receive the
 * vendor token.
 */
import { DeskGraphError } from '../../domain/errors.js';
import { encodePathSegment } from '../../upstream/http.js';
import { attachmentLabel, declaredSize, discard, downloadError, type DownloaderFactory } from '../downloads.js';

export const createHostUpDownloader: DownloaderFactory = (transport, settings) => ({
  async open(ticket, attachment, signal) {
    if (attachment.nativeId === null) {
      throw new DeskGraphError('NOT_FOUND', `${attachmentLabel(ticket, attachment)} has no HostUp id to fetch it by.`, {
        provider: 'HOSTUP',
        ref: ticket.ref,
      });
    }
    const response = await transport.open(
      {
        method: 'GET',
        path: `/api/v2/support/attachments/${encodePathSegment(attachment.nativeId)}?ticketId=${encodeURIComponent(ticket.nativeId)}`,
        // The page's example sends `Accept: application/json` (for error bodies); the file
        // itself comes in its own type.
        headers: { authorization: `Bearer ${settings.token}`, accept: '*/*' },
      },
      signal,
    );
    if (response.status !== 200) {
      discard(response.body);
      throw downloadError('HOSTUP', ticket, attachment, response.status, response.headers);
    }
    return {
      contentType: response.headers['content-type'],
      size: declaredSize(response.headers['content-length']),
      body: response.body,
    };
  },
});
