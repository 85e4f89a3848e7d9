/**
 * The worker side of the body pool (`body-renderer.ts`): one task is one body. It stamps the
 * moment it starts into the task's shared slot, so the main thread charges the time budget from
 * the start of rendering, not from when the task joined the queue.
 */
import type { BodyFormat } from '../domain/model.js';
import { renderBody, type RenderedBody } from './render.js';

export interface RenderTask {
  format: BodyFormat;
  source: string | null;
  vendorText: string | null;
  maxBytes: number;
  /** 8 bytes: the epoch ms at which a worker began this task (0 until then). */
  started: SharedArrayBuffer;
}

export default function render(task: RenderTask): RenderedBody {
  Atomics.store(new BigInt64Array(task.started), 0, BigInt(Date.now()));
  return renderBody(task.format, task.source, task.vendorText, { maxBytes: task.maxBytes });
}
