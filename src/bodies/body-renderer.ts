/**
 * Message bodies, rendered lazily, once, and off the event loop (CONTRACT §2 "Bodies").
 *
 * - Lazy: nothing is rendered until a query selects `bodyText`, `bodyHtml` or `bodyTruncated`.
 * - Once: the result is memoized on the cached `Message` object itself (a WeakMap keyed by it),
 *   so it lives exactly as long as that cached ticket version; every later hit, by any caller,
 *   reuses it, and its bytes are charged to the cache entry (`onMemo`) so `cache.maxBytes`
 *   counts them.
 * - Off the loop: each body is one task in a piscina worker pool. A task has a time budget
 *   (`renderTimeoutMs`) counted from the moment a worker starts it; over budget, the task is
 *   aborted (piscina terminates that worker and starts another) and the body is served as the
 *   bounded fallback (`fallback.ts`) with `truncated: true`. A crashed worker, a full queue or a
 *   closed pool get the same fallback: rendering never fails a read.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Message, Ticket } from '../domain/model.js';
import { fallbackBody } from './fallback.js';
import { DEFAULT_SANITIZE_OPTIONS, type RenderedBody, type SanitizeOptions } from './render.js';
import type { RenderTask } from './render-worker.js';

export type { RenderedBody } from './render.js';

export interface BodyRendererOptions {
  /** Largest body rendered, in UTF-8 bytes; a larger one is cut and served `truncated`. @default 262144 */
  maxBytes?: number;
  /** Time one body may take in a worker before it is served as a shortened fallback. @default 250 */
  renderTimeoutMs?: number;
  /** Worker threads. @default the machine's available parallelism */
  threads?: number;
  /**
   * Longest a body may wait for a free worker before it is served as a fallback: a flood of
   * hostile bodies must not make every reader wait. @default 2000
   */
  queueTimeoutMs?: number;
  /** Remote images and image sizes (`bodies.remoteImages`, `bodies.maxImageDimension`). @default DEFAULT_SANITIZE_OPTIONS */
  sanitize?: SanitizeOptions | undefined;
  /** Told of the bytes memoized for a ticket's messages, to charge its cache entry. */
  onMemo?: ((ticket: Ticket, bytes: number) => void) | undefined;
}

export interface BodyRendererStats {
  /** Bodies sent to the pool. */
  tasks: number;
  /** Bodies over their time budget (their worker was replaced). */
  timeouts: number;
  /** Bodies whose task failed otherwise (worker crash, out of memory, queue full). */
  failures: number;
}

/** What the GraphQL layer needs (tests may pass a fake). */
export interface BodyRendering {
  /** The message's rendered body, memoized. Never rejects. */
  render(message: Message): Promise<RenderedBody>;
  /** The memoized body, when it is ready. */
  peek(message: Message): RenderedBody | undefined;
  /** Renders these messages of `ticket` in parallel; resolves when all are memoized. */
  renderThread(ticket: Ticket, messages: readonly Message[]): Promise<void>;
}

export const DEFAULT_BODY_MAX_BYTES = 256 * 1024;
export const DEFAULT_RENDER_TIMEOUT_MS = 250;

const NO_BODY: RenderedBody = Object.freeze({ bodyText: null, bodyHtml: null, truncated: false });
const WARM_UP_BODY = '<p>Hi **there**, see <a href="https://example.com/x">this</a>.</p><table><tr><td colspan="2">x</td></tr></table>';
/** Per memoized string: V8's header; per memo: the object and its slot. */
const STRING_HEADER_BYTES = 16;
const MEMO_OVERHEAD_BYTES = 64;
const WIDE_CHARACTER = /[^\u0000-\u00ff]/;

export class BodyRenderer implements BodyRendering {
  private readonly pool: Piscina;
  private readonly memo = new WeakMap<Message, Promise<RenderedBody>>();
  private readonly ready = new WeakMap<Message, RenderedBody>();
  /** Messages already charged to their ticket's entry. */
  private readonly charged = new WeakSet<Message>();
  private readonly maxBytes: number;
  private readonly sanitize: SanitizeOptions;
  private readonly timeoutMs: number;
  private readonly queueTimeoutMs: number;
  private readonly onMemo: BodyRendererOptions['onMemo'];
  private readonly counts: BodyRendererStats = { tasks: 0, timeouts: 0, failures: 0 };
  private closed = false;

  constructor(options: BodyRendererOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_BODY_MAX_BYTES;
    this.sanitize = { ...(options.sanitize ?? DEFAULT_SANITIZE_OPTIONS) };
    this.timeoutMs = options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
    this.queueTimeoutMs = options.queueTimeoutMs ?? 2000;
    this.onMemo = options.onMemo;
    const threads = Math.max(1, options.threads ?? availableParallelism());
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: threads,
      maxThreads: threads,
      // Bounded: past this, bodies are served as fallbacks rather than queued without end.
      maxQueue: 10_000,
      idleTimeout: 60_000,
      // A body that makes a worker allocate without end kills that worker, not the gateway.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    this.warmUp(threads);
  }

