/**
 * What every vendor connector offers the rest of the gateway: read one ticket by a ref that
 * `domain/refs.ts` has already accepted, and return it mapped to the unified model, or throw a
 * `DeskGraphError` with a CONTRACT §3 code. Connectors do no caching, limiting or retrying:
 * `upstream/` wraps them for that.
 */
import type { TicketPriority } from '../domain/model.js';
import type { Ticket } from '../domain/model.js';
import type { Provider } from '../domain/provider.js';
import type { HttpTransport } from '../upstream/http.js';

export interface Connector {
  readonly provider: Provider;
  fetchTicket(ref: string, signal: AbortSignal): Promise<Ticket>;
}

/** What a connector needs from the provider's configuration. */
export interface ConnectorSettings {
  token: string;
  /** Intercom: sent as `Intercom-Version`. */
  version?: string | undefined;
  /** Tickiti: its numeric priority strings → unified priorities. */
  priorityMap?: Readonly<Record<string, TicketPriority>> | undefined;
}

export type ConnectorFactory = (transport: HttpTransport, settings: ConnectorSettings) => Connector;
