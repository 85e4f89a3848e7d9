/**
 * `GET /attachments/<id>`: a vendor attachment whose download needs the vendor's token (HostUp,
 * Tickiti), served to a caller with a gateway key. In order, before any byte moves:
 *
 * 0. its own request id and scope (request-id.ts), and the allowed host names (421), as yoga's routes;
 * 1. the caller's key, by the check /graphql uses (401 UNAUTHENTICATED, 429 for a held-back address);
 * 2. the link (400 BAD_USER_INPUT) and the caller's provider scope (403 FORBIDDEN, no vendor call);
 * 3. the ticket, read through the ticket service (cache, single flight, the provider's gate), and
 *    the attachment found in it: the link is never trusted to say which message holds the file,
 *    so an INTERNAL message's file needs a key with `internal` (403 FORBIDDEN) whatever the URL;
 * 4. the vendor download through the provider's gate (cooldown, breaker, concurrency slot, token
 *    bucket), within the provider's `timeoutMs` until the vendor answers.
 *
 * The bytes are then streamed (never held) with the vendor's content type, `Content-Disposition:
 * attachment`, `nosniff` and a sandboxing CSP, within `attachments.maxBytes` and
 * `attachments.transferTimeoutMs`. A file declared too large is refused with 502 before any byte;
 * one that turns out too large mid-way is cut off (the connection is closed, so the caller sees
 * an incomplete transfer, never a short file that looks whole). Failures before the first byte
 * are JSON `{ errors: [{ message, extensions: { code, … } }] }` with the CONTRACT §3 code, as
 * /graphql's own HTTP errors are. The vendor token only ever goes to the vendor.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attachmentLabel, discard, type AttachmentDownloader } from '../connectors/downloads.js';
import type { AttachmentsConfig } from '../config/attachments.js';
import type { DeskGraphConfig } from '../config/schema.js';
import { decodeAttachmentFileId, type AttachmentFileKey } from '../domain/attachment-file.js';
import { DeskGraphError, isDeskGraphError } from '../domain/errors.js';
import type { Attachment, Ticket, Visibility } from '../domain/model.js';
import { providerKey, type Provider } from '../domain/provider.js';
import type { ProviderGate } from '../governance/provider-gate.js';
import type { ProviderRuntime, TicketService } from '../upstream/ticket-service.js';
import { sendError } from './attachment-errors.js';
import { contentDisposition, safeContentType } from './attachment-headers.js';
import { ATTACHMENTS_PREFIX } from './attachment-links.js';
import { mayRead, type Caller } from '../domain/caller.js';
import { logRefusal, type CallerCheck } from './auth.js';
import { createHostCheck, MISDIRECTED, type HostCheck } from './hosts.js';
import type { Logger } from '../telemetry/logger.js';
import { runAsRequest } from './request-id.js';

export interface AttachmentSource {
  downloader: AttachmentDownloader;
  gate: ProviderGate;
  /** The provider's `timeoutMs`: the wait for a gate slot and for the vendor's answer. */
  timeoutMs: number;
  /** Downloads of this provider in flight at once; more are RATE_LIMITED. */
  maxConcurrent: number;
}

export interface AttachmentRouteOptions {
  tickets: Pick<TicketService, 'read' | 'isConfigured'>;
  /** The providers whose attachments are served here. */
  sources: ReadonlyMap<Provider, AttachmentSource>;
  /** The gateway's caller check, the one /graphql uses. */
  callers: CallerCheck;
  settings: Pick<AttachmentsConfig, 'maxBytes' | 'transferTimeoutMs'>;
  logger: Logger;
  /** The gateway's host check (`server.allowedHosts`). @default every host */
  hostAllowed?: HostCheck | undefined;
  /** Hears each answer when it is finished (the HTTP metrics). */
  onAnswered?(status: number, seconds: number): void;
}

export type AttachmentRoute = (req: IncomingMessage, res: ServerResponse) => void;

/** The configured providers that can download, each behind its own gate and `timeoutMs`. */
export function attachmentSourcesOf(
  runtimes: ReadonlyMap<Provider, ProviderRuntime>,
  config: Pick<DeskGraphConfig, 'attachments' | 'providers'>,
): Map<Provider, AttachmentSource> {
  const sources = new Map<Provider, AttachmentSource>();
  for (const [provider, runtime] of runtimes) {
    if (!runtime.downloader) continue;
    const maxConcurrency = config.providers[providerKey(provider)]?.maxConcurrency ?? 1;
    sources.set(provider, {
      downloader: runtime.downloader,
      gate: runtime.gate,
      timeoutMs: runtime.timeoutMs,
      maxConcurrent: config.attachments.maxConcurrentPerProvider ?? Math.max(1, Math.floor(maxConcurrency / 2)),
    });
  }
  return sources;
}


