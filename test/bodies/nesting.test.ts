import { describe, expect, it } from 'vitest';
import { boundNesting } from '../../src/bodies/nesting.js';

describe('boundNesting', () => {
  it('leaves a body within the limit untouched (the same string)', () => {
    const html = '<div><p>Hi <b>there</b><br><img src="https://a.example/x.png"></p></div>';
    expect(boundNesting(html, 3)).toBe(html);
  });

  it('drops opening tags past the limit and as many closing tags, keeping the text', () => {
    expect(boundNesting('<b><i><u>deep</u></i></b> after', 2)).toBe('<b><i>deep</i></b> after');
  });

  it('does not count void elements, comments or stray "<" as nesting', () => {
    expect(boundNesting('<p><br><hr><!-- x --> 1 < 2 <img src=x></p>', 1)).toBe('<p><br><hr><!-- x --> 1 < 2 <img src=x></p>');
  });

  it('bounds unclosed nesting (the quadratic case for htmlparser2)', () => {
    const out = boundNesting(`${'<b>'.repeat(100_000)}x`, 64);
    expect(out).toBe(`${'<b>'.repeat(64)}x`);
  });

  it('keeps the rest of a body after an unterminated tag as it was', () => {
    expect(boundNesting('<b><b>x <a href="', 1)).toBe('<b>x <a href="');
  });
});
