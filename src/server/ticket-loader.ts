/**
 * The request's ticket reads: a dataloader per request (so de-duplication never leaks one
 * caller's results into another's; the shared cache lives in the TicketService) and the
 * `refreshTicket` reads, both with the same checks in the same order before the service is asked:
 *
 * 1. the request's budget (server/request-budget.ts): a request over a limit reads nothing;
 * 2. the caller's scope (domain/caller.ts): FORBIDDEN, without even checking the ref;
 * 3. the ref, checked here once for the whole read (`checkRef`): BAD_USER_INPUT;
 * 4. `limits.upstreamCallsPerRequest` distinct reads, counted for loads and refreshes together.
 */
import DataLoader from 'dataloader';
import { mayRead, OPEN_CALLER, type Caller } from '../domain/caller.js';
import { DeskGraphError, ticketLabel } from '../domain/errors.js';
import type { TicketRead } from '../domain/model.js';
import { checkRef, type CheckedRef } from '../domain/refs.js';
import type { TicketKey } from '../schema/context.js';
import { tracedBatch } from '../telemetry/loader-span.js';
import type { TicketService } from '../upstream/ticket-service.js';
import { RequestBudget } from './request-budget.js';

/** What the loader (and `refreshTicket`) need of the ticket service (tests may pass a fake without `refresh`). */
export type TicketReader = Pick<TicketService, 'read'> & Partial<Pick<TicketService, 'refresh'>>;

export interface TicketLoaderOptions {
  /** @default the open caller (every provider) */
  caller?: Caller;
  /** The request's budget. @default unlimited */
  budget?: RequestBudget;
}

const UNLIMITED = { refs: Number.POSITIVE_INFINITY, ticketsPerRequest: Number.POSITIVE_INFINITY, upstreamCallsPerRequest: Number.POSITIVE_INFINITY };

/** A key that passed checks 1–3, or the error that stops it. */
function checked(key: TicketKey, caller: Caller, budget: RequestBudget): { ref: CheckedRef } | { error: Error } {
  const refused = budget.refusal();
  if (refused) return { error: refused };
  // Forbidden first: a caller learns nothing, not even whether its ref was well formed.
  if (!mayRead(caller, key.provider)) {
    return { error: new DeskGraphError('FORBIDDEN', `This gateway key may not read ${key.provider} tickets.`, { provider: key.provider, ref: key.ref }) };
  }
  try {
    return { ref: checkRef(key.provider, key.ref) };
  } catch (error) {
    return { error: toError(error) };
  }
}

export function createTicketLoader(service: TicketReader, options: TicketLoaderOptions = {}): DataLoader<TicketKey, TicketRead, string> {
  const caller = options.caller ?? OPEN_CALLER;
  const budget = options.budget ?? new RequestBudget(UNLIMITED);
  return new DataLoader<TicketKey, TicketRead, string>(
    tracedBatch('ticket.batch', async (keys: readonly TicketKey[]): Promise<(TicketRead | Error)[]> => {
      const results: (TicketRead | Error)[] = [];
      const reads: { index: number; ref: CheckedRef }[] = [];
      keys.forEach((key, index) => {
        const outcome = checked(key, caller, budget);
        if ('error' in outcome) results[index] = outcome.error;
        else reads.push({ index, ref: outcome.ref });
      });
      // A batch holds every ticket the request's fields asked for at once: over the budget, none
      // of them is read, so the limit costs the vendors nothing and never half-serves.
      if (!budget.startReads(reads.length)) {
        for (const { index } of reads) results[index] = tooManyReads(keys[index]!, reads.length, budget);
        return results;
      }
      // Every key starts its read at once: providers are read in parallel, and the service's
      // single flight and cache make repeated keys across requests cheap too.
      await Promise.all(
        reads.map(async ({ index, ref }) => {
          results[index] = await service.read(keys[index]!.provider, ref).catch((error: unknown) => toError(error));
        }),
      );
      return results;
    }),
    // No maxBatchSize: the budget check above needs every ticket of the request in one batch.
    { cacheKeyFn: (key) => `${key.provider}:${key.ref}` },
  );
}

/** The request's `refreshTicket`: the loader's checks, in its order, then the service's refresh. */
export function createTicketRefresher(service: TicketReader, options: TicketLoaderOptions = {}): (key: TicketKey) => Promise<TicketRead> {
  const caller = options.caller ?? OPEN_CALLER;
  const budget = options.budget ?? new RequestBudget(UNLIMITED);
  return async (key) => {
    const outcome = checked(key, caller, budget);
    if ('error' in outcome) throw outcome.error;
    if (!budget.startReads(1)) throw tooManyReads(key, 1, budget);
    if (!service.refresh) throw new Error('this ticket service cannot refresh tickets');
    return service.refresh(key.provider, outcome.ref);
  };
}

function tooManyReads({ provider, ref }: TicketKey, asked: number, budget: RequestBudget): DeskGraphError {
  const { started, max } = budget.reads();
  return new DeskGraphError(
    'BAD_USER_INPUT',
    `This request asks for ${started + asked} tickets; one request may read at most ${max} (limits.upstreamCallsPerRequest). ${ticketLabel(provider, ref)} was not read.`,
    { provider, ref },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
