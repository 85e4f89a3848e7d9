/**
 * The per-request GraphQL context. Loaders are made here, per request, so de-duplication never
 * leaks one caller's results into another's; the shared cache lives in the TicketService.
 * The context also carries who is asking (the caller), this request's id and logger, and the
 * limits the schema enforces.
 */
import DataLoader from 'dataloader';
import type { BodyRendering } from '../bodies/body-renderer.js';
import { DeskGraphError, ticketLabel } from '../domain/errors.js';
import type { TicketRead } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import { checkRef, isValidRef } from '../domain/refs.js';
import { tracedBatch } from '../telemetry/loader-span.js';
import type { TicketService } from '../upstream/ticket-service.js';
import type { AttachmentLinks } from './attachment-links.js';
import { mayRead, OPEN_CALLER, type Caller } from './auth.js';
import type { Logger } from './logger.js';
import type { ProviderDirectory } from './providers.js';

export interface TicketKey {
  provider: Provider;
  ref: string;
}

/** What the loader (and `refreshTicket`) need of the ticket service (tests may pass a fake without `refresh`). */
export type TicketReader = Pick<TicketService, 'read'> & Partial<Pick<TicketService, 'refresh'>>;

export interface GatewayContext {
  /**
   * Tickets by provider + ref for this request. Contract (as dataloader's): results come in key
   * order, one Error for each key that failed, and a ref asked for twice is read once. A
   * provider the caller may not read is FORBIDDEN without any read.
   */
  tickets: DataLoader<TicketKey, TicketRead, string>;
  /**
   * `refreshTicket`: reads the vendor now and replaces the cached copy. FORBIDDEN (and no vendor
   * call) for a provider the caller may not read; a bad ref is BAD_USER_INPUT.
   */
  refresh(key: TicketKey): Promise<TicketRead>;
  directory: ProviderDirectory;
  /** Renders message bodies on demand, off the event loop, memoized with the cached ticket. */
  bodies: BodyRendering;
  /** Who is asking: which providers it may read and whether INTERNAL messages exist for it. */
  caller: Caller;
  /** This request's id (`x-request-id`), also on its log lines and masked errors. */
  requestId: string;
  /** This request's logger: every line carries `requestId`. */
  log: Logger;
  /** Most refs one `tickets` call accepts (`limits.refs`). */
  maxRefs: number;
  /** Gateway URLs for the attachments the gateway serves, against this request's public origin. */
  attachmentLinks: AttachmentLinks;
  /**
   * Counts `count` more tickets towards this request's answer (`limits.ticketsPerRequest`,
   * repeats included). Over the limit it throws BAD_USER_INPUT and refuses every read of the
   * request: fields resolve before any read is sent, so the limit costs the vendors nothing.
   */
  claimTickets(count: number): void;
  /**
   * Stops this request from reading any ticket (a field found the request over a limit): loads
   * not yet sent to the vendors, sibling fields' included, fail with `error` instead.
   */
  refuseReads(error: DeskGraphError): void;
}

export interface TicketLoaderOptions {
  /** @default the open caller (every provider) */
  caller?: Caller;
  /**
   * Most distinct tickets this request may read (`limits.upstreamCallsPerRequest`); reads beyond
   * it fail with BAD_USER_INPUT before reaching the service. @default unlimited
   */
  maxReads?: number;
  /** Asked before each batch: an error here fails every key of it, and nothing is read. */
  refusal?: () => DeskGraphError | undefined;
}

