/**
 * The simulator's desk: a vendor's tickets by every key they can be looked up with (id and
 * number aliases), and the `synthesize` control's fallback, which makes every well-formed ref a
 * ticket (a re-keyed copy of the vendor's template) so a benchmark can read as many distinct
 * tickets as it likes.
 */
import type { Provider } from '../domain/provider.js';

/** Tickets by every key they can be looked up with. */
export class TicketStore<T> {
  private readonly byKey = new Map<string, T>();
  private readonly all: T[] = [];
  /** Answers keys the store does not hold (the `synthesize` control); null for none. */
  fallback: ((key: string) => T | undefined) | null = null;

  constructor(private readonly keysOf: (ticket: T) => string[]) {}

  add(ticket: T): void {
    this.all.push(ticket);
    for (const key of this.keysOf(ticket)) this.byKey.set(key, ticket);
  }

  get(key: string): T | undefined {
    return this.byKey.get(key) ?? this.fallback?.(key);
  }

  list(): readonly T[] {
    return this.all;
  }

  clear(): void {
    this.all.length = 0;
    this.byKey.clear();
  }
}

/**
 * The store's fallback when `synthesize` is on: a copy of `template` re-keyed to the key asked
 * for (not stored, so the same ref gives the same ticket). Throws for a vendor that gives no
 * template or no `rekey`, so the control is refused rather than silently ignored.
 */
export function synthesizer<T>(
  provider: Provider,
  template: T | undefined,
  rekey: ((template: T, key: string) => T | undefined) | undefined,
): (key: string) => T | undefined {
  if (template === undefined || !rekey) throw new Error(`the ${provider} simulator cannot synthesize tickets`);
  return (key) => rekey(template, key);
}
