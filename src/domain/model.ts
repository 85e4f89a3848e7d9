/**
 * The unified model (CONTRACT §1) as plain, JSON-serialisable data: mappers build it,
 * the cache stores it, GraphQL reads it. Timestamps are ISO 8601 UTC strings with
 * milliseconds, already normalised by the mappers, so a cached ticket needs no work to serve.
 */
import type { Provider } from './provider.js';

export const TICKET_STATUSES = [
  'OPEN',
  'IN_PROGRESS',
  'WAITING_ON_CUSTOMER',
  'ON_HOLD',
  'RESOLVED',
  'CLOSED',
  'UNKNOWN',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT', 'CRITICAL'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const AUTHOR_KINDS = ['CUSTOMER', 'AGENT', 'SYSTEM', 'AUTOMATION', 'UNKNOWN'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];

export const VISIBILITIES = ['PUBLIC', 'INTERNAL'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const BODY_FORMATS = ['TEXT', 'HTML', 'MARKDOWN'] as const;
export type BodyFormat = (typeof BODY_FORMATS)[number];

export const CACHE_STATUSES = ['MISS', 'HIT', 'STALE'] as const;
export type CacheStatus = (typeof CACHE_STATUSES)[number];

/** ISO 8601, UTC, milliseconds: "2026-06-04T15:21:09.000Z". */
export type IsoDateTime = string;

export interface Person {
  name: string | null;
  email: string | null;
  vendorId: string | null;
}

export interface Group {
  id: string | null;
  name: string | null;
}

export interface Attachment {
  /** Unique across providers (see `domain/global-id.ts`). */
  id: string;
  nativeId: string | null;
  name: string | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  inline: boolean;
  url: string | null;
}

/**
 * A message body as the vendor sent it. It is never served as is: `bodyText` / `bodyHtml` are
 * rendered from it lazily, off the event loop (`src/bodies/`), when a query selects them.
 */
export interface MessageBody {
  /** The stored body in the message's `bodyFormat`, unsanitized; null when empty or redacted. */
  source: string | null;
  /** Plain text the vendor keeps beside its markup (Tickiti's `plain_text`), preferred as `bodyText`. */
  vendorText: string | null;
}

export interface Message {
  /** Unique across providers. */
  id: string;
  nativeId: string;
  authorKind: AuthorKind;
  author: Person | null;
  visibility: Visibility;
  pinned: boolean;
  bodyFormat: BodyFormat;
  body: MessageBody;
  createdAt: IsoDateTime | null;
  updatedAt: IsoDateTime | null;
  attachments: Attachment[];
}

/** A ticket as a mapper returns it: everything but the gateway's own read metadata. */
export interface Ticket {
  provider: Provider;
  /** The canonical, fetchable ref (CONTRACT §2). */
  ref: string;
  nativeId: string;
  number: string | null;
  subject: string | null;
  description: string | null;
  status: TicketStatus;
  vendorStatus: string | null;
  statusLabel: string | null;
  priority: TicketPriority | null;
  vendorPriority: string | null;
  requester: Person | null;
  assignee: Person | null;
  group: Group | null;
  category: string | null;
  createdAt: IsoDateTime | null;
  updatedAt: IsoDateTime | null;
  resolvedAt: IsoDateTime | null;
  closedAt: IsoDateTime | null;
  /** Oldest first; vendor order breaks ties. */
  messages: Message[];
  /** Ticket-level attachments only; GraphQL appends each message's. */
  attachments: Attachment[];
}

/** A ticket together with how and when the gateway read it. */
export interface TicketRead {
  ticket: Ticket;
  fetchedAt: IsoDateTime;
  cacheStatus: CacheStatus;
}
