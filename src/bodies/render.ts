/**
 * Renders one message body (CONTRACT §2 "Bodies"): pure and synchronous, run by the worker pool
 * (`render-worker.ts`), never on the event loop. Every vendor body is hostile: dashboards render
 * `bodyHtml` as HTML, so it only ever leaves here sanitized; and every step whose cost grows with
 * the input is bounded before it runs (size cut to `maxBytes`, table spans clamped, nesting cut,
 * html-to-text's own depth and child limits), so the time budget is a backstop, not the defence.
 *
 * - HTML (Tickiti, Intercom): sanitized with sanitize-html; text via html-to-text.
 * - MARKDOWN (Headoni): rendered by markdown-it with raw HTML on, as Markdown renderers do, then
 *   sanitized like vendor HTML (so `<b>` stays bold and `<script>` goes, content and all).
 * - TEXT (HostUp, TeamBattles): escaped, line breaks kept as <br>; the text is kept as written.
 * An empty or whitespace-only body is null, never "".
 */
import { compile, type HtmlToTextOptions } from 'html-to-text';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import type { BodyFormat } from '../domain/model.js';
import { boundNesting } from './nesting.js';

export interface RenderedBody {
  bodyText: string | null;
  bodyHtml: string | null;
  /** The source was over the bounds (size or render budget): what is here is a shortened safe version. */
  truncated: boolean;
}

export interface RenderOptions {
  /** Largest source rendered, in UTF-8 bytes; a longer one is cut there first. */
  maxBytes: number;
}

/** The deepest element nesting kept; deeper tags are dropped and their text kept. */
export const MAX_NESTING = 64;
/**
 * Widest `colspan` / `rowspan` kept. html-to-text lays a table out cell by cell, so a span of a
 * million (52 bytes of email) is a million cells of work; no real email table spans more.
 */
export const MAX_SPAN = 64;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'style'),
    'img',
    'del',
    'ins',
    's',
    'u',
    'font',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan', 'scope'],
    ol: ['start'],
    font: ['color'],
  },
  // No `style` attribute at all: vendor CSS (Outlook's especially) can overlay or escape the
  // box it is rendered in. No `data:` or `javascript:` anywhere.
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'cid'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nestingLimit: MAX_NESTING,
  // An image left without a source (it was relative or unsafe) shows nothing: drop it.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs['src'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...onlyAbsolute(attribs, 'href'), rel: 'noopener noreferrer nofollow', target: '_blank' },
    }),
    img: (tagName, attribs) => ({ tagName, attribs: onlyAbsolute(attribs, 'src') }),
    td: clampSpans,
    th: clampSpans,
  },
};
// The transforms add rel/target before filtering, so allow them on <a> explicitly.
SANITIZE.allowedAttributes = { ...SANITIZE.allowedAttributes, a: ['href', 'title', 'rel', 'target'] };

/**
 * Drops a relative URL: rendered in a dashboard it would point into the dashboard's own origin
 * (a vendor's `/attachments/…` or a crafted `/logout`), never where the vendor meant.
 */
function onlyAbsolute(attribs: sanitizeHtml.Attributes, name: string): sanitizeHtml.Attributes {
  const value = attribs[name];
  if (value === undefined || /^[a-z][a-z0-9+.-]*:/i.test(value.trim())) return attribs;
  const { [name]: _dropped, ...rest } = attribs;
  return rest;
}

function clampSpans(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const clamped = { ...attribs };
  for (const name of ['colspan', 'rowspan'] as const) {
    const value = clamped[name];
    if (value === undefined) continue;
    const span = Number.parseInt(value, 10);
    if (Number.isNaN(span) || span < 1) delete clamped[name];
    else clamped[name] = String(Math.min(span, MAX_SPAN));
  }
  return { tagName, attribs: clamped };
}

// Raw HTML on: it is sanitized below like any vendor HTML (CONTRACT §2). markdown-it's own
// `maxNesting` (100 in this preset) bounds its block and inline recursion.
const markdown = new MarkdownIt({ html: true, linkify: true, breaks: true });

const TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  // Its input is sanitized (so already cut at MAX_NESTING) and at most maxBytes long: the depth
  // limit keeps its recursion bounded too. No child-node limit: it would cut text silently.
  limits: { maxDepth: MAX_NESTING + 2 },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

/** Compiled once: building the selectors is most of html-to-text's work for one body. */
const toText = compile(TO_TEXT);

export function sanitizeVendorHtml(html: string): string {
  return sanitizeHtml(boundNesting(html, MAX_NESTING), SANITIZE).trim();
}

export function htmlToText(html: string): string {
  // Non-breaking spaces (&nbsp; in email HTML) read as plain spaces in text.
  return toText(html).replaceAll('\u00a0', ' ').trim();
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function blankToNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

/**
 * Renders `source` as `format`. `vendorText` is plain text the vendor keeps beside its markup
 * (Tickiti's `plain_text`): the better text when it has one.
 */
export function renderBody(
  format: BodyFormat,
  source: string | null,
  vendorText: string | null,
  options: RenderOptions,
): RenderedBody {
  const cut = cutToBytes(source, options.maxBytes);
  const text = cutToBytes(vendorText, options.maxBytes);
  const rendered = renderWhole(format, cut.value);
  const bodyText = text.value === null ? rendered.bodyText : text.value;
  // A cut body says so even when what is left renders empty (cut inside its markup).
  return { bodyText, bodyHtml: rendered.bodyHtml, truncated: cut.truncated || text.truncated };
}

function renderWhole(format: BodyFormat, raw: string | null): Omit<RenderedBody, 'truncated'> {
  if (raw === null) return { bodyText: null, bodyHtml: null };
  switch (format) {
    case 'TEXT':
      return { bodyText: raw, bodyHtml: textToHtml(raw) };
    case 'HTML':
      return fromSafeHtml(sanitizeVendorHtml(raw));
    case 'MARKDOWN':
      return fromSafeHtml(sanitizeVendorHtml(markdown.render(raw)));
  }
}

export function textToHtml(text: string): string {
  return `<p>${escapeHtml(text.trim()).replace(/\r?\n/g, '<br>\n')}</p>`;
}

/**
 * `value` cut to at most `maxBytes` of UTF-8 (never inside a character); blank is null. A JS
 * string's UTF-8 size is at most 3 bytes per UTF-16 unit, so short strings skip the count.
 */
export function cutToBytes(value: string | null, maxBytes: number): { value: string | null; truncated: boolean } {
  if (value === null || value.trim() === '') return { value: null, truncated: false };
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value) <= maxBytes) return { value, truncated: false };
  let cut = Buffer.from(value.slice(0, maxBytes)).subarray(0, maxBytes).toString('utf8');
  // A character split at the edge decodes as U+FFFD: drop it.
  if (cut.endsWith('\ufffd')) cut = cut.slice(0, -1);
  return { value: blankToNull(cut), truncated: true };
}

/**
 * Text comes from the sanitized HTML so dropped script/style content never leaks into it.
 * Markup with no text and no image (`<p> </p>`, what editors leave of an emptied body) is empty.
 */
function fromSafeHtml(safe: string): Omit<RenderedBody, 'truncated'> {
  const bodyText = blankToNull(htmlToText(safe));
  if (bodyText === null && !/<img\b/i.test(safe)) return { bodyText: null, bodyHtml: null };
  return { bodyText, bodyHtml: blankToNull(safe) };
}
