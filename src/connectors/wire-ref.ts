/**
 * The vendor id that becomes a ticket's canonical ref (CONTRACT §2). `Ticket.ref`, the global id
 * and the federation key `provider ref` all promise the ticket can be read again by it, so an id
 * DeskGraph's own ref check would refuse is not the answer the vendor's API promises:
 * UPSTREAM_BAD_RESPONSE, not a ticket that cannot be read back.
 */
import { z } from 'zod';
import type { Provider } from '../domain/provider.js';
import { isValidRef } from '../domain/refs.js';

export function fetchableRef(provider: Provider) {
  return z.string().refine((value) => isValidRef(provider, value), `is not a ${provider} ref DeskGraph can read the ticket back by`);
}
