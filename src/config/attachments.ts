/**
 * `attachments` in the configuration: how the gateway serves the files of vendors whose
 * downloads need the vendor's token (HostUp, Tickiti) at `/attachments/<id>`. Kept apart from
 * `schema.ts` so the route's settings read in one place.
 */
import { z } from 'zod';

export const attachmentsSchema = z
  .strictObject({
    /**
     * Largest file served, in bytes. A vendor that declares a larger one is refused before any
     * byte is sent (HTTP 502 UPSTREAM_BAD_RESPONSE); one that sends more than it declared, or
     * more than this without declaring, is cut off there. Files are streamed, never held, so
     * this bounds transfer time and vendor budget, not memory. @default 52428800 (50 MiB:
     * Tickiti's default upload limit)
     */
    maxBytes: z.number().int().min(1).max(4 * 1024 * 1024 * 1024).default(52_428_800),
    /**
     * Longest a whole transfer may take once the vendor has answered (a slow caller or a
     * trickling vendor holds one of the provider's connection slots meanwhile). The wait for the
     * vendor's answer is bounded by the provider's own `timeoutMs`. @default 120000
     */
    transferTimeoutMs: z.number().int().min(1).max(3_600_000).default(120_000),
    /**
     * Downloads of one provider in flight at once on this replica; more are HTTP 429
     * RATE_LIMITED at once. They share the provider's `maxConcurrency` with ticket reads, so
     * this keeps slots free for reads. @default half the provider's maxConcurrency, at least 1
     */
    maxConcurrentPerProvider: z.number().int().min(1).max(1000).optional(),
  })
  .prefault({});

export type AttachmentsConfig = z.output<typeof attachmentsSchema>;

/**
 * `server.publicUrl`: the gateway's address as callers reach it (scheme, host, optional path
 * prefix), for the absolute attachment URLs in responses. Without it, each response uses the
 * request's own `Host` (and `X-Forwarded-Proto`), as validated.
 */
export const publicUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((value) => {
    const url = new URL(value);
    return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  }, 'must have no query, fragment or credentials')
  .optional();
