/** Small pure helpers every mapper shares: timestamps, priorities, people. */
import type { IsoDateTime, Person, TicketPriority } from '../domain/model.js';

/** An ISO 8601 string with any offset → UTC with milliseconds; null/blank/unparseable → null. */
export function isoFromString(value: string | null | undefined): IsoDateTime | null {
  if (value == null || value.trim() === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Unix seconds (Intercom) → ISO UTC with milliseconds. */
export function isoFromUnixSeconds(value: number | null | undefined): IsoDateTime | null {
  if (value == null || !Number.isFinite(value)) return null;
  return new Date(value * 1000).toISOString();
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
  return PRIORITY_NAMES[value.toLowerCase()] ?? null;
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
