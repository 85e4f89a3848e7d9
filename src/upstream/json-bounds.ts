/**
 * Bounds on a vendor's JSON answer, checked before any work that grows with its shape
 * (CONTRACT §2: every vendor body is hostile). The byte cap (`maxBodyBytes`) bounds the text;
 * these bound what the text can make the event loop do:
 *
 * - nesting: V8's JSON.parse takes 1.6 s for a million nested `[` (2 MB), so the depth is
 *   counted by one linear scan of the text first;
 * - array length: wire validation (zod) visits every element and collects an issue per bad one
 *   (1.3 million `{}` parts: 33 s and 3 GB), so after parsing, one iterative walk refuses any
 *   array longer than `maxArrayLength` without descending into it. Connectors cap the arrays
 *   they map tighter still (messages per ticket).
 *
 * Kept by hand: a streaming JSON parser would do the first, but costs more per byte than the
 * scan, and neither check has a library of its own worth the dependency.
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
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Why `text` must not be parsed, or undefined when its nesting is within bounds. */
export function nestingProblem(text: string, maxDepth: number): string | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === BACKSLASH) at += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth += 1;
      if (depth > maxDepth) return `it nests deeper than ${maxDepth} levels`;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth -= 1;
  }
  return undefined;
}

/** Why the parsed `value` must not be validated, or undefined when its arrays are within bounds. */
export function shapeProblem(value: unknown, maxArrayLength: number): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      if (next.length > maxArrayLength) return `it holds an array of ${next.length} items (at most ${maxArrayLength} are read)`;
      for (const item of next) if (typeof item === 'object' && item !== null) pending.push(item);
    } else {
      for (const key in next) {
        const item = (next as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) pending.push(item);
      }
    }
  }
  return undefined;
}
