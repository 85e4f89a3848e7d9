/**
 * Opaque global ids. A ticket's id encodes its provider and canonical ref, so `node(id)` and
 * federation can read it again without a lookup; message and attachment ids encode enough to
 * be unique across providers. Base64url keeps them URL- and header-safe.
 */
import { DeskGraphError } from './errors.js';
import { isProvider, type Provider } from './provider.js';
import { checkRef } from './refs.js';

export type GlobalIdKind = 'Ticket' | 'Message' | 'Attachment' | 'Group';

export function encodeGlobalId(kind: GlobalIdKind, provider: Provider, key: string): string {
  return Buffer.from(`${kind}:${provider}:${key}`, 'utf8').toString('base64url');
}

export function ticketId(provider: Provider, ref: string): string {
  return encodeGlobalId('Ticket', provider, ref);
}

export function messageId(provider: Provider, ticketNativeId: string, messageNativeId: string): string {
  return encodeGlobalId('Message', provider, `${ticketNativeId}/${messageNativeId}`);
}

export function attachmentId(provider: Provider, ticketNativeId: string, key: string): string {
  return encodeGlobalId('Attachment', provider, `${ticketNativeId}/${key}`);
}

/**
 * A group's id: provider-qualified, so normalized client caches (Apollo, urql: `Group:<id>`)
 * never merge Tickiti queue "4" with Intercom team "4" (CONTRACT §1).
 */
export function groupId(provider: Provider, vendorId: string): string {
  return encodeGlobalId('Group', provider, vendorId);
}

export interface DecodedTicketId {
  provider: Provider;
  ref: string;
}

/** Decodes a ticket's global id; anything else is BAD_USER_INPUT. */
export function decodeTicketId(id: string): DecodedTicketId {
  const bad = () =>
    new DeskGraphError('BAD_USER_INPUT', `${JSON.stringify(id.slice(0, 80))} is not a DeskGraph ticket id.`);
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(id)) throw bad();
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const [kind, provider, ...rest] = decoded.split(':');
  const ref = rest.join(':');
  if (kind !== 'Ticket' || !isProvider(provider) || ref === '') throw bad();
  try {
    return { provider, ref: checkRef(provider, ref) };
  } catch {
    throw bad();
  }
}
