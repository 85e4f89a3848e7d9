/**
 * XSS: vectors in the style of the OWASP XSS filter evasion cheat sheet, sent as Tickiti and
 * Intercom HTML bodies and as Headoni Markdown bodies, through each vendor's wire schema and
 * mapper. The output is parsed with htmlparser2 (what a browser-grade parser makes of it, entities
 * decoded) and must hold only allowed tags and attributes, no event handler, no style, no
 * comment, and no URL but http(s)/mailto/tel (cid for images). `bodyText` must hold no markup:
 * any `<…>` in it is text the safe HTML shows as text too.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { MapContext } from '../../src/connectors/connector.js';
import { mapHeadoniTicket } from '../../src/connectors/headoni/map.js';
import { headoniTicket } from '../../src/connectors/headoni/wire.js';
import { mapIntercomTicket } from '../../src/connectors/intercom/map.js';
import { intercomTicket } from '../../src/connectors/intercom/wire.js';
import { mapTickitiTicket } from '../../src/connectors/tickiti/map.js';
import { tickitiShowData } from '../../src/connectors/tickiti/wire.js';
import { headoniSampleTickets } from '../../src/simulators/headoni/data.js';
import { intercomSampleTickets } from '../../src/simulators/intercom/data.js';
import { tickitiSampleTickets } from '../../src/simulators/tickiti/data.js';
import { withBodies, type RenderedMessage } from '../helpers/bodies.js';

/**
 * HTML vectors with nothing safe in them: sanitizing leaves no content, so the message's bodyHtml
 * and bodyText are both null (CONTRACT: an empty body is null, not ""). In Markdown too, where
 * raw HTML is treated as HTML, except the few that are no HTML tag to a Markdown renderer
 * (`<script/xss …>`, an unclosed `<img …`): those are text there.
 */
const GONE = new Set<string>();
const MARKDOWN_TEXT = new Set<string>();
/** HTML vectors whose only safe content is an image: bodyHtml holds it, bodyText is null. */
const IMAGE_ONLY = new Set<string>();
const gone = (vector: string) => (GONE.add(vector), vector);
const markdownText = (vector: string) => (MARKDOWN_TEXT.add(vector), vector);
const imageOnly = (vector: string) => (IMAGE_ONLY.add(vector), vector);

