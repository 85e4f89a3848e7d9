import { describe, expect, it } from 'vitest';
import { renderBody as render, MAX_NESTING, MAX_SPAN } from '../../src/bodies/render.js';
import type { BodyFormat } from '../../src/domain/model.js';

const OPTIONS = { maxBytes: 256 * 1024 };
/** renderBody with the default bounds and no vendor text. */
function renderBody(format: BodyFormat, source: string | null) {
  return render(format, source, null, OPTIONS);
}
const NONE = { bodyText: null, bodyHtml: null, truncated: false };

describe('renderBody', () => {
  it('escapes TEXT and keeps line breaks; the text stays as written', () => {
    expect(renderBody('TEXT', 'a <b>bold</b> & "quoted"\nnext line')).toEqual({
      bodyText: 'a <b>bold</b> & "quoted"\nnext line',
      bodyHtml: '<p>a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;<br>\nnext line</p>',
      truncated: false,
    });
  });

  it('renders Markdown; its raw HTML is HTML, sanitized like any vendor HTML', () => {
    expect(renderBody('MARKDOWN', '# Title\n\n- one\n- **two**\n\n<img src=x onerror=alert(1)>')).toEqual({
      bodyHtml: '<h1>Title</h1>\n<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>',
      bodyText: 'Title\n\n * one\n * two',
      truncated: false,
    });
  });

  it('drops a script in Markdown, content and all, and keeps the bold (CONTRACT §2)', () => {
    expect(renderBody('MARKDOWN', 'hello <script>alert(1)</script> <b>bold</b>')).toEqual({
      bodyHtml: '<p>hello  <b>bold</b></p>',
      bodyText: 'hello bold',
      truncated: false,
    });
  });

  it('sanitizes HTML: no script, handlers, javascript: URLs, iframes or styles; text without markup', () => {
    const { bodyHtml, bodyText } = renderBody(
      'HTML',
      '<style>p{position:fixed}</style><p style="position:fixed" onclick="x()">Hi <a href="javascript:alert(1)">x</a> <a href="https://ok.example/">ok</a></p><script>steal()</script><iframe src="https://evil.example"></iframe><img src="data:image/png;base64,AAAA" onerror="x()">',
    );
    expect(bodyHtml).toBe(
      '<p>Hi <a rel="noopener noreferrer nofollow" target="_blank">x</a> <a href="https://ok.example/" rel="noopener noreferrer nofollow" target="_blank">ok</a></p>',
    );
    expect(bodyText).toBe('Hi x ok');
  });

  it('decodes entities and drops Outlook markup in the text', () => {
    const { bodyText } = renderBody(
      'HTML',
      '<html><head><style>.x{}</style></head><body><p class="MsoNormal">EUR&nbsp;249.00 &amp; more<o:p></o:p></p><!--[if gte mso 9]><xml>junk</xml><![endif]--></body></html>',
    );
    expect(bodyText).toBe('EUR 249.00 & more');
  });

  it.each(['HTML', 'MARKDOWN', 'TEXT'] as const)('gives null, not "", for an empty or missing %s body', (format) => {
    expect(renderBody(format, '')).toEqual(NONE);
    expect(renderBody(format, '   \n')).toEqual(NONE);
    expect(renderBody(format, null)).toEqual(NONE);
  });

  it('gives null when sanitizing leaves nothing', () => {
    expect(renderBody('HTML', '<script>alert(1)</script>')).toEqual(NONE);
  });
});

describe('renderBody edge cases', () => {
  it('treats markup with no text as empty, but keeps an image-only body', () => {
    expect(renderBody('HTML', '<p> </p><div><br></div>')).toEqual(NONE);
    expect(renderBody('HTML', '<p><img src="https://cdn.example/a.png" alt=""></p>')).toEqual({
      bodyText: null,
      bodyHtml: '<p><img src="https://cdn.example/a.png" alt="" /></p>',
      truncated: false,
    });
  });

  it('drops relative URLs, which would resolve against the dashboard rendering them', () => {
    expect(renderBody('HTML', '<a href="/logout">out</a><img src="x"><a href="mailto:a@b.example">mail</a>').bodyHtml).toBe(
      '<a rel="noopener noreferrer nofollow" target="_blank">out</a><a href="mailto:a@b.example" rel="noopener noreferrer nofollow" target="_blank">mail</a>',
    );
  });
});

describe('renderBody bounds: work never grows with what a vendor crafts', () => {
  it('clamps colspan and rowspan before any table layout', () => {
    const { bodyHtml, bodyText } = renderBody('HTML', '<p>Hi</p><table><tr><td colspan="1000000" rowspan="99999">x</td><td colspan="-3">y</td></tr></table>');
    expect(bodyHtml).toBe(`<p>Hi</p><table><tr><td colspan="${MAX_SPAN}" rowspan="${MAX_SPAN}">x</td><td>y</td></tr></table>`);
    expect(bodyText).toContain('Hi');
  });

  it('cuts nesting deeper than MAX_NESTING and keeps the text', () => {
    // 80,000 deep: under maxBytes, and seconds of htmlparser2's time without the bound.
    const { bodyHtml, bodyText } = renderBody('HTML', `${'<b>'.repeat(80_000)}deep${'</b>'.repeat(80_000)}`);
    expect(bodyText).toBe('deep');
    expect(bodyHtml!.match(/<b>/g)!.length).toBe(MAX_NESTING);
    expect(bodyHtml!.match(/<\/b>/g)!.length).toBe(MAX_NESTING);
  });

  it('cuts a body over maxBytes at a character boundary and says so', () => {
    const body = `${'é'.repeat(10)}${'x'.repeat(100)}`;
    const cut = render('TEXT', body, null, { maxBytes: 15 });
    expect(cut).toEqual({ bodyText: 'ééééééé', bodyHtml: '<p>ééééééé</p>', truncated: true });
    expect(render('TEXT', 'short', null, { maxBytes: 15 }).truncated).toBe(false);
  });

  it("prefers the vendor's own text, bounded the same way", () => {
    expect(render('HTML', '<p>Hi <b>there</b></p>', 'Hi there (plain)', OPTIONS)).toEqual({
      bodyText: 'Hi there (plain)',
      bodyHtml: '<p>Hi <b>there</b></p>',
      truncated: false,
    });
    expect(render('HTML', '<p>Hi</p>', 'x'.repeat(40), { maxBytes: 10 })).toEqual({ bodyText: 'x'.repeat(10), bodyHtml: '<p>Hi</p>', truncated: true });
  });
});