  /**
   * One small body of each format per thread, at start: the libraries' first calls (lazy
   * initialisation, cold code) would otherwise be charged to the first real bodies' budgets.
   */
  private warmUp(threads: number): void {
    for (let thread = 0; thread < threads; thread += 1) {
      for (const format of ['HTML', 'MARKDOWN', 'TEXT'] as const) {
        const task: RenderTask = { format, source: WARM_UP_BODY, vendorText: null, maxBytes: this.maxBytes, sanitize: this.sanitize, started: new SharedArrayBuffer(8) };
        this.pool.run(task).catch(() => undefined);
      }
    }
  }

  stats(): BodyRendererStats {
    return { ...this.counts };
  }

  peek(message: Message): RenderedBody | undefined {
    return this.ready.get(message);
  }

  render(message: Message): Promise<RenderedBody> {
    let rendered = this.memo.get(message);
    if (rendered === undefined) {
      rendered = this.renderOnce(message).then((body) => {
        this.ready.set(message, body);
        return body;
      });
      this.memo.set(message, rendered);
    }
    return rendered;
  }

  async renderThread(ticket: Ticket, messages: readonly Message[]): Promise<void> {
    const bodies = await Promise.all(messages.map((message) => this.render(message)));
    let bytes = 0;
    messages.forEach((message, index) => {
      if (this.charged.has(message)) return;
      this.charged.add(message);
      bytes += memoBytes(bodies[index]!);
    });
    if (bytes > 0) this.onMemo?.(ticket, bytes);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool.close({ force: true });
  }

  private async renderOnce(message: Message): Promise<RenderedBody> {
    const { source, vendorText } = message.body;
    if (source === null && vendorText === null) return NO_BODY;
    if (this.closed) return fallbackBody(message.bodyFormat, source, vendorText, this.maxBytes);
    const task: RenderTask = {
      format: message.bodyFormat,
      // Never copy more to a worker than it may render: one character past the bound is enough
      // for it to know (and say) that the body was cut.
      source: source?.slice(0, this.maxBytes + 1) ?? null,
      vendorText: vendorText?.slice(0, this.maxBytes + 1) ?? null,
      maxBytes: this.maxBytes,
      sanitize: this.sanitize,
      started: new SharedArrayBuffer(8),
    };
    this.counts.tasks += 1;
    const abort = new AbortController();
    const watch = this.watch(task, abort);
    try {
      return (await this.pool.run(task, { signal: abort.signal })) as RenderedBody;
    } catch {
      if (watch.expired()) this.counts.timeouts += 1;
      else this.counts.failures += 1;
      return fallbackBody(message.bodyFormat, source, vendorText, this.maxBytes);
    } finally {
      watch.stop();
    }
  }

  /**
   * Aborts `task` once it has run `timeoutMs` in a worker, or waited `queueTimeoutMs` for one.
   * The timer re-arms for what is left rather than ticking: one timer per body in flight.
   */
  private watch(task: RenderTask, abort: AbortController): { stop(): void; expired(): boolean } {
    const startedAt = new BigInt64Array(task.started);
    const queuedAt = Date.now();
    let expired = false;
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      const now = Date.now();
      const started = Number(Atomics.load(startedAt, 0));
      const left = started === 0 ? queuedAt + this.queueTimeoutMs - now : started + this.timeoutMs - now;
      if (left <= 0) {
        expired = true;
        abort.abort();
        return;
      }
      timer = setTimeout(check, started === 0 ? Math.min(left, this.timeoutMs) : left);
      timer.unref();
    };
    timer = setTimeout(check, this.timeoutMs);
    timer.unref();
    return { stop: () => clearTimeout(timer), expired: () => expired };
  }
}

function memoBytes(body: RenderedBody): number {
  return MEMO_OVERHEAD_BYTES + stringBytes(body.bodyText) + stringBytes(body.bodyHtml);
}

function stringBytes(value: string | null): number {
  if (value === null) return 0;
  return STRING_HEADER_BYTES + value.length * (WIDE_CHARACTER.test(value) ? 2 : 1);
}

/**
 * The worker's compiled file. From the build it sits beside this module; when this module runs
 * from TypeScript sources (vitest, tsx), workers still need JavaScript, so the build's copy is
 * used (`npm test` builds first).
 */
function workerFile(): string {
  const beside = new URL('./render-worker-entry.cjs', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return fileURLToPath(beside);
  const built = fileURLToPath(new URL('../../dist/src/bodies/render-worker-entry.cjs', import.meta.url));
  if (!existsSync(built)) throw new Error(`The body-rendering worker is not built (${built}): run npm run build.`);
  return built;
}
