/**
 * Ref checking (CONTRACT §2): every ref is checked here before any vendor is asked, so a
 * bad one costs nothing upstream and a path segment can never be smuggled to a vendor. A ref is
 * checked once, where it enters (a GraphQL argument in the ticket loader, a global id, an
 * attachment link); from there on its type, `CheckedRef`, says so, and the ticket service and
 * the connectors accept nothing else.
 */
import { DeskGraphError } from './errors.js';
import type { Ticket } from './model.js';
import type { Provider } from './provider.js';

const DIGITS = /^[0-9]{1,20}$/;

interface RefRule {
  pattern: RegExp;
  /** What a valid ref looks like, for the error message. */
  expected: string;
}

const RULES: Record<Provider, RefRule> = {
  HEADONI: { pattern: DIGITS, expected: 'digits (a ticket number or id)' },
  TICKITI: { pattern: DIGITS, expected: 'digits (the ticket number)' },
  INTERCOM: { pattern: DIGITS, expected: 'digits (the ticket id)' },
  HOSTUP: {
    pattern: /^(?:tkt_[a-z0-9]{1,64}|[0-9]{1,20})$/,
    expected: '"tkt_" followed by lower-case letters or digits, or a ticket number',
  },
  TEAMBATTLES: {
    pattern: /^[A-Za-z0-9_-]{1,128}$/,
    expected: '1 to 128 letters, digits, "_" or "-"',
  },
};

declare const checked: unique symbol;
/** A ref `checkRef` or `isValidRef` passed for its provider. */
export type CheckedRef = string & { readonly [checked]: true };

export function isValidRef(provider: Provider, ref: string): ref is CheckedRef {
  return RULES[provider].pattern.test(ref);
}

/** Returns the ref unchanged when valid; otherwise throws BAD_USER_INPUT. */
export function checkRef(provider: Provider, ref: string): CheckedRef {
  if (isValidRef(provider, ref)) return ref;
  const shown = ref.length > 64 ? `${ref.slice(0, 64)}…` : ref;
  throw new DeskGraphError(
    'BAD_USER_INPUT',
    `${JSON.stringify(shown)} is not a valid ${provider} ref: expected ${RULES[provider].expected}.`,
    { provider, ref },
  );
}

/**
 * Providers whose API also fetches a ticket by its `number` (CONTRACT §2): Headoni tries the
 * number first, then the id; HostUp takes either. Elsewhere the number is a display number the
 * API does not accept (Intercom, TeamBattles) or already the ref (Tickiti), so it is no alias.
 */
const NUMBER_IS_REF: ReadonlySet<Provider> = new Set(['HEADONI', 'HOSTUP']);

/**
 * Every ref that fetches this ticket, as far as its answer tells: the canonical ref and, where
 * the API accepts it, the number. The cache registers them all, so a ticket read by id and then
 * by number is one vendor call. (Headoni ids are 19-digit snowflakes and numbers per-desk
 * counters, so an id that is also another ticket's number does not occur in practice.)
 */
export function ticketRefs(ticket: Pick<Ticket, 'provider' | 'ref' | 'number'>): string[] {
  const refs = [ticket.ref];
  const { number } = ticket;
  if (number !== null && number !== ticket.ref && NUMBER_IS_REF.has(ticket.provider) && isValidRef(ticket.provider, number)) {
    refs.push(number);
  }
  return refs;
}
