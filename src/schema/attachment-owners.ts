/**
 * Which ticket an attachment belongs to, for `Attachment.url` (a gateway link names the ticket's
 * provider and ref). The unified model keeps attachments as plain values without a back
 * reference (the cache stores them as mappers made them), so the resolvers that hand attachments
 * out (`Ticket.attachments`, `Ticket.messages`) record each one's ticket here first. Weak: an
 * entry goes with the ticket object.
 */
import type { Attachment, Ticket } from '../domain/model.js';

const owners = new WeakMap<Attachment, Ticket>();
const indexed = new WeakSet<Ticket>();

/** Records `ticket` as the owner of each of its attachments (once per ticket object). */
export function indexAttachments(ticket: Ticket): void {
  if (indexed.has(ticket)) return;
  for (const attachment of ticket.attachments) owners.set(attachment, ticket);
  for (const message of ticket.messages) {
    for (const attachment of message.attachments) owners.set(attachment, ticket);
  }
  indexed.add(ticket);
}

export function ownerOf(attachment: Attachment): Ticket | undefined {
  return owners.get(attachment);
}
