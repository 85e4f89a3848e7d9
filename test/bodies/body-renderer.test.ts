/**
 * The worker pool: bodies render off the event loop, once per message object, within a time
 * budget after which the worker is replaced and a shortened safe fallback is served.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BodyRenderer } from '../../src/bodies/body-renderer.js';
import type { BodyFormat, Message, Ticket } from '../../src/domain/model.js';
import { testTicket } from '../helpers/tickets.js';

function message(bodyFormat: BodyFormat, source: string | null, vendorText: string | null = null): Message {
  return {
    id: `m-${Math.random()}`,
    nativeId: '1',
    authorKind: 'CUSTOMER',
    author: null,
    visibility: 'PUBLIC',
    pinned: false,
    bodyFormat,
    body: { source, vendorText },
    createdAt: null,
    updatedAt: null,
    attachments: [],
  };
}

/** A budget no test body comes near on a loaded machine, for the tests that are not about it. */
const AMPLE = { threads: 1, renderTimeoutMs: 10_000, queueTimeoutMs: 30_000 };

/** A big, valid HTML body (1.5 MB). */
const SLOW_HTML = `<table>${'<tr><td><a href="https://x.example/a">cell</a> <b>bold</b> &amp; text</td></tr>'.repeat(20_000)}</table>`;

let renderer: BodyRenderer | undefined;
afterEach(async () => {
  await renderer?.close();
  renderer = undefined;
});

describe('BodyRenderer', () => {
  it('renders in the pool, once per message: a second render is the memoized result, with no task', async () => {
    renderer = new BodyRenderer(AMPLE);
    const m = message('HTML', '<p>Hi <script>x()</script><b>there</b></p>');
    expect(renderer.peek(m)).toBeUndefined();
    const first = await renderer.render(m);
    expect(first).toEqual({ bodyText: 'Hi there', bodyHtml: '<p>Hi <b>there</b></p>', truncated: false });
    expect(await renderer.render(m)).toBe(first);
    expect(renderer.peek(m)).toBe(first);
    expect(renderer.stats()).toEqual({ tasks: 1, timeouts: 0, failures: 0 });
  });

  it('closes while its workers are still loading, again and again, and a new pool renders on', async () => {
    // Workers load the renderer with import() (render-worker-entry.cts): a pool closed mid-load
    // must neither throw nor take the process down.
    for (let round = 0; round < 10; round += 1) await new BodyRenderer({ threads: 2 }).close();
    renderer = new BodyRenderer(AMPLE);
    expect(await renderer.render(message('HTML', '<p>still <i>here</i></p>'))).toEqual({
      bodyText: 'still here',
      bodyHtml: '<p>still <i>here</i></p>',
      truncated: false,
    });
  });

  it('sends no task for a message without a body', async () => {
    renderer = new BodyRenderer(AMPLE);
    expect(await renderer.render(message('HTML', null))).toEqual({ bodyText: null, bodyHtml: null, truncated: false });
    expect(renderer.stats().tasks).toBe(0);
  });

  it('serves a body over its time budget shortened and safe, replaces the worker, and renders on', async () => {
    // 1.5 MB of valid table HTML: seconds of sanitizing, far over a 200 ms budget.
    renderer = new BodyRenderer({ threads: 1, renderTimeoutMs: 200, maxBytes: 4 * 1024 * 1024, queueTimeoutMs: 30_000 });
    const slow = await renderer.render(message('HTML', `<script>steal()</script>${SLOW_HTML}`));
    expect(slow.truncated).toBe(true);
    expect(slow.bodyText!.startsWith('cell bold & text')).toBe(true);
    expect(slow.bodyText).not.toContain('steal');
    expect(slow.bodyHtml).toMatch(/^<p>cell bold &amp; text/);
    expect(renderer.stats()).toMatchObject({ tasks: 1, timeouts: 1, failures: 0 });
    // The worker stuck on it was terminated; the same pool renders the next body in a new one.
    expect(await renderer.render(message('TEXT', 'still here'))).toEqual({ bodyText: 'still here', bodyHtml: '<p>still here</p>', truncated: false });
    expect(renderer.stats()).toMatchObject({ tasks: 2, timeouts: 1, failures: 0 });
  });

  it('serves a body over maxBytes cut, with truncated set', async () => {
    renderer = new BodyRenderer({ ...AMPLE, maxBytes: 8 });
    expect(await renderer.render(message('TEXT', 'abcdefghijklmnop'))).toEqual({
      bodyText: 'abcdefgh',
      bodyHtml: '<p>abcdefgh</p>',
      truncated: true,
    });
  });

  it('charges a thread’s memoized bytes to its ticket once', async () => {
    const charges: [Ticket, number][] = [];
    renderer = new BodyRenderer({ ...AMPLE, onMemo: (ticket, bytes) => charges.push([ticket, bytes]) });
    const messages = [message('TEXT', 'one'), message('TEXT', 'two'), message('HTML', null)];
    const ticket = testTicket({ messages });
    await renderer.renderThread(ticket, messages);
    await renderer.renderThread(ticket, messages);
    expect(charges).toHaveLength(1);
    expect(charges[0]![0]).toBe(ticket);
    // Three memos, two of them with a 3-character text ("one") and a 10-character HTML ("<p>one</p>").
    expect(charges[0]![1]).toBe(3 * 64 + 2 * (16 + 3 + 16 + 10));
    expect(renderer.stats().tasks).toBe(2);
  });

  it('serves fallbacks, never errors, once the pool is closed', async () => {
    renderer = new BodyRenderer(AMPLE);
    await renderer.close();
    expect(await renderer.render(message('HTML', '<p>a <b>b</b></p>'))).toEqual({ bodyText: 'a b', bodyHtml: '<p>a b</p>', truncated: true });
  });
});
