/**
 * The opaque id in a gateway attachment URL (`/attachments/<id>`): provider, the ticket's
 * canonical ref and the attachment's vendor id, base64url-encoded. It is an address, not a
 * permission: the route checks the caller's key, reads the ticket and finds the attachment in it
 * before any byte is fetched, so a forged id reaches nothing a forged GraphQL query could not.
 */
import { DeskGraphError } from './errors.js';
import { isProvider, type Provider } from './provider.js';
import { isValidRef, type CheckedRef } from './refs.js';

export interface AttachmentFileKey {
  provider: Provider;
  /** The ticket's canonical ref (CONTRACT §2). */
  ref: string;
  /** The attachment's `nativeId`. */
  nativeId: string;
}

/** Longest vendor attachment id accepted in a link (vendors' ids are far shorter). */
const MAX_NATIVE_ID = 128;
/** Printable ASCII without separators: what vendors' attachment ids are made of. */
const NATIVE_ID = /^[A-Za-z0-9._~-]+$/;
/** base64url of the longest key is well under this. */
const MAX_ENCODED = 512;

export function isLinkableNativeId(nativeId: string): boolean {
  return nativeId.length <= MAX_NATIVE_ID && NATIVE_ID.test(nativeId);
}

export function encodeAttachmentFileId({ provider, ref, nativeId }: AttachmentFileKey): string {
  return Buffer.from(`${provider}\n${ref}\n${nativeId}`, 'utf8').toString('base64url');
}

/** Decodes a link id; anything that is not one this gateway made is BAD_USER_INPUT. */
export function decodeAttachmentFileId(id: string): AttachmentFileKey & { ref: CheckedRef } {
  const bad = () => new DeskGraphError('BAD_USER_INPUT', 'This is not a DeskGraph attachment link.');
  if (id.length === 0 || id.length > MAX_ENCODED || !/^[A-Za-z0-9_-]+$/.test(id)) throw bad();
  const parts = Buffer.from(id, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 3) throw bad();
  const [provider, ref, nativeId] = parts as [string, string, string];
  if (!isProvider(provider) || !isValidRef(provider, ref) || !isLinkableNativeId(nativeId)) throw bad();
  return { provider, ref, nativeId };
}
