/**
 * The pretest step that puts Debian's Chromium in place (scripts/ensure-chromium.mjs): it does
 * nothing when the browser is there, and where it cannot install one it stops `npm test` with
 * a message saying what to run. (The install itself is proven by every fresh machine's
 * `npm test`: the browser test needs it.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/ensure-chromium.mjs', import.meta.url));

/** An empty directory as the whole PATH: no apt-get, no sudo, so nothing can be installed. */
const EMPTY_PATH = mkdtempSync(join(tmpdir(), 'ensure-chromium-'));
afterAll(() => rmSync(EMPTY_PATH, { recursive: true, force: true }));

function ensure(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('scripts/ensure-chromium.mjs', () => {
  it('does nothing, silently, when the browser is already there', () => {
    // Any executable stands in for the browser: node itself.
    expect(ensure({ CHROMIUM: process.execPath, PATH: EMPTY_PATH })).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('exits 1 with what to run when it cannot install (no apt-get on the PATH)', () => {
    const result = ensure({ CHROMIUM: '/nonexistent/chromium', PATH: EMPTY_PATH });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'ensure-chromium: Chromium is not installed at /nonexistent/chromium, and cannot be installed automatically: apt-get is not available (not a Debian or Ubuntu machine).',
        "ensure-chromium: test/browser drives Debian's chromium package. Install it, then run npm test again:",
        "ensure-chromium:   sudo sh -c 'apt-get update && apt-get install -y chromium'",
        '',
      ].join('\n'),
    );
  });
});
