/**
 * The bytes behind the simulators' sample attachments: deterministic for an attachment id (the
 * same file every time, so a test can compare what the gateway served with what the vendor
 * serves), sized as the sample thread says, or a few KiB for files the samples do not size.
 */
import { createHash } from 'node:crypto';
import { SAMPLE_THREADS } from './sample-threads.js';

const SAMPLE_SIZES = new Map<string, number>();
for (const thread of SAMPLE_THREADS) {
  for (const message of thread.messages) {
    if (message.attachment) SAMPLE_SIZES.set(message.attachment.name, message.attachment.size);
  }
}

/** The size of a sample file by name; unknown names get 1–8 KiB, stable for the id. */
export function sampleFileSize(name: string | null | undefined, id: string): number {
  const known = name == null ? undefined : SAMPLE_SIZES.get(name);
  return known ?? 1024 + (createHash('sha256').update(id).digest().readUInt32BE(0) % 7168);
}

/** `size` pseudo-random bytes seeded by `id` (xorshift32: fast enough for multi-MiB files). */
export function sampleFileBytes(id: string, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let state = createHash('sha256').update(`file:${id}`).digest().readUInt32BE(0) || 1;
  for (let offset = 0; offset < size; offset += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    if (offset + 4 <= size) bytes.writeUInt32LE(state, offset);
    else for (let i = 0; offset + i < size; i += 1) bytes[offset + i] = (state >>> (8 * i)) & 0xff;
  }
  return bytes;
}

const digests = new Map<string, string>();

/** The hex SHA-256 of `sampleFileBytes(id, size)` (remembered: sample tickets are built often). */
export function sampleFileSha256(id: string, size: number): string {
  const key = `${size}:${id}`;
  let digest = digests.get(key);
  if (digest === undefined) {
    digest = createHash('sha256').update(sampleFileBytes(id, size)).digest('hex');
    if (digests.size < 1024) digests.set(key, digest);
  }
  return digest;
}

const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  pdf: 'application/pdf',
  zip: 'application/zip',
  csv: 'text/csv',
  txt: 'text/plain',
  har: 'application/json',
  json: 'application/json',
};

/** What a vendor that detects types would say of a file by its name. */
export function sampleFileType(name: string | null | undefined): string {
  const extension = name?.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[extension] ?? 'application/octet-stream';
}