/** Why a transfer was stopped from this side (not a vendor failure). */
class Stopped extends Error {
  constructor(readonly why: 'caller-gone' | 'transfer-timeout' | 'answer-timeout') {
    // An answer-timeout abort reaches the transport, which reports it as the vendor not
    // answering in time (UPSTREAM_UNAVAILABLE, counted by the breaker).
    super(why);
  }
}

export function createAttachmentRoute(options: AttachmentRouteOptions): AttachmentRoute {
  const { tickets, sources, callers, settings } = options;
  const hostAllowed = options.hostAllowed ?? createHostCheck(undefined);
  const active = new Map<Provider, number>();

  async function serve(req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendError(res, req.method, new DeskGraphError('BAD_USER_INPUT', 'Attachments are read with GET (or HEAD).'), log, 405);
      return;
    }
    const verdict = await callers.check(req.headers.authorization, req);
    if ('refused' in verdict) {
      const { error, wwwAuthenticate } = verdict.refused;
      if (wwwAuthenticate !== undefined) res.setHeader('www-authenticate', wwwAuthenticate);
      logRefusal(log, verdict.refused);
      throw error;
    }
    const { caller } = verdict;
    const key = decodeAttachmentFileId(linkId(req.url));
    if (!mayRead(caller, key.provider)) {
      throw new DeskGraphError('FORBIDDEN', `This gateway key may not read ${key.provider} tickets.`, { provider: key.provider, ref: key.ref });
    }
    const source = sources.get(key.provider);
    if (!source) throw notServed(key, tickets.isConfigured(key.provider));
    const { ticket } = await tickets.read(key.provider, key.ref);
    const attachment = visibleAttachment(ticket, key, caller);
    if (attachment.size !== null && attachment.size > settings.maxBytes) throw tooLarge(ticket, attachment, settings.maxBytes);
    await transfer(req, res, log, ticket, attachment, source);
  }

  async function transfer(
    req: IncomingMessage,
    res: ServerResponse,
    log: Logger,
    ticket: Ticket,
    attachment: Attachment,
    source: AttachmentSource,
  ): Promise<void> {
    const { provider } = ticket;
    const running = active.get(provider) ?? 0;
    if (running >= source.maxConcurrent) {
      throw new DeskGraphError(
        'RATE_LIMITED',
        `${running} ${provider} attachments are being served already (attachments.maxConcurrentPerProvider); try again shortly.`,
        { provider, ref: ticket.ref, retryAfterSeconds: 1 },
      );
    }
    active.set(provider, running + 1);
    const controller = new AbortController();
    const stop = (why: Stopped['why']) => controller.abort(new Stopped(why));
    const onClose = () => {
      if (!res.writableFinished) stop('caller-gone');
    };
    res.once('close', onClose);
    let timer = setTimeout(() => stop('answer-timeout'), source.timeoutMs);
    let bytes = 0;
    try {
      await source.gate.run(controller.signal, async () => {
        const file = await source.downloader.open(ticket, attachment, controller.signal).catch((error: unknown) => {
          // The caller left while the vendor was being asked: not the vendor's failure.
          if (stoppedBy(controller.signal) === 'caller-gone') throw new Stopped('caller-gone');
          throw error;
        });
        clearTimeout(timer);
        timer = setTimeout(() => stop('transfer-timeout'), settings.transferTimeoutMs);
        if (file.size !== undefined && file.size > settings.maxBytes) {
          discard(file.body);
          throw tooLarge(ticket, attachment, settings.maxBytes);
        }
        res.writeHead(200, {
          'content-type': safeContentType(file.contentType, attachment.contentType),
          ...(file.size === undefined ? {} : { 'content-length': String(file.size) }),
          'content-disposition': contentDisposition(attachment.name),
          'x-content-type-options': 'nosniff',
          // Opened directly anyway, the file is an inert document: no script, no same-origin access.
          'content-security-policy': "sandbox; default-src 'none'",
          'cache-control': 'private, no-store',
        });
        if (req.method === 'HEAD') {
          discard(file.body);
          res.end();
          return;
        }
        const overCap = tooLarge(ticket, attachment, settings.maxBytes);
        const cap = byteCap(settings.maxBytes, (count) => (bytes = count), overCap);
        try {
          await pipeline(file.body, cap, res, { signal: controller.signal });
        } catch (error) {
          const why = stoppedBy(controller.signal);
          if (why !== undefined) {
            log.warn({ provider, bytes, stopped: why }, 'attachment transfer stopped');
            return;
          }
          if (error === overCap) {
            log.warn({ provider, bytes, maxBytes: settings.maxBytes }, 'attachment cut off at attachments.maxBytes');
            return;
          }
          // The vendor's connection failed mid-file: that counts against its breaker; a bad
          // answer (undecodable bytes) shows the vendor alive.
          const failure = isDeskGraphError(error)
            ? error
            : new DeskGraphError('UPSTREAM_UNAVAILABLE', `${provider} stopped sending ${attachmentLabel(ticket, attachment)} part-way.`, {
                provider,
                ref: ticket.ref,
                cause: error,
              });
          if (failure.code === 'UPSTREAM_UNAVAILABLE') throw failure;
          log.warn({ provider, bytes, code: failure.code }, 'attachment transfer failed part-way');
          res.destroy();
        }
      });
    } catch (error) {
      // The caller left: nobody to answer.
      if (stoppedBy(controller.signal) === 'caller-gone' || (error instanceof Stopped && error.why === 'caller-gone')) return;
      throw error;
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
      active.set(provider, (active.get(provider) ?? 1) - 1);
    }
  }

  return (req, res) =>
    runAsRequest(req.headers['x-request-id'], options.logger, ({ id, log, startedAt }) => {
      res.setHeader('x-request-id', id);
      // One line per request: never the link, the ref or the file name (customer data).
      res.once('finish', () => {
        const ms = performance.now() - startedAt;
        log.info({ method: req.method, path: ATTACHMENTS_PREFIX, status: res.statusCode, ms: Math.round(ms) }, 'request served');
        options.onAnswered?.(res.statusCode, ms / 1000);
      });
      if (!hostAllowed(req.headers.host)) {
        res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(MISDIRECTED);
        return;
      }
      serve(req, res, log).catch((error: unknown) => {
        if (res.headersSent) {
          // Mid-file: closing the connection is the only honest way to say the file is incomplete.
          log.warn({ err: error }, 'attachment transfer failed after it started');
          res.destroy();
          return;
        }
        sendError(res, req.method, error, log);
      });
    });
}

