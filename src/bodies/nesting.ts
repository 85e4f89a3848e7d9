/**
 * Bounds element nesting before any HTML parser sees a body. htmlparser2 (under sanitize-html
 * and html-to-text) takes time quadratic in the depth of unclosed elements: 100,000 `<b>`
 * (300 KB of email) cost it seconds. One linear pass here drops every opening tag that would
 * nest deeper than `limit`, and as many closing tags as were dropped, so no parser below ever
 * holds more than `limit` open elements.
 *
 * Kept by hand, not a library: the point is to run before the parsers, in one pass whose cost is
 * linear in the input whatever it holds. It only deletes whole tags, never adds markup, and its
 * output still goes through the sanitizer, so a tag it misreads (a `>` inside a quoted attribute
 * value) can only turn markup into escaped text, never into active content.
 */

/** Elements that never hold children: they do not nest. */
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

const TAG_NAME = /\/?([a-zA-Z][a-zA-Z0-9:-]*)/y;

export function boundNesting(html: string, limit: number): string {
  let out = '';
  let copiedTo = 0;
  let depth = 0;
  /** Opening tags dropped and not yet matched by a dropped closing tag. */
  let dropped = 0;
  let at = html.indexOf('<');
  while (at !== -1) {
    TAG_NAME.lastIndex = at + 1;
    const name = TAG_NAME.exec(html);
    if (name === null) {
      // "<" not starting a tag (text, a comment, a doctype): not nesting.
      at = html.indexOf('<', at + 1);
      continue;
    }
    const end = html.indexOf('>', TAG_NAME.lastIndex);
    if (end === -1) break;
    const closing = html.charCodeAt(at + 1) === 47; /* "/" */
    const element = name[1]!.toLowerCase();
    let drop = false;
    if (closing) {
      if (dropped > 0) {
        dropped -= 1;
        drop = true;
      } else if (depth > 0) depth -= 1;
    } else if (!VOID_ELEMENTS.has(element)) {
      if (depth >= limit) {
        dropped += 1;
        drop = true;
      } else depth += 1;
    }
    if (drop) {
      out += html.slice(copiedTo, at);
      copiedTo = end + 1;
    }
    at = html.indexOf('<', end + 1);
  }
  return copiedTo === 0 ? html : out + html.slice(copiedTo);
}
