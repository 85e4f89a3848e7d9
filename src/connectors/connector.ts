/**
 * What every vendor connector offers the rest of the gateway: read one ticket by a ref that
 * `domain/refs.ts` has already accepted, and return it mapped to the unified model, or throw a
 * `DeskGraphError` with a CONTRACT §3 code. Connectors do no caching, limiting or retrying:
 * `upstream/` wraps them for that.
 */
import type { Ticket, TicketPriority } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import type { CheckedRef } from '../domain/refs.js';
import type { HttpTransport } from '../transport/http.js';

export interface Connector {
  readonly provider: Provider;
  fetchTicket(ref: CheckedRef, signal: AbortSignal): Promise<Ticket>;
}

/** What a connector needs from the provider's configuration. */
export interface ConnectorSettings {
  token: string;
  /** Intercom: sent as `Intercom-Version`. */
  version?: string | undefined;
  /** Tickiti: its numeric priority strings → unified priorities. */
  priorityMap?: Readonly<Record<string, TicketPriority>> | undefined;
}

/** What a pure mapper may know besides the payload. */
export interface MapContext {
  /** Epoch ms of the read, for time-relative fields (Tickiti's `on_hold_until`). */
  now: number;
  /** Tickiti: its numeric priority strings → unified priorities. Empty elsewhere. */
  priorityMap: Readonly<Record<string, TicketPriority>>;
  /** Resolves a vendor-relative URL (HostUp's `downloadUrl`) against the provider's baseUrl. */
  absoluteUrl(pathOrUrl: string): string;
}

export function mapContext(transport: HttpTransport, settings: ConnectorSettings, now = Date.now()): MapContext {
  return {
    now,
    priorityMap: settings.priorityMap ?? {},
    absoluteUrl: (pathOrUrl) => transport.absoluteUrl(pathOrUrl),
  };
}

export type ConnectorFactory = (transport: HttpTransport, settings: ConnectorSettings) => Connector;
