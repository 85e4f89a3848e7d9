/**
 * Absolute URLs of the attachments the gateway serves itself (`/attachments/<id>`), made per
 * request: the gateway's public origin is `server.publicUrl` when configured, else the origin
 * the caller used, from its `Host` header (and `X-Forwarded-Proto` behind a TLS proxy), both
 * validated. A spoofed `Host` only changes the links in the spoofer's own response: URLs are
 * never cached, and the route checks the caller's key whatever host the link names.
 */
import { encodeAttachmentFileId, isLinkableNativeId } from '../domain/attachment-file.js';
import type { Provider } from '../domain/provider.js';
import type { AttachmentLinks } from '../schema/context.js';

/** Where the route listens. */
export const ATTACHMENTS_PREFIX = '/attachments/';

export interface AttachmentLinkOptions {
  /** Providers whose attachments the gateway serves. */
  providers: ReadonlySet<Provider>;
  /** `server.publicUrl`. @default the request's own origin */
  publicUrl?: string | undefined;
}

/** host, or host:port: a DNS name, IPv4 address or bracketed IPv6 address. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;

/** The origin a request was made to, or undefined when its headers do not name a valid one. */
export function requestOrigin(headers: { get(name: string): string | null }): string | undefined {
  const host = headers.get('host');
  if (host === null || host.length > 260 || !HOST.test(host)) return undefined;
  // A proxy may list several; the first is the client's.
  const forwarded = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : 'http';
  return `${scheme}://${host}`;
}

export function attachmentLinks(options: AttachmentLinkOptions, headers: { get(name: string): string | null }): AttachmentLinks {
  // The prefix keeps a publicUrl path (a gateway mounted at https://example.com/deskgraph).
  const base = options.publicUrl?.replace(/\/+$/, '') ?? requestOrigin(headers);
  return {
    serves: (provider) => options.providers.has(provider),
    url(key) {
      if (base === undefined || !isLinkableNativeId(key.nativeId)) return null;
      return `${base}${ATTACHMENTS_PREFIX}${encodeAttachmentFileId(key)}`;
    },
  };
}

/** No provider served: every attachment keeps its vendor URL. */
export const VENDOR_LINKS_ONLY: AttachmentLinks = { serves: () => false, url: () => null };
