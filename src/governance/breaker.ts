/**
 * Circuit breaker: after `failureThreshold` consecutive failures the circuit opens for `openMs`;
 * then one probe goes out (HALF_OPEN) and its outcome closes or reopens it. While open, calls
 * fail at once as UPSTREAM_UNAVAILABLE, checked when a call arrives AND again when it leaves the
 * queue (`recheck`), so calls that queued before the circuit opened do not go out after it.
 *
 * A failure is the vendor being of no use: no answer (UPSTREAM_UNAVAILABLE: 5xx, network,
 * timeout) or a 2xx answer that is not what its API promises (HTML, broken JSON, a wrong shape:
 * UPSTREAM_BAD_RESPONSE with a status). Any other answer, even a 4xx, shows it alive. A body over
 * the size cap is one ticket's problem, not the vendor's: it does not count.
 */
import { DeskGraphError, isDeskGraphError } from '../domain/errors.js';
import type { Provider } from '../domain/provider.js';
import type { CircuitState } from '../domain/provider-status.js';
import type { GuardedCall, Policy } from './policy.js';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe is let through. */
  openMs: number;
}

export interface BreakerState {
  circuit: CircuitState;
  consecutiveFailures: number;
  /** Epoch ms when an open circuit lets a probe through; null unless OPEN. */
  openUntil: number | null;
}

/** Whether an outcome says the vendor is of no use right now. */
export function countsAsFailure(error: unknown): boolean {
  if (!isDeskGraphError(error)) return false;
  if (error.code === 'UPSTREAM_UNAVAILABLE') return true;
  const status = error.upstreamStatus;
  return error.code === 'UPSTREAM_BAD_RESPONSE' && status !== undefined && status >= 200 && status <= 299;
}

export class CircuitBreaker implements Policy {
  private circuit: CircuitState = 'CLOSED';
  private consecutiveFailures = 0;
  private openUntil = 0;
  private probing = false;

  /** The second look, placed after the queue: refuses a queued call if the circuit opened meanwhile. */
  readonly recheck: Policy = {
    run: async (call, next) => {
      // Admitted while CLOSED: the circuit has opened since (a probe goes first, not this call).
      if (!call.probe && this.circuit !== 'CLOSED') throw this.openError(this.circuit === 'OPEN' ? this.openUntil - this.now() : 0);
      return next();
    },
  };

  constructor(
    private readonly provider: Provider,
    private readonly options: BreakerOptions,
    private readonly now: () => number,
  ) {}

  async run<T>(call: GuardedCall, next: () => Promise<T>): Promise<T> {
    call.probe = this.admit();
    try {
      const result = await next();
      this.record(call.probe, undefined);
      return result;
    } catch (error) {
      if (call.sent) this.record(call.probe, error);
      else if (call.probe) this.probing = false;
      throw error;
    }
  }

  state(): BreakerState {
    const now = this.now();
    const open = this.circuit === 'OPEN' && now < this.openUntil;
    return {
      // An open circuit whose time is up lets the next request through as a probe.
      circuit: this.circuit === 'OPEN' && !open ? 'HALF_OPEN' : this.circuit,
      consecutiveFailures: this.consecutiveFailures,
      openUntil: open ? this.openUntil : null,
    };
  }

  /** Lets a call past the breaker; true when it is the half-open probe. */
  private admit(): boolean {
    if (this.circuit === 'CLOSED') return false;
    const now = this.now();
    if (this.circuit === 'OPEN' && now < this.openUntil) throw this.openError(this.openUntil - now);
    if (this.probing) throw this.openError(0);
    this.circuit = 'HALF_OPEN';
    this.probing = true;
    return true;
  }

  /** Feeds one vendor call's outcome to the breaker. */
  private record(probe: boolean, error: unknown): void {
    if (probe) this.probing = false;
    if (!countsAsFailure(error)) {
      this.consecutiveFailures = 0;
      this.circuit = 'CLOSED';
      return;
    }
    this.consecutiveFailures += 1;
    if (this.circuit === 'OPEN' && !probe) {
      // A late failure of a call sent before the circuit opened: it does not push the probe out.
      return;
    }
    // A failed probe reopens the circuit, unless a call that started earlier has closed it since.
    if ((probe && this.circuit === 'HALF_OPEN') || this.consecutiveFailures >= this.options.failureThreshold) {
      this.circuit = 'OPEN';
      this.openUntil = this.now() + this.options.openMs;
    }
  }

  private openError(remainingMs: number): DeskGraphError {
    const when = remainingMs > 0 ? `it is tried again in ${Math.ceil(remainingMs / 1000)}s` : 'a probe request is under way';
    return new DeskGraphError(
      'UPSTREAM_UNAVAILABLE',
      `${this.provider} failed repeatedly, so DeskGraph stopped calling it for now; ${when}.`,
      { provider: this.provider },
    );
  }
}
