/**
 * What the resolvers get (the GraphQL context), as the schema needs it. The server makes one per
 * request (server/yoga.ts) out of its loader, caller check and budget; the schema knows only
 * these shapes, so it imports nothing from the server.
 */
import type DataLoader from 'dataloader';
import type { BodyRendering } from '../bodies/body-renderer.js';
import type { AttachmentFileKey } from '../domain/attachment-file.js';
import type { Caller } from '../domain/caller.js';
import type { DeskGraphError } from '../domain/errors.js';
import type { TicketRead } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import type { ProviderDirectory } from '../domain/provider-status.js';

/** A ticket as a caller names it: the ref is checked when it is read, not before. */
export interface TicketKey {
  provider: Provider;
  ref: string;
}

/** Gateway URLs for the attachments the gateway serves itself (`/attachments/<id>`). */
export interface AttachmentLinks {
  /** Whether this provider's attachments are served by the gateway (its vendor needs a token). */
  serves(provider: Provider): boolean;
  /** The gateway URL of one attachment; null when the request names no usable origin. */
  url(key: AttachmentFileKey): string | null;
}

/** The request's budget as a root field meets it (server/request-budget.ts decides it). */
export interface FieldBudget {
  /** The error the root field `key` fails with as a whole, when it is itself over a limit. */
  fieldRefusal(key: string | number): DeskGraphError | undefined;
}

export interface GatewayContext {
  /**
   * Tickets by provider + ref for this request. Contract (as dataloader's): results come in key
   * order, one Error for each key that failed, and a ref asked for twice is read once. A
   * provider the caller may not read is FORBIDDEN without any read; a bad ref BAD_USER_INPUT.
   */
  tickets: DataLoader<TicketKey, TicketRead, string>;
  /**
   * `refreshTicket`: reads the vendor now and replaces the cached copy, with the loader's checks
   * in the loader's order (FORBIDDEN without a vendor call, BAD_USER_INPUT for a bad ref).
   */
  refresh(key: TicketKey): Promise<TicketRead>;
  directory: ProviderDirectory;
  /** Renders message bodies on demand, off the event loop, memoized with the cached ticket. */
  bodies: BodyRendering;
  /** Who is asking: which providers it may read and whether INTERNAL messages exist for it. */
  caller: Caller;
  /** Gateway URLs for the attachments the gateway serves, against this request's public origin. */
  attachmentLinks: AttachmentLinks;
  /** `limits.refs` and `limits.ticketsPerRequest`, decided before any resolver runs. */
  budget: FieldBudget;
}
