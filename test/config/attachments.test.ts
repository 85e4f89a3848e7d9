/** `attachments` and `server.publicUrl` in the configuration. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';

function problems(data: unknown): string[] {
  try {
    parseConfig(data, {}, 'deskgraph.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('attachments configuration', () => {
  it('has safe defaults', () => {
    const config = parseConfig({}, {});
    expect(config.attachments).toEqual({ maxBytes: 52_428_800, transferTimeoutMs: 120_000 });
    expect(config.server.publicUrl).toBeUndefined();
  });

  it('takes a public URL with a path prefix and its own limits', () => {
    const config = parseConfig(
      { server: { publicUrl: 'https://support.example.com/deskgraph' }, attachments: { maxBytes: 1000, transferTimeoutMs: 5000, maxConcurrentPerProvider: 2 } },
      {},
    );
    expect(config.server.publicUrl).toBe('https://support.example.com/deskgraph');
    expect(config.attachments).toEqual({ maxBytes: 1000, transferTimeoutMs: 5000, maxConcurrentPerProvider: 2 });
  });

  it.each([
    [{ server: { publicUrl: 'ftp://example.com' } }, 'server.publicUrl: must be an http(s) URL'],
    [{ server: { publicUrl: 'https://user:pw@example.com' } }, 'server.publicUrl: must have no query, fragment or credentials'],
    [{ server: { publicUrl: 'https://example.com/?next=x' } }, 'server.publicUrl: must have no query, fragment or credentials'],
    [{ attachments: { maxbytes: 10 } }, 'attachments: unknown setting "maxbytes"'],
  ])('refuses %j', (data, problem) => {
    expect(problems(data)).toEqual([problem]);
  });

  it('refuses a zero cap', () => {
    const found = problems({ attachments: { maxBytes: 0 } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^attachments\.maxBytes: /);
  });
});
