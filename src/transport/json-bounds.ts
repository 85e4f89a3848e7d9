/**
 * Bounds on a vendor's JSON answer, checked on its text before JSON.parse (CONTRACT §2: every
 * vendor body is hostile). The byte cap (`maxBodyBytes`) bounds the text; this bounds what the
 * text can make the event loop do:
 *
 * - nesting: V8's JSON.parse takes 1.6 s for a million nested `[` (2 MB);
 * - array length: parsing 1.3 million `{}` parts allocates 1.3 million objects, and wire
 *   validation (zod) then visits each and collects an issue per bad one (33 s and 3 GB before
 *   this check). Connectors cap the arrays they map tighter still (messages per ticket).
 *
 * One linear scan of the text finds both, so nothing is parsed that would be refused. Kept by
 * hand: a streaming JSON parser could count the same, at several times the cost per byte.
 */

export interface JsonBounds {
  /** Deepest nesting of arrays and objects. @default 64 */
  maxDepth: number;
  /** Longest array anywhere in the answer. @default 10000 */
  maxArrayLength: number;
}

export const DEFAULT_JSON_BOUNDS: JsonBounds = { maxDepth: 64, maxArrayLength: 10_000 };

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
/** Marks an object level in `items` (its commas separate members, not items). */
const OBJECT = -1;

/**
 * The scan, fed the text piece by piece as it arrives (the transport decodes each chunk as it
 * comes), so no step of it holds the event loop for more than one chunk. `feed` returns the
 * problem once one is found (and keeps returning it).
 */
export class JsonBoundsScanner {
  // Commas seen so far at each open level: an array of n > 0 items has n - 1.
  private readonly items: Int32Array;
  private depth = 0;
  private inString = false;
  /** A backslash ended the previous piece: the next piece's first character is escaped. */
  private escapeNext = false;
  private problem: string | undefined;

  constructor(private readonly bounds: JsonBounds = DEFAULT_JSON_BOUNDS) {
    this.items = new Int32Array(bounds.maxDepth + 1);
  }

  feed(text: string): string | undefined {
    if (this.problem !== undefined) return this.problem;
    const { bounds, items } = this;
    let { depth, inString } = this;
    let at = 0;
    if (this.escapeNext && text.length > 0) {
      at = 1;
      this.escapeNext = false;
    }
    for (; at < text.length; at += 1) {
      const code = text.charCodeAt(at);
      if (inString) {
        if (code === BACKSLASH) {
          if (at + 1 === text.length) this.escapeNext = true;
          at += 1;
        } else if (code === QUOTE) inString = false;
      } else if (code === QUOTE) inString = true;
      else if (code === COMMA) {
        if (depth > 0 && items[depth] !== OBJECT && ++items[depth]! >= bounds.maxArrayLength) {
          return (this.problem = `it holds an array of more than ${bounds.maxArrayLength} items`);
        }
      } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
        depth += 1;
        if (depth > bounds.maxDepth) return (this.problem = `it nests deeper than ${bounds.maxDepth} levels`);
        items[depth] = code === OPEN_BRACE ? OBJECT : 0;
      } else if ((code === CLOSE_BRACKET || code === CLOSE_BRACE) && depth > 0) depth -= 1;
    }
    this.depth = depth;
    this.inString = inString;
    return undefined;
  }
}

/**
 * Why `text` must not be parsed, or undefined when it is within `bounds`. Malformed JSON is left
 * for JSON.parse to refuse.
 */
export function jsonTextProblem(text: string, bounds: JsonBounds = DEFAULT_JSON_BOUNDS): string | undefined {
  return new JsonBoundsScanner(bounds).feed(text);
}
