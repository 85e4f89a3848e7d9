/**
 * Remote images and their sizes in message bodies (issue 11, defect 8): `remoteImages` and
 * `maxImageDimension` of the sanitize options (plain data), with `https` the default.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_SANITIZE_OPTIONS, renderBody as render, type SanitizeOptions } from '../../src/bodies/render.js';
import type { BodyFormat } from '../../src/domain/model.js';

const renderBody = (format: BodyFormat, source: string, sanitize?: SanitizeOptions) => render(format, source, null, { maxBytes: 262_144, sanitize });

const html = (body: string, options?: SanitizeOptions) => renderBody('HTML', body, options).bodyHtml;
const IMAGES = '<p>hi</p><img src="http://tracker.example/p.gif" alt="t"><img src="https://cdn.example/logo.png" alt="logo"><img src="cid:part1" alt="inline">';

describe('remoteImages', () => {
  it('https (the default) drops http images and keeps https and cid ones', () => {
    expect(DEFAULT_SANITIZE_OPTIONS.remoteImages).toBe('https');
    expect(html(IMAGES)).toBe('<p>hi</p><img src="https://cdn.example/logo.png" alt="logo" /><img src="cid:part1" alt="inline" />');
  });

  it('allow keeps http and https images', () => {
    expect(html(IMAGES, { remoteImages: 'allow', maxImageDimension: 2000 })).toBe(
      '<p>hi</p><img src="http://tracker.example/p.gif" alt="t" /><img src="https://cdn.example/logo.png" alt="logo" /><img src="cid:part1" alt="inline" />',
    );
  });

  it('drop keeps no remote image, in HTML and in rendered Markdown', () => {
    const options: SanitizeOptions = { remoteImages: 'drop', maxImageDimension: 2000 };
    expect(html(IMAGES, options)).toBe('<p>hi</p><img src="cid:part1" alt="inline" />');
    expect(renderBody('MARKDOWN', 'see ![x](https://cdn.example/a.png)', options).bodyHtml).toBe('<p>see </p>');
  });
});

describe('image sizes', () => {
  it('are cut to maxImageDimension, percentages to 100%, and anything else dropped', () => {
    const options: SanitizeOptions = { remoteImages: 'https', maxImageDimension: 800 };
    expect(html('<img src="https://a.example/x.png" width="99999999999" height="40">', options)).toBe('<img src="https://a.example/x.png" width="800" height="40" />');
    expect(html('<img src="https://a.example/x.png" width="250%" height="50%">', options)).toBe('<img src="https://a.example/x.png" width="100%" height="50%" />');
    expect(html('<img src="https://a.example/x.png" width="-1" height="calc(100vh)">', options)).toBe('<img src="https://a.example/x.png" />');
    expect(html('<img src="https://a.example/x.png" width="120px">', options)).toBe('<img src="https://a.example/x.png" width="120" />');
  });
});

describe('configuration', () => {
  it('bodies.remoteImages and maxImageDimension default to https and 2000, and refuse other values', () => {
    expect(parseConfig({}, {}).bodies).toMatchObject({ remoteImages: 'https', maxImageDimension: 2000 });
    expect(() => parseConfig({ bodies: { remoteImages: 'some' } }, {})).toThrow(/bodies\.remoteImages/);
  });
});
