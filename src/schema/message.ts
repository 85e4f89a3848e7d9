/**
 * Message, Attachment, Person and Group: projections of the unified model. A message's body
 * fields are the only ones that cost work: they are rendered on demand by the request's
 * `bodies` (see `src/bodies/body-renderer.ts`), memoized with the cached ticket.
 */
import type { RenderedBody } from '../bodies/body-renderer.js';
import type { Attachment, Group, Message, Person } from '../domain/model.js';
import type { AttachmentLinks, GatewayContext } from './context.js';
import { ownerOf } from './attachment-owners.js';
import { builder } from './builder.js';
import { AuthorKindEnum, BodyFormatEnum, VisibilityEnum } from './enums.js';

export const PersonRef = builder.objectRef<Person>('Person').implement({
  fields: (t) => ({
    name: t.exposeString('name', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    vendorId: t.exposeString('vendorId', { nullable: true, description: "The person's id at the vendor." }),
  }),
});

export const GroupRef = builder.objectRef<Group>('Group').implement({
  description: 'The department, queue or team a ticket belongs to.',
  fields: (t) => ({
    id: t.exposeID('id', {
      nullable: true,
      description:
        "Unique across providers (provider + the vendor's group id), so normalized client caches never merge two vendors' groups.",
    }),
    vendorId: t.exposeString('vendorId', { nullable: true, description: "The vendor's own department / queue / team id." }),
    name: t.exposeString('name', { nullable: true }),
  }),
});

export const AttachmentRef = builder.objectRef<Attachment>('Attachment').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    nativeId: t.exposeString('nativeId', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
    contentType: t.exposeString('contentType', { nullable: true }),
    size: t.exposeInt('size', { nullable: true, description: 'Bytes.' }),
    sha256: t.exposeString('sha256', { nullable: true }),
    inline: t.exposeBoolean('inline'),
    url: t.string({
      nullable: true,
      description:
        "Absolute URL of the file. Where the vendor's download needs its token (HostUp, Tickiti), a gateway URL that takes the caller's key (`/attachments/<id>`); else the vendor's own URL, where it gives one.",
      resolve: (attachment, _args, context) => attachmentUrl(attachment, context.attachmentLinks),
    }),
  }),
});

/** A gateway link where the gateway serves the provider's files; the vendor's URL otherwise. */
function attachmentUrl(attachment: Attachment, links: AttachmentLinks): string | null {
  const ticket = ownerOf(attachment);
  if (!ticket || !links.serves(ticket.provider)) return attachment.url;
  // The vendor's URL needs the vendor's token: never handed out, even when no link can be made.
  if (attachment.nativeId === null) return null;
  return links.url({ provider: ticket.provider, ref: ticket.ref, nativeId: attachment.nativeId });
}

export const MessageRef = builder.objectRef<Message>('Message').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique across providers.' }),
    nativeId: t.exposeString('nativeId'),
    authorKind: t.expose('authorKind', { type: AuthorKindEnum }),
    author: t.expose('author', { type: PersonRef, nullable: true }),
    visibility: t.expose('visibility', { type: VisibilityEnum }),
    pinned: t.exposeBoolean('pinned'),
    bodyFormat: t.expose('bodyFormat', { type: BodyFormatEnum, description: 'What the vendor stores.' }),
    bodyText: t.string({
      nullable: true,
      description: 'Plain text, no markup.',
      resolve: (message, _args, context) => bodyField(message, context, 'bodyText'),
    }),
    bodyHtml: t.string({
      nullable: true,
      description: 'Safe HTML: sanitized, or rendered from Markdown/text.',
      resolve: (message, _args, context) => bodyField(message, context, 'bodyHtml'),
    }),
    bodyTruncated: t.boolean({
      description:
        "The vendor's body was over the gateway's bounds (bodies.maxBytes or bodies.renderTimeoutMs): bodyText and bodyHtml hold a shortened safe version.",
      resolve: (message, _args, context) => bodyField(message, context, 'truncated'),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    attachments: t.expose('attachments', { type: [AttachmentRef] }),
  }),
});

/** Names of the Message fields that need a rendered body (see `Ticket.messages`). */
export const BODY_FIELDS: ReadonlySet<string> = new Set(['bodyText', 'bodyHtml', 'bodyTruncated']);

/** Synchronous once the body is memoized (every hit after the first); never rejects. */
function bodyField<K extends keyof RenderedBody>(
  message: Message,
  context: GatewayContext,
  field: K,
): RenderedBody[K] | Promise<RenderedBody[K]> {
  const ready = context.bodies.peek(message);
  return ready ? ready[field] : context.bodies.render(message).then((body) => body[field]);
}
