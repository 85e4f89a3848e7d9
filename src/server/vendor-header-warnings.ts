/**
 * A vendor's nonsense rate-limit headers (a pause of years, a negative reset, a budget no Int can
 * hold) are cut or ignored by `upstream/rate-limit-headers.ts`; here they are logged, once an
 * hour per provider, header and kind, so a vendor that sends them on every answer does not
 * flood the log.
 */
import type { Provider } from '../domain/provider.js';
import type { HeaderProblem } from '../transport/rate-limit-headers.js';
import type { Logger } from '../telemetry/logger.js';

/** How often the same nonsense header (provider, header, reason) is logged again. */
const HEADER_WARNING_EVERY_MS = 3_600_000;

/** Logs each kind of nonsense rate-limit header a vendor sends once an hour, not once a call. */
export function headerProblemWarnings(provider: Provider, maxCooldownSeconds: number, logger: Logger): (problem: HeaderProblem) => void {
  const lastWarned = new Map<string, number>();
  return (problem) => {
    const kind = `${problem.header}:${problem.reason}`;
    const now = Date.now();
    if (now - (lastWarned.get(kind) ?? Number.NEGATIVE_INFINITY) < HEADER_WARNING_EVERY_MS) return;
    lastWarned.set(kind, now);
    const consequence =
      problem.reason === 'too long'
        ? `the pause is cut to maxCooldownSeconds (${maxCooldownSeconds})`
        : problem.reason === 'out of range'
          ? 'the figure is not shown'
          : 'the value is ignored';
    logger.warn({ provider, ...problem }, `${provider} sent a nonsense rate-limit header value: ${consequence}`);
  };
}
