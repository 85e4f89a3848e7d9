/**
 * How a cached ticket is written into Redis: JSON, sealed with AES-256-GCM when
 * `redis.encryptionKey` is set, so a Redis dump (RDB, AOF, a replica, `MONITOR`) holds no
 * readable conversation.
 *
 * Sealed value: `e1.<keyId>.<base64(iv ‖ tag ‖ ciphertext)>`: a random 12-byte IV per value, the
 * 16-byte GCM tag, and the Redis key name as additional data, so a value copied under another
 * key does not open. `keyId` (8 hex digits of a SHA-256 of the key) names the key that sealed
 * it: after a key change, values sealed with the old key are misses, not errors, and expire.
 * Without a key the value is `p1.<json>`. A gateway with a key never accepts a plain value (it
 * could have been planted), and one without a key cannot read sealed ones: both are misses.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { StoreError } from './types.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface ValueCodec {
  /** True when values are encrypted. */
  readonly sealed: boolean;
  seal(key: string, json: string): string;
  /** The JSON text; STORE_BAD_DATA when the value is not one this gateway wrote. */
  open(key: string, value: string): string;
}

/**
 * Decodes `redis.encryptionKey`: 32 bytes as 64 hex digits or as base64 (44 characters with
 * padding). Anything else is refused, so a passphrase never becomes a weak key by accident.
 */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || /^[A-Za-z0-9_-]{43}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

export function createValueCodec(key?: Buffer): ValueCodec {
  if (!key) {
    return {
      sealed: false,
      seal: (_key, json) => `p1.${json}`,
      open: (_key, value) => {
        if (!value.startsWith('p1.')) throw badData('a sealed value, and this gateway has no redis.encryptionKey');
        return value.slice(3);
      },
    };
  }
  if (key.length !== 32) throw new Error('redis.encryptionKey must be 32 bytes');
  const keyId = createHash('sha256').update('deskgraph redis key id\0').update(key).digest('hex').slice(0, 8);
  const prefix = `e1.${keyId}.`;
  return {
    sealed: true,
    seal(name, json) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(name));
      const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
      return prefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(name, value) {
      if (!value.startsWith(prefix)) {
        throw badData(value.startsWith('e1.') ? 'a value sealed with another key' : 'an unsealed value');
      }
      const raw = Buffer.from(value.slice(prefix.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw badData('a truncated sealed value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(name));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw badData('a sealed value that does not authenticate');
      }
    },
  };
}

function badData(what: string): StoreError {
  return new StoreError('STORE_BAD_DATA', 'cache', `Redis holds ${what}; it is treated as a miss`);
}