export function createTicketLoader(
  service: TicketReader,
  options: TicketLoaderOptions = {},
): DataLoader<TicketKey, TicketRead, string> {
  const caller = options.caller ?? OPEN_CALLER;
  const maxReads = options.maxReads ?? Number.POSITIVE_INFINITY;
  let started = 0;
  return new DataLoader<TicketKey, TicketRead, string>(
    tracedBatch('ticket.batch', async (keys: readonly TicketKey[]): Promise<(TicketRead | Error)[]> => {
      const refused = options.refusal?.();
      if (refused) return keys.map(() => refused);
      const results: (TicketRead | Error)[] = [];
      const reads: number[] = [];
      keys.forEach((key, index) => {
        // Forbidden first: a caller learns nothing, not even whether its ref was well formed.
        if (!mayRead(caller, key.provider)) results[index] = forbidden(key);
        else if (!isValidRef(key.provider, key.ref)) results[index] = refError(key);
        else reads.push(index);
      });
      // A batch holds every ticket the request's fields asked for at once: over the budget, none
      // of them is read, so the limit costs the vendors nothing and never half-serves.
      if (started + reads.length > maxReads) {
        for (const index of reads) results[index] = tooManyReads(keys[index]!, started + reads.length, maxReads);
        return results;
      }
      started += reads.length;
      // Every key starts its read at once: providers are read in parallel, and the service's
      // single flight and cache make repeated keys across requests cheap too.
      await Promise.all(
        reads.map(async (index) => {
          const key = keys[index]!;
          results[index] = await service.read(key.provider, key.ref).catch((error: unknown) => toError(error));
        }),
      );
      return results;
    }),
    // No maxBatchSize: the budget check above needs every ticket of the request in one batch.
    { cacheKeyFn: (key) => `${key.provider}:${key.ref}` },
  );
}

export interface TicketRefresherOptions {
  /** @default the open caller (every provider) */
  caller?: Caller;
  /** Most refreshes this request may make (`limits.upstreamCallsPerRequest`). @default unlimited */
  maxReads?: number;
  /** Asked before each refresh: an error here fails it, and nothing is read. */
  refusal?: () => DeskGraphError | undefined;
}

/** The request's `refreshTicket`: the same checks as a read, in the same order, then the service's refresh. */
export function createTicketRefresher(service: TicketReader, options: TicketRefresherOptions = {}): (key: TicketKey) => Promise<TicketRead> {
  const caller = options.caller ?? OPEN_CALLER;
  const maxReads = options.maxReads ?? Number.POSITIVE_INFINITY;
  let started = 0;
  return async (key) => {
    const refused = options.refusal?.();
    if (refused) throw refused;
    // Forbidden first: a caller learns nothing, not even whether its ref was well formed.
    if (!mayRead(caller, key.provider)) throw forbidden(key);
    if (!isValidRef(key.provider, key.ref)) throw refError(key);
    if (started + 1 > maxReads) throw tooManyReads(key, started + 1, maxReads);
    started += 1;
    if (!service.refresh) throw new Error('this ticket service cannot refresh tickets');
    return service.refresh(key.provider, key.ref);
  };
}

/** `claimTickets` over `maxTickets`, refusing the request's reads through `refuse`. */
export function ticketClaims(maxTickets: number, refuse: (error: DeskGraphError) => void): (count: number) => void {
  let claimed = 0;
  return (count) => {
    claimed += count;
    if (claimed <= maxTickets) return;
    const error = new DeskGraphError(
      'BAD_USER_INPUT',
      `This request asks for at least ${claimed} tickets in one answer (repeats included); one answer may hold at most ${maxTickets} (limits.ticketsPerRequest), so this request reads no ticket.`,
    );
    refuse(error);
    throw error;
  };
}

function forbidden({ provider, ref }: TicketKey): DeskGraphError {
  return new DeskGraphError('FORBIDDEN', `This gateway key may not read ${provider} tickets.`, { provider, ref });
}

/** checkRef's BAD_USER_INPUT for a ref `isValidRef` refused. */
function refError({ provider, ref }: TicketKey): Error {
  try {
    checkRef(provider, ref);
  } catch (error) {
    return toError(error);
  }
  return new DeskGraphError('BAD_USER_INPUT', `${ticketLabel(provider, ref)} has an invalid ref.`, { provider, ref });
}

function tooManyReads({ provider, ref }: TicketKey, asked: number, maxReads: number): DeskGraphError {
  return new DeskGraphError(
    'BAD_USER_INPUT',
    `This request asks for ${asked} tickets; one request may read at most ${maxReads} (limits.upstreamCallsPerRequest). ${ticketLabel(provider, ref)} was not read.`,
    { provider, ref },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
