/**
 * The shortened safe body served when the worker pool cannot render one (its time budget ran
 * out, the worker died, the pool is closed): plain text from the first `FALLBACK_CHARS` of the
 * source, markup stripped by one linear scan, escaped into `<p>` for `bodyHtml`. It runs on the
 * event loop, so its cost is bounded by that constant, never by what the vendor sent; it trades
 * fidelity for that (no tables, no links), and says so with `truncated: true`.
 *
 * Kept by hand, not a library: every HTML library parses the whole document, which is exactly
 * the unbounded work this path exists to avoid.
 */
import type { BodyFormat } from '../domain/model.js';
import { textToHtml, type RenderedBody } from './render.js';

/** Source characters a fallback looks at. */
export const FALLBACK_CHARS = 16_384;

/** Elements whose content is never text (CONTRACT §2: script and style content dropped). */
const HIDDEN_ELEMENTS = ['script', 'style', 'head', 'template', 'noscript', 'textarea'];

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function fallbackBody(format: BodyFormat, source: string | null, vendorText: string | null, maxChars = FALLBACK_CHARS): RenderedBody {
  const chars = Math.min(maxChars, FALLBACK_CHARS);
  const text = blankToNull(vendorText?.slice(0, chars)) ?? fromSource(format, source, chars);
  // Served in place of a body that could not be rendered: shortened, whatever is left of it.
  const truncated = source !== null || vendorText !== null;
  if (text === null) return { bodyText: null, bodyHtml: null, truncated };
  return { bodyText: text, bodyHtml: textToHtml(text), truncated };
}

function fromSource(format: BodyFormat, source: string | null, chars: number): string | null {
  if (source === null) return null;
  const head = source.slice(0, chars);
  return blankToNull(format === 'TEXT' ? head : stripMarkup(head));
}

/** Text of an HTML (or Markdown-with-HTML) fragment: tags and hidden elements' content removed. */
export function stripMarkup(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open === -1) {
      out += html.slice(at);
      break;
    }
    out += html.slice(at, open);
    const close = html.indexOf('>', open + 1);
    if (close === -1) break; // an unterminated tag: nothing after it is text
    const name = /^<\s*([a-z0-9]+)/.exec(lower.slice(open, Math.min(close, open + 32)))?.[1];
    at = close + 1;
    if (name !== undefined && HIDDEN_ELEMENTS.includes(name)) {
      const end = lower.indexOf(`</${name}`, at);
      at = end === -1 ? html.length : (lower.indexOf('>', end) + 1 || html.length);
    }
    out += ' ';
  }
  return out
    .replace(/&(#39|amp|lt|gt|quot|apos|nbsp);/g, (_match, name: string) => ENTITIES[name] ?? '')
    .replace(/[ \t\f\v\r]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

function blankToNull(value: string | null | undefined): string | null {
  return value == null || value.trim() === '' ? null : value;
}
