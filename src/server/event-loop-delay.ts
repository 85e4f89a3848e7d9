/**
 * `deskgraph_event_loop_delay_max_seconds`: the longest event-loop delay since the previous
 * scrape. It answers "did anything stall this gateway since I last looked?" (issue 9: no vendor
 * content may block the event loop), which a mean or a percentile hides. Each scrape reads the
 * maximum and starts a new window, so the value covers the time between two scrapes; with more
 * than one scraper, each sees the stalls since whichever scrape came last.
 *
 * Measured by a timer that fires every `resolutionMs` and records how long it really took, so
 * an unblocked loop reads about `resolutionMs` and a stall of B ms reads between B and
 * B + `resolutionMs` (never less than the stall). Not `perf_hooks.monitorEventLoopDelay` (which
 * prom-client's default `deskgraph_nodejs_eventloop_lag_max_seconds` uses): windowing it needs
 * `reset()`, and the interval right after a reset is never recorded, so a stall that begins just
 * after a scrape — a 300 ms busy loop, in our test — went unseen.
 */
import { Gauge, type Registry } from 'prom-client';

export interface EventLoopDelayOptions {
  /** How often the timer samples the loop, in ms. @default 10 */
  resolutionMs?: number;
}

/** Registers the gauge on `registry`; the returned function stops its timer. */
export function registerEventLoopDelay(registry: Registry, options: EventLoopDelayOptions = {}): () => void {
  const resolutionMs = options.resolutionMs ?? 10;
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, resolutionMs);
  timer.unref();
  new Gauge({
    name: 'deskgraph_event_loop_delay_max_seconds',
    help: `Longest event-loop delay since the previous scrape, in seconds (sampled every ${resolutionMs} ms: an unblocked loop reads about that).`,
    registers: [registry],
    collect() {
      // A stall that ended just before this scrape may not have reached the timer yet: the
      // interval under way counts here and the next window starts now.
      const now = performance.now();
      this.set(Math.max(longest, now - last) / 1000);
      longest = 0;
      last = now;
    },
  });
  return () => clearInterval(timer);
}
