/** Small pure helpers every mapper shares: timestamps, priorities, people. */
import type { IsoDateTime, MessageBody, Person, TicketPriority } from '../domain/model.js';

/** An ISO 8601 string with any offset → UTC with milliseconds; null/blank/unparseable → null. */
export function isoFromString(value: string | null | undefined): IsoDateTime | null {
  if (value == null || value.trim() === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Date's range: ±100,000,000 days around 1970; beyond it `toISOString` throws. */
const MAX_EPOCH_MS = 8.64e15;

/** Unix seconds (Intercom) → ISO UTC with milliseconds; out of Date's range → null. */
export function isoFromUnixSeconds(value: number | null | undefined): IsoDateTime | null {
  if (value == null || !Number.isFinite(value) || Math.abs(value * 1000) > MAX_EPOCH_MS) return null;
  return new Date(value * 1000).toISOString();
}

/**
 * A vendor value's entry in a mapping table. `Object.hasOwn`, not `table[value]`: a vendor
 * string such as "constructor" or "__proto__" must not read the object's prototype.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, value: string | null | undefined): T | undefined {
  return value != null && Object.hasOwn(table, value) ? table[value] : undefined;
}

/**
 * An absolute http(s) URL, or null. Attachment URLs are links dashboards render: a
 * `javascript:` or `data:` one (or a string that is no URL) is dropped, not served.
 */
export function httpUrl(value: string | null | undefined): string | null {
  if (value == null) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

const PRIORITY_NAMES: Record<string, TicketPriority> = {
  low: 'LOW',
  normal: 'NORMAL',
  medium: 'NORMAL',
  high: 'HIGH',
  urgent: 'URGENT',
  critical: 'CRITICAL',
};

/** CONTRACT §2 "Priorities": low/normal/medium/high/urgent/critical; anything else is null. */
export function priorityFromName(value: string | null | undefined): TicketPriority | null {
  if (value == null) return null;
  return lookup(PRIORITY_NAMES, value.toLowerCase()) ?? null;
}

/** A Person, or null when every field is empty. */
export function person(fields: Partial<Person>): Person | null {
  const result: Person = {
    name: fields.name ?? null,
    email: fields.email ?? null,
    vendorId: fields.vendorId ?? null,
  };
  return result.name === null && result.email === null && result.vendorId === null ? null : result;
}

/** Sorts oldest first, stable, so vendor order breaks ties; undated messages keep their place last. */
export function oldestFirst<T extends { createdAt: IsoDateTime | null }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const ta = a.item.createdAt === null ? Number.POSITIVE_INFINITY : Date.parse(a.item.createdAt);
      const tb = b.item.createdAt === null ? Number.POSITIVE_INFINITY : Date.parse(b.item.createdAt);
      return ta === tb ? a.index - b.index : ta - tb;
    })
    .map(({ item }) => item);
}

/**
 * A message body as the vendor sent it, kept for lazy rendering (`src/bodies/`): mappers never
 * parse markup, so mapping costs the same whatever a body holds. Blank is no body.
 */
export function messageBody(source: string | null | undefined, vendorText: string | null = null): MessageBody {
  return { source: source == null || source.trim() === '' ? null : source, vendorText: vendorText?.trim() ? vendorText : null };
}

/** No readable body (redacted, encrypted). */
export const NO_BODY: MessageBody = Object.freeze({ source: null, vendorText: null });
