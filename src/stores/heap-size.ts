/**
 * What a cached ticket occupies on V8's heap, so that `cache.maxBytes` bounds memory rather than
 * the length of some serialised form (see `heapBytes`).
 */
import type { Ticket } from '../domain/model.js';

/**
 * Per-entry cost beyond the ticket itself: the entry object with its `fetchedAt`, the key,
 * lru-cache's bookkeeping (map slot, list links, ttl and start times, size) and one or two
 * aliases (measured at ~360 bytes), plus the store's slot object with its freshness deadline and
 * extra charge (~40 bytes); rounded up.
 */
const ENTRY_OVERHEAD_BYTES = 416;

/*
 * What a ticket occupies on V8's heap (64-bit, no pointer compression: Node's default build).
 * `maxBytes` bounds memory, so this counts what the heap holds rather than a serialised form:
 * JSON text ×2 overstated a typical ticket by ~60% (V8 keeps Latin-1 strings one byte a
 * character, and JSON's repeated keys live once, in the object's hidden class). The estimate is
 * within 2% of the heap measured per entry, for short and long threads alike
 * (`npm run bench` fills a cache to maxBytes with 100k tickets and reports the process's RSS).
 */
const POINTER_BYTES = 8;
/** Hidden class, properties and elements pointers. */
const OBJECT_HEADER_BYTES = 3 * POINTER_BYTES;
/** JSArray: map, properties, elements, length. */
const ARRAY_BYTES = 4 * POINTER_BYTES;
/** The elements' FixedArray: map and length (an empty array shares one). */
const ELEMENTS_HEADER_BYTES = 2 * POINTER_BYTES;
/** Map, hash and length. */
const STRING_HEADER_BYTES = 16;
const HEAP_NUMBER_BYTES = 16;
const WIDE_CHARACTER = /[^\u0000-\u00ff]/;
/** The model's enum values (`OPEN`, `PUBLIC`, `MARKDOWN`…): string literals every ticket shares. */
const ENUM_VALUE = /^[A-Z][A-Z_]{0,31}$/;

/** What one cache entry holding `ticket` is charged, bookkeeping included. */
export function entrySize(ticket: Ticket): number {
  return heapBytes(ticket) + ENTRY_OVERHEAD_BYTES;
}

/** Bytes `value` allocates beyond the pointer-sized slot that holds it. */
export function heapBytes(value: unknown): number {
  switch (typeof value) {
    case 'string': {
      if (ENUM_VALUE.test(value)) return 0;
      const width = WIDE_CHARACTER.test(value) ? 2 : 1;
      return align(STRING_HEADER_BYTES + value.length * width);
    }
    case 'number':
      // Small integers live in the slot itself; anything else is a boxed double.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : HEAP_NUMBER_BYTES;
    case 'object': {
      if (value === null) return 0;
      let bytes = 0;
      if (Array.isArray(value)) {
        if (value.length === 0) return ARRAY_BYTES;
        for (const item of value) bytes += POINTER_BYTES + heapBytes(item);
        return ARRAY_BYTES + ELEMENTS_HEADER_BYTES + bytes;
      }
      for (const key in value) bytes += POINTER_BYTES + heapBytes((value as Record<string, unknown>)[key]);
      return OBJECT_HEADER_BYTES + bytes;
    }
    default:
      // Booleans and undefined are shared constants.
      return 0;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / POINTER_BYTES) * POINTER_BYTES;
}

