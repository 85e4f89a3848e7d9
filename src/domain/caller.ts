/**
 * Who is asking: a caller is what one gateway key (CONTRACT §4 `auth.keys`) may see. The schema
 * reads it to hide INTERNAL messages and the server's caller check makes it (server/auth.ts).
 */
import { PROVIDERS, type Provider } from './provider.js';

export interface Caller {
  /** The key's `name` from the configuration (safe to log); "anonymous" without `auth`. */
  readonly name: string;
  /** Providers this caller may read; others are FORBIDDEN and cost nothing upstream. */
  readonly providers: ReadonlySet<Provider>;
  /** Whether INTERNAL (staff-only) messages exist for this caller at all. */
  readonly internal: boolean;
  /** True when the caller may read every provider. */
  readonly unrestricted: boolean;
}

/** The caller of a gateway without `auth`: everything, internal notes included. */
export const OPEN_CALLER: Caller = Object.freeze({
  name: 'anonymous',
  providers: new Set<Provider>(PROVIDERS),
  internal: true,
  unrestricted: true,
});

export function mayRead(caller: Caller, provider: Provider): boolean {
  return caller.providers.has(provider);
}
