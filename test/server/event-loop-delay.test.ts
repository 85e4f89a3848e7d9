/**
 * `deskgraph_event_loop_delay_max_seconds`: a stall of the event loop shows in the next scrape,
 * and the scrape after that covers only what came since.
 */
import { Registry } from 'prom-client';
import { afterEach, expect, it } from 'vitest';
import { registerEventLoopDelay } from '../../src/server/event-loop-delay.js';

const NAME = 'deskgraph_event_loop_delay_max_seconds';
let stop: (() => void) | undefined;
afterEach(() => stop?.());

async function scrape(registry: Registry): Promise<number> {
  const text = await registry.metrics();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${NAME} `));
  expect(line, text).toBeDefined();
  return Number(line!.slice(NAME.length + 1));
}

function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy: the monitor's timer cannot fire until this returns.
  }
}

/** Lets the monitor's timer fire a few times (it samples every 10 ms). */
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('reports the longest stall since the previous scrape, then resets', async () => {
  const registry = new Registry();
  stop = registerEventLoopDelay(registry);
  await idle(50);
  await scrape(registry);

  // Right after the scrape, before the sampling timer fires again: the stall still counts.
  blockFor(300);
  await idle(50);
  const stalled = await scrape(registry);
  expect(stalled).toBeGreaterThanOrEqual(0.3);
  expect(stalled).toBeLessThan(5);

  await idle(50);
  // Generous: only the 300 ms stall must be gone; a loaded machine may still delay a timer.
  expect(await scrape(registry)).toBeLessThan(0.25);
});

it('counts a stall that ends just before the scrape, once', async () => {
  const registry = new Registry();
  stop = registerEventLoopDelay(registry);
  await idle(50);
  await scrape(registry);
  await idle(30);
  blockFor(300);
  // Scraped in the same turn of the loop, before the timer could record the stall.
  expect(await scrape(registry)).toBeGreaterThanOrEqual(0.3);
  await idle(50);
  expect(await scrape(registry)).toBeLessThan(0.25);
});

it('says its unit and sampling in the help text', async () => {
  const registry = new Registry();
  stop = registerEventLoopDelay(registry, { resolutionMs: 20 });
  const text = await registry.metrics();
  expect(text).toContain(`# HELP ${NAME} Longest event-loop delay since the previous scrape, in seconds (sampled every 20 ms`);
  expect(text).toContain(`# TYPE ${NAME} gauge`);
});
