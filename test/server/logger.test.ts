/** The logger redacts credentials by path, whatever a careless log call passes it. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';

describe('createLogger', () => {
  it('redacts vendor tokens, caller keys, their digests and authorization headers', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    logger.info(
      {
        config: {
          providers: { hostup: { token: 'hup_secret_1' } },
          auth: { keys: [{ name: 'dash', token: 'caller-key-secret-2', tokenSha256: 'ab'.repeat(32) }] },
        },
        headers: { authorization: 'Bearer caller-key-secret-3' },
        key: { tokenSha256: 'cd'.repeat(32) },
      },
      'careless',
    );
    const [line] = lines;
    for (const secret of ['hup_secret_1', 'caller-key-secret-2', 'caller-key-secret-3', 'ab'.repeat(32), 'cd'.repeat(32)]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('"name":"dash"');
  });
});