/** HTML vectors (also sent as Markdown, where raw HTML must come out as text). */
const HTML_VECTORS = [
  // Script tags, case and syntax variants
  gone('<script>alert(1)</script>'),
  gone('<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>'),
  gone('<ScRiPt>alert(1)</sCrIpT>'),
  markdownText(gone('<script/xss src="http://xss.rocks/xss.js"></script>')),
  '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
  gone('<SCRIPT SRC=//xss.rocks/.j>'),
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '"><script>alert(document.domain)</script>',
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
  // javascript: URLs, plain and obfuscated
  gone('<IMG SRC="javascript:alert(\'XSS\');">'),
  markdownText(gone('<IMG SRC=JaVaScRiPt:alert(\'XSS\')>')),
  gone('<IMG SRC=javascript:alert(&quot;XSS&quot;)>'),
  markdownText(gone('<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>')),
  gone('<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>'),
  gone('<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>'),
  gone('<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>'),
  gone('<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>'),
  gone('<IMG SRC="jav\tascript:alert(\'XSS\');">'),
  gone('<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">'),
  gone('<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">'),
  gone('<IMG SRC="jav&#x0D;ascript:alert(\'XSS\');">'),
  gone('<IMG SRC=" &#14;  javascript:alert(\'XSS\');">'),
  '<a href="&#x6a;avascript:alert(1)">x</a>',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<a href="&#1;javascript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="JAVASCRIPT:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="jav&Tab;ascript:alert(1)">x</a>',
  '<a href="javas&#99;ript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(\'XSS\')">x</a>',
  '<a href="livescript:alert(1)">x</a>',
  // data: URLs
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  gone('<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
  '<a href="DaTa:text/html,<script>alert(1)</script>">x</a>',
  // Event handlers
  '<a onmouseover="alert(document.cookie)">xxs link</a>',
  '<a onmouseover=alert(document.cookie)>xxs link</a>',
  gone('<IMG SRC=# onmouseover="alert(\'xxs\')">'),
  markdownText(gone('<IMG SRC= onmouseover="alert(\'xxs\')">')),
  gone('<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>'),
  gone('<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">'),
  imageOnly('<img src="https://cdn.example/a.png" onerror=alert(1) ONLOAD=alert(2)>'),
  '<a href="https://ok.example/" onclick="alert(1)">ok</a>',
  gone('<BODY ONLOAD=alert(\'XSS\')>'),
  gone('<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>'),
  gone('<details open ontoggle=alert(1)>'),
  gone('<video><source onerror="alert(1)"></video>'),
  gone('<isindex type=image src=1 onerror=alert(1)>'),
  gone('<img src=x:alert(alt) onerror=eval(src) alt=0>'),
  // svg, math, iframe, object, embed, frames
  markdownText(gone('<svg/onload=alert(\'XSS\')>')),
  gone('<svg><script>alert(1)</script></svg>'),
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math href="javascript:alert(1)">CLICK</math>',
  gone('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'),
  gone('<iframe src="javascript:alert(\'XSS\');"></iframe>'),
  gone('<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
  gone('<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>'),
  gone('<FRAMESET><FRAME SRC="javascript:alert(\'XSS\');"></FRAMESET>'),
  gone('<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>'),
  gone('<object data="javascript:alert(1)"></object>'),
  gone('<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=" type="image/svg+xml" AllowScriptAccess="always"></EMBED>'),
  // Styles and CSS expressions
  gone('<STYLE>@import\'http://xss.rocks/xss.css\';</STYLE>'),
  gone('<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>'),
  '<DIV STYLE="background-image: url(javascript:alert(\'XSS\'))">styled</DIV>',
  '<DIV STYLE="width: expression(alert(\'XSS\'));">styled</DIV>',
  gone('<IMG STYLE="xss:expr/*XSS*/ession(alert(\'XSS\'))">'),
  '<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>',
  gone('<XSS STYLE="behavior: url(xss.htc);">'),
  // base, meta, link, form
  gone('<BASE HREF="javascript:alert(\'XSS\');//">'),
  gone('<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">'),
  gone('<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">'),
  gone('<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">'),
  gone('<form action="javascript:alert(1)"><input type="submit" value="go"></form>'),
  '<button formaction="javascript:alert(1)">x</button>',
  gone('<TABLE BACKGROUND="javascript:alert(\'XSS\')"><TD BACKGROUND="javascript:alert(\'XSS\')">cell</TD></TABLE>'),
  gone('<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">'),
  gone('<BGSOUND SRC="javascript:alert(\'XSS\');">'),
  gone('<BR SIZE="&{alert(\'XSS\')}">'),
  // Malformed, nested, commented, templated
  gone('<!--[if gte IE 4]><SCRIPT>alert(\'XSS\');</SCRIPT><![endif]-->'),
  gone('<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(\'XSS\')"></B></I></XML>'),
  gone('<template><script>alert(1)</script></template>'),
  gone('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
  '<a href="javascript:alert(1)"<b>broken</b>',
  markdownText(gone('<img src="x" onerror="alert(1)"')),
  '<div id="x" data-x="javascript:alert(1)" class="y" tabindex="1">attrs</div>',
  // Relative and protocol-relative URLs: they would point into the dashboard's own origin
  '<a href="/logout">rel</a><img src="//evil.example/x.png"><a href="\\\\evil.example">bs</a>',
];

/** Markdown-only vectors (Headoni renders Markdown with raw HTML off, then sanitizes). */
const MARKDOWN_VECTORS = [
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](jav&#x61;script:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![img](javascript:alert(1))',
  '![img](x" onerror="alert(1))',
  '<javascript:alert(1)>',
  '[a](<javascript:alert(1)>)',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '[x](https://ok.example/ "title\\" onmouseover=\\"alert(1)")',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
];

/** What may appear: sanitize-html's defaults (no style) plus img, del, ins, s, u, font. */
const ALLOWED_TAGS = new Set([
  'address', 'article', 'aside', 'footer', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hgroup', 'main', 'nav', 'section',
  'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'hr', 'li', 'ol', 'p', 'pre', 'ul', 'a', 'abbr', 'b', 'bdi',
  'bdo', 'br', 'cite', 'code', 'data', 'dfn', 'em', 'i', 'kbd', 'mark', 'q', 'rb', 'rp', 'rt', 'rtc', 'ruby', 's', 'samp',
  'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'caption', 'col', 'colgroup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'img', 'del', 'ins', 'font', 'main',
]);
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel', 'target'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  ol: ['start'],
  font: ['color'],
};
/** Never, whatever the allow-list says. */
const ACTIVE_TAGS = /^(script|style|iframe|frame|frameset|object|embed|applet|base|meta|link|form|input|button|textarea|select|svg|math|template|noscript|xml|video|audio|source|bgsound|isindex|body|html|head|title)$/;

/** A browser ignores these around and inside a scheme ("java\tscript:"), so the check does too. */
const stripIgnored = (url: string) => url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();

/** Every way the output could still run script or escape its box; [] when safe. */
function activeContent(html: string): string[] {
  const problems: string[] = [];
  const document = parseDocument(html);
  for (const node of DomUtils.filter(() => true, document.children, true)) {
    if (node.type === 'comment' || node.type === 'cdata' || node.type === 'directive') problems.push(`a ${node.type} node`);
    if (!DomUtils.isTag(node)) continue;
    const tag = node.name;
    if (!ALLOWED_TAGS.has(tag) || ACTIVE_TAGS.test(tag)) problems.push(`<${tag}>`);
    for (const [name, value] of Object.entries(node.attribs)) {
      if (/^on/i.test(name) || name === 'style' || !(ALLOWED_ATTRIBUTES[tag] ?? []).includes(name)) problems.push(`<${tag} ${name}>`);
      if (name === 'href' || name === 'src') {
        const url = stripIgnored(value);
        const schemes = name === 'src' ? /^(https?|cid):/ : /^(https?|mailto|tel):/;
        if (!schemes.test(url)) problems.push(`<${tag} ${name}="${value}">`);
      }
    }
    if (tag === 'a' && node.attribs['href'] !== undefined) {
      if (node.attribs['rel'] !== 'noopener noreferrer nofollow' || node.attribs['target'] !== '_blank') problems.push('<a> without rel/target');
    }
  }
  // And as raw text: nothing a lenient parser could still take for a script or handler.
  if (/<\s*\/?\s*(script|iframe|object|embed|svg|math|style)\b/i.test(html)) problems.push('raw active tag text');
  return problems;
}

/**
 * `<…>` sequences in bodyText that are not text of the safe bodyHtml: markup that leaked into
 * the text. Text the author wrote (an escaped "&lt;b&gt;" in HTML; raw HTML in Markdown, which
 * is rendered as text) shows in both and may stay.
 */
function markupIn(bodyText: string, bodyHtml: string | null): string[] {
  const squash = (text: string) => text.replace(/\s+/g, ' ');
  const shown = squash(bodyHtml === null ? '' : DomUtils.textContent(parseDocument(bodyHtml)));
  return [...squash(bodyText).matchAll(/<[^<>]*>/g)].map(([tag]) => tag).filter((tag) => !shown.includes(tag));
}

const context: MapContext = { now: Date.parse('2026-06-04T15:00:00.000Z'), priorityMap: {}, absoluteUrl: (path) => new URL(path, 'https://vendor.example/').toString() };

const VENDORS: { name: string; format: 'HTML' | 'MARKDOWN'; vectors: string[]; map(body: string): RenderedMessage[] }[] = [
  {
    name: 'Tickiti HTML',
    format: 'HTML',
    vectors: HTML_VECTORS,
    map(body) {
      const sample = tickitiSampleTickets()[0]!;
      const data = tickitiShowData.parse({
        ticket: sample.ticket,
        responses: [{ id: '1', is_internal: false, is_pinned: false, staff_response: false, html: body, plain_text: null, attachments: [] }],
      });
      return withBodies(mapTickitiTicket(data, context).messages);
    },
  },
  {
    name: 'Intercom HTML',
    format: 'HTML',
    vectors: HTML_VECTORS,
    map(body) {
      const wire = intercomTicket.parse({
        ...intercomSampleTickets()[0]!,
        ticket_parts: { type: 'ticket_part.list', ticket_parts: [{ id: '1', part_type: 'comment', body, author: { type: 'user' } }] },
      });
      return withBodies(mapIntercomTicket(wire, context).messages);
    },
  },
  {
    name: 'Headoni Markdown',
    format: 'MARKDOWN',
    vectors: [...MARKDOWN_VECTORS, ...HTML_VECTORS],
    map(bodyMd) {
      const wire = headoniTicket.parse({ ...headoniSampleTickets()[0]!, messages: [{ id: '1', authorKind: 'end_user', bodyMd, createdAt: null }] });
      return withBodies(mapHeadoniTicket(wire).messages);
    },
  },
];

describe.each(VENDORS)('$name bodies', ({ format, vectors, map }) => {
  // What each vector must leave, decided here and not by what the mapper happened to return.
  const emptied = vectors.filter((vector) => GONE.has(vector) && !(format === 'MARKDOWN' && MARKDOWN_TEXT.has(vector)));
  const images = vectors.filter((vector) => IMAGE_ONLY.has(vector));
  const kept = vectors.filter((vector) => !emptied.includes(vector) && !images.includes(vector));

  it.each(kept)('neutralise %j, keeping safe HTML and text', (vector) => {
    const [message] = map(vector);
    expect(message).toBeDefined();
    const { bodyHtml, bodyText } = message!;
    expect(bodyHtml).toEqual(expect.any(String));
    expect(bodyText).toEqual(expect.any(String));
    expect(activeContent(bodyHtml!), bodyHtml!).toEqual([]);
    expect(markupIn(bodyText!, bodyHtml), bodyText!).toEqual([]);
  });

  it.each(images)('neutralise %j, keeping only the image', (vector) => {
    const [message] = map(vector);
    expect(message).toBeDefined();
    expect(message!.bodyText).toBeNull();
    expect(message!.bodyHtml).toMatch(/^<img [^<>]*>$/);
    expect(activeContent(message!.bodyHtml!), message!.bodyHtml!).toEqual([]);
  });

  it.each(emptied)('neutralise %j to nothing: null bodies', (vector) => {
    const [message] = map(vector);
    expect(message).toBeDefined();
    expect({ bodyHtml: message!.bodyHtml, bodyText: message!.bodyText }).toEqual({ bodyHtml: null, bodyText: null });
  });

  it('still keep safe content: text, formatting and absolute http(s) links', () => {
    const source =
      format === 'HTML'
        ? '<p>Hello <b>there</b>, see <a href="https://ok.example/docs">the docs</a>.</p>'
        : 'Hello **there**, see [the docs](https://ok.example/docs).';
    const [message] = map(source);
    expect(message!.bodyHtml).toContain('<a href="https://ok.example/docs" rel="noopener noreferrer nofollow" target="_blank">the docs</a>');
    expect(message!.bodyHtml).toMatch(/<(b|strong)>there<\/(b|strong)>/);
    expect(message!.bodyText).toBe('Hello there, see the docs.');
  });
});

it('covers a broad vector list', () => {
  expect(HTML_VECTORS.length).toBeGreaterThanOrEqual(80);
  expect(new Set(HTML_VECTORS).size).toBe(HTML_VECTORS.length);
  expect(MARKDOWN_VECTORS.length).toBeGreaterThanOrEqual(14);
  // Vectors that must leave safe text and HTML (a mapper returning null bodies fails each).
  expect(HTML_VECTORS.length - GONE.size - IMAGE_ONLY.size).toBeGreaterThanOrEqual(25);
});

it('the checker itself flags the raw vectors (it would catch a sanitizer that let them through)', () => {
  const missed = HTML_VECTORS.filter((vector) => activeContent(vector).length === 0);
  // A tag cut off by the end of the input is no tag, to htmlparser2 as to a browser (HTML's
  // "EOF in tag"); after sanitizing, its "<" is escaped, so concatenated bodies cannot revive it.
  expect(missed).toEqual(['<img src="x" onerror="alert(1)"']);
  for (const vendor of VENDORS) expect(vendor.map(missed[0]!)[0]!.bodyHtml ?? '').not.toMatch(/<img/i);
});
