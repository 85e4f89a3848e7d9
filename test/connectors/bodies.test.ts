import { describe, expect, it } from 'vitest';
import { renderBody } from '../../src/connectors/bodies.js';

describe('renderBody', () => {
  it('escapes TEXT and keeps line breaks; the text stays as written', () => {
    expect(renderBody('TEXT', 'a <b>bold</b> & "quoted"\nnext line')).toEqual({
      bodyText: 'a <b>bold</b> & "quoted"\nnext line',
      bodyHtml: '<p>a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;<br>\nnext line</p>',
    });
  });

  it('renders Markdown, with raw HTML escaped rather than passed through', () => {
    expect(renderBody('MARKDOWN', '# Title\n\n- one\n- **two**\n\n<img src=x onerror=alert(1)>')).toEqual({
      bodyHtml: '<h1>Title</h1>\n<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n<p>&lt;img src=x onerror=alert(1)&gt;</p>',
      bodyText: 'Title\n\n * one\n * two\n\n<img src=x onerror=alert(1)>',
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
    expect(renderBody(format, '')).toEqual({ bodyText: null, bodyHtml: null });
    expect(renderBody(format, '   \n')).toEqual({ bodyText: null, bodyHtml: null });
    expect(renderBody(format, null)).toEqual({ bodyText: null, bodyHtml: null });
  });

  it('gives null when sanitizing leaves nothing', () => {
    expect(renderBody('HTML', '<script>alert(1)</script>')).toEqual({ bodyText: null, bodyHtml: null });
  });
});

describe('renderBody edge cases', () => {
  it('treats markup with no text as empty, but keeps an image-only body', () => {
    expect(renderBody('HTML', '<p> </p><div><br></div>')).toEqual({ bodyText: null, bodyHtml: null });
    expect(renderBody('HTML', '<p><img src="https://cdn.example/a.png" alt=""></p>')).toEqual({
      bodyText: null,
      bodyHtml: '<p><img src="https://cdn.example/a.png" alt="" /></p>',
    });
  });

  it('drops relative URLs, which would resolve against the dashboard rendering them', () => {
    expect(renderBody('HTML', '<a href="/logout">out</a><img src="x"><a href="mailto:a@b.example">mail</a>').bodyHtml).toBe(
      '<a rel="noopener noreferrer nofollow" target="_blank">out</a><a href="mailto:a@b.example" rel="noopener noreferrer nofollow" target="_blank">mail</a>',
    );
  });
});