/** The id after `/attachments/`; one segment, no query. */
function linkId(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  return path.startsWith(ATTACHMENTS_PREFIX) ? path.slice(ATTACHMENTS_PREFIX.length) : '';
}

function notServed(key: AttachmentFileKey, configured: boolean): DeskGraphError {
  return configured
    ? new DeskGraphError('NOT_FOUND', `${key.provider} attachments are not served by the gateway: use the URL the ticket gives.`, {
        provider: key.provider,
        ref: key.ref,
      })
    : new DeskGraphError('PROVIDER_NOT_CONFIGURED', `${key.provider} is not configured on this gateway.`, { provider: key.provider, ref: key.ref });
}

/**
 * The attachment the link names, found in the ticket as read: the root attachments and every
 * message's. A file in a PUBLIC place is anyone's who may read the provider; one found only in
 * INTERNAL messages needs a key with `internal`.
 */
function visibleAttachment(ticket: Ticket, key: AttachmentFileKey, caller: Caller): Attachment {
  let internalOnly: Attachment | undefined;
  const places: { visibility: Visibility; attachments: Attachment[] }[] = [
    { visibility: 'PUBLIC', attachments: ticket.attachments },
    ...ticket.messages,
  ];
  for (const place of places) {
    const found = place.attachments.find((attachment) => attachment.nativeId === key.nativeId);
    if (!found) continue;
    if (place.visibility !== 'INTERNAL') return found;
    internalOnly ??= found;
  }
  const options = { provider: key.provider, ref: key.ref };
  if (!internalOnly) {
    throw new DeskGraphError('NOT_FOUND', `${ticket.provider} ticket ${JSON.stringify(ticket.ref)} has no attachment ${JSON.stringify(key.nativeId)}.`, options);
  }
  if (!caller.internal) {
    throw new DeskGraphError('FORBIDDEN', 'This attachment belongs to an internal staff note; this gateway key may not read INTERNAL messages.', options);
  }
  return internalOnly;
}

function tooLarge(ticket: Ticket, attachment: Attachment, maxBytes: number): DeskGraphError {
  return new DeskGraphError(
    'UPSTREAM_BAD_RESPONSE',
    `${attachmentLabel(ticket, attachment)} is larger than this gateway serves (attachments.maxBytes: ${maxBytes} bytes).`,
    { provider: ticket.provider, ref: ticket.ref },
  );
}

function stoppedBy(signal: AbortSignal): Stopped['why'] | undefined {
  return signal.aborted && signal.reason instanceof Stopped ? signal.reason.why : undefined;
}

/** Passes bytes through until more than `maxBytes` have come, then fails with `error`. */
function byteCap(maxBytes: number, counted: (bytes: number) => void, error: Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      counted(Math.min(seen, maxBytes));
      if (seen > maxBytes) callback(error);
      else callback(null, chunk);
    },
  });
}
