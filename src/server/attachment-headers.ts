/**
 * The response headers of a served attachment, from values a vendor controls: its content type
 * and the file's name. Both are checked or encoded so that neither can break a header, smuggle
 * a second one, or make a browser render the file as a page of the gateway's origin.
 */

/** RFC 9110 token characters. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** type/subtype with optional parameters (token or quoted-string values). */
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);

export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';
const MAX_NAME_CHARACTERS = 180;

/** The first well-formed media type of `candidates`, else application/octet-stream. */
export function safeContentType(...candidates: (string | null | undefined)[]): string {
  for (const candidate of candidates) {
    const value = candidate?.trim();
    if (value && value.length <= 200 && MEDIA_TYPE.test(value)) return value;
  }
  return FALLBACK_CONTENT_TYPE;
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266, RFC 8187): an ASCII fallback for old
 * clients and the exact name, percent-encoded, for the rest. Path parts, control characters and
 * quotes never reach the header.
 */
export function contentDisposition(name: string | null | undefined): string {
  const cleaned = cleanFileName(name);
  const ascii = cleaned.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The file name without directories, control or bidi-override characters; "attachment" when nothing is left. */
export function cleanFileName(name: string | null | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  // C0/C1 controls, and the bidirectional overrides that make "txt.exe" read as "exe.txt".
  const visible = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const shortened = [...visible].slice(0, MAX_NAME_CHARACTERS).join('');
  return shortened === '' || shortened === '.' || shortened === '..' ? 'attachment' : shortened;
}
