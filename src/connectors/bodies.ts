/**
 * Message bodies (CONTRACT §2 "Bodies"). Every vendor body is hostile: dashboards render
 * `bodyHtml` as HTML, so it only ever leaves here sanitized. Done once per fetch, at map time,
 * so a cache hit serves ready strings.
 *
 * - HTML (Tickiti, Intercom): sanitized with sanitize-html; text via html-to-text.
 * - MARKDOWN (Headoni): rendered by markdown-it with raw HTML off, then sanitized all the same.
 * - TEXT (HostUp, TeamBattles): escaped, line breaks kept as <br>; the text is kept as written.
 * An empty or whitespace-only body is null, never "".
 */
import { compile, type HtmlToTextOptions } from 'html-to-text';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import type { BodyFormat } from '../domain/model.js';

export interface RenderedBody {
  bodyText: string | null;
  bodyHtml: string | null;
}

/**
 * What remote images a body may keep. Loading one tells its sender that, when and from where the
 * message was read (a read receipt), so dashboards may want none.
 * - `allow`: http(s) images stay;
 * - `https`: only https ones (an http image is also readable and changeable by anyone on the path);
 * - `drop`: no remote image at all.
 * `cid:` images (parts of the message, never fetched from elsewhere) always stay.
 */
export type RemoteImages = 'allow' | 'https' | 'drop';

/** How vendor HTML is sanitized: plain data, so a worker thread can receive it as it is. */
export interface SanitizeOptions {
  /** @default 'https' */
  remoteImages: RemoteImages;
  /** Largest `width` / `height` an image keeps, in pixels; larger ones are cut to it. @default 2000 */
  maxImageDimension: number;
}

export const DEFAULT_SANITIZE_OPTIONS: SanitizeOptions = Object.freeze({ remoteImages: 'https', maxImageDimension: 2000 });

const IMAGE_SCHEMES: Record<RemoteImages, string[]> = { allow: ['http', 'https', 'cid'], https: ['https', 'cid'], drop: ['cid'] };

/**
 * An image's `width` / `height` as a dashboard can lay it out: whole pixels up to `max` or a
 * percentage up to 100; anything else (`99999999`, `calc(…)`, `-1`) is cut or dropped.
 */
function clampDimensions(attribs: sanitizeHtml.Attributes, max: number): sanitizeHtml.Attributes {
  const out = { ...attribs };
  for (const name of ['width', 'height'] as const) {
    const value = out[name]?.trim();
    if (value === undefined) continue;
    const match = /^(\d{1,12})(px|%)?$/i.exec(value);
    if (!match) delete out[name];
    else if (match[2] === '%') out[name] = `${Math.min(100, Number(match[1]))}%`;
    else out[name] = String(Math.min(max, Number(match[1])));
  }
  return out;
}

function sanitizerFor(options: SanitizeOptions): sanitizeHtml.IOptions {
  const key = `${options.remoteImages}:${options.maxImageDimension}`;
  let built = SANITIZERS.get(key);
  if (!built) {
    built = {
      ...SANITIZE,
      allowedSchemesByTag: { img: IMAGE_SCHEMES[options.remoteImages] },
      transformTags: {
        ...SANITIZE.transformTags,
        img: (tagName, attribs) => ({ tagName, attribs: clampDimensions(onlyAbsolute(attribs, 'src'), options.maxImageDimension) }),
      },
    };
    // One per configuration in practice; bounded anyway.
    if (SANITIZERS.size < 16) SANITIZERS.set(key, built);
  }
  return built;
}

const SANITIZERS = new Map<string, sanitizeHtml.IOptions>();

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
  // An image left without a source (it was relative or unsafe) shows nothing: drop it.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs['src'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...onlyAbsolute(attribs, 'href'), rel: 'noopener noreferrer nofollow', target: '_blank' },
    }),
    img: (tagName, attribs) => ({ tagName, attribs: onlyAbsolute(attribs, 'src') }),
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

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

const TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
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

export function sanitizeVendorHtml(html: string, options: SanitizeOptions = DEFAULT_SANITIZE_OPTIONS): string {
  return sanitizeHtml(html, sanitizerFor(options)).trim();
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

export function renderBody(
  format: BodyFormat,
  raw: string | null | undefined,
  options: SanitizeOptions = DEFAULT_SANITIZE_OPTIONS,
): RenderedBody {
  if (raw == null || raw.trim() === '') return { bodyText: null, bodyHtml: null };
  switch (format) {
    case 'TEXT': {
      const html = escapeHtml(raw.trim()).replace(/\r?\n/g, '<br>\n');
      return { bodyText: raw, bodyHtml: `<p>${html}</p>` };
    }
    case 'HTML':
      return fromSafeHtml(sanitizeVendorHtml(raw, options));
    case 'MARKDOWN':
      return fromSafeHtml(sanitizeVendorHtml(markdown.render(raw), options));
  }
}

/**
 * Text comes from the sanitized HTML so dropped script/style content never leaks into it.
 * Markup with no text and no image (`<p> </p>`, what editors leave of an emptied body) is empty.
 */
function fromSafeHtml(safe: string): RenderedBody {
  const bodyText = blankToNull(htmlToText(safe));
  if (bodyText === null && !/<img\b/i.test(safe)) return { bodyText: null, bodyHtml: null };
  return { bodyText, bodyHtml: blankToNull(safe) };
}
