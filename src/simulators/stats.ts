/**
 * What the simulator counts of the vendor requests it serves: requests in total, by path and by
 * answered status, requests in flight and the most ever in flight (the gateway's concurrency
 * limits are proved against it). Control requests (`/__sim/`) are never counted.
 */

export interface SimulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  byPath: Record<string, number>;
  byStatus: Record<string, number>;
}

/** One counted request, from its arrival until it has been answered. */
export interface CountedRequest {
  answered(status: number): void;
  /** The request is no longer in flight (answered or failed). */
  leave(): void;
}

export class RequestCounts {
  private current: SimulatorStats = emptyStats();

  /** A copy: the counts go on changing. */
  snapshot(): SimulatorStats {
    return structuredClone(this.current);
  }

  reset(): void {
    this.current = emptyStats();
  }

  /**
   * Counts a request to `path` (still encoded) as arrived and in flight. Its answer and its
   * leaving are counted where it arrived, so a reset while it is in flight starts from zero.
   */
  arrive(path: string): CountedRequest {
    const stats = this.current;
    stats.requests += 1;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    return {
      answered: (status) => {
        stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
      },
      leave: () => {
        stats.inFlight -= 1;
      },
    };
  }
}

function emptyStats(): SimulatorStats {
  return { requests: 0, inFlight: 0, maxInFlight: 0, byPath: {}, byStatus: {} };
}
