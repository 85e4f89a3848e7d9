/**
 * Mapped messages with their bodies rendered, for connector and XSS tests: the same pure
 * `renderBody` the worker pool runs, called directly, so a mapper's body is checked exactly as a
 * GraphQL read would serve it.
 */
import { DEFAULT_BODY_MAX_BYTES, type BodyRendering } from '../../src/bodies/body-renderer.js';
import { renderBody, type RenderedBody } from '../../src/bodies/render.js';
import type { Message, Ticket } from '../../src/domain/model.js';

/** A message as GraphQL serves it: `bodyText` / `bodyHtml` in place of the vendor's source (`bodyTruncated` only when true). */
export type RenderedMessage = Omit<Message, 'body'> & Pick<RenderedBody, 'bodyText' | 'bodyHtml'> & { bodyTruncated?: true };

export function rendered(message: Message): RenderedMessage {
  const { body, ...rest } = message;
  const { bodyText, bodyHtml, truncated } = renderBody(message.bodyFormat, body.source, body.vendorText, { maxBytes: DEFAULT_BODY_MAX_BYTES });
  return truncated ? { ...rest, bodyText, bodyHtml, bodyTruncated: true } : { ...rest, bodyText, bodyHtml };
}

export function withBodies(messages: readonly Message[]): RenderedMessage[] {
  return messages.map(rendered);
}

/** A mapped ticket with its messages rendered, for exact comparisons with the unified values. */
export function renderedTicket(ticket: Ticket): Omit<Ticket, 'messages'> & { messages: RenderedMessage[] } {
  return { ...ticket, messages: withBodies(ticket.messages) };
}

/**
 * Bodies rendered on the calling thread, for GraphQL-layer tests that are about the schema and
 * not the pool (the pool has its own tests). Memoized like the real one.
 */
export function inlineBodies(): BodyRendering {
  const memo = new WeakMap<Message, RenderedBody>();
  const peek = (message: Message) => memo.get(message);
  const now = (message: Message) => {
    let body = memo.get(message);
    if (!body) memo.set(message, (body = renderBody(message.bodyFormat, message.body.source, message.body.vendorText, { maxBytes: DEFAULT_BODY_MAX_BYTES })));
    return body;
  };
  return {
    peek,
    render: async (message) => now(message),
    renderThread: async (_ticket, messages) => void messages.forEach(now),
  };
}
