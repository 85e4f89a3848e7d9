/**
 * Structured JSON logs (pino). Anything that may hold a credential is redacted by path, so a
 * careless `log.info({ headers })` still cannot leak a vendor token or a caller key.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'config.providers.*.token',
  'config.auth.keys[*].token',
  // A key's digest is no key, but it would let a weak key be guessed offline.
  'tokenSha256',
  '*.tokenSha256',
  'config.auth.keys[*].tokenSha256',
  // The Redis URL may carry a password; the encryption key is the one thing a dump lacks.
  'redis.url',
  'config.redis.url',
  'redis.password',
  'config.redis.password',
  'encryptionKey',
  '*.encryptionKey',
  'config.redis.encryptionKey',
];

export function createLogger(level: LevelWithSilent = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: process.env['LOG_LEVEL'] ?? level,
      base: { service: 'deskgraph' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
