/**
 * The demo: the five vendor simulators on loopback with their sample desks, and a
 * configuration that wires the gateway to them with the simulators' own tokens.
 */
import { parseConfig } from './config/load.js';
import type { DeskGraphConfig } from './config/schema.js';
import { PROVIDERS, providerKey, type Provider } from './domain/provider.js';
import { SIMULATORS } from './simulators/index.js';
import type { VendorSimulator } from './simulators/simulator.js';

export interface Demo {
  config: DeskGraphConfig;
  urls: Record<Provider, string>;
  /** GraphiQL's default tab: one ticket from each provider. */
  defaultQuery: string;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const simulators: VendorSimulator<unknown>[] = [];
  const urls = {} as Record<Provider, string>;
  const providers: Record<string, unknown> = {};
  try {
    for (const provider of PROVIDERS) {
      const entry = SIMULATORS[provider];
      const simulator = entry.create();
      simulators.push(simulator);
      urls[provider] = await simulator.listen(0, '127.0.0.1');
      providers[providerKey(provider)] = { baseUrl: urls[provider], token: entry.token, ...entry.demoSettings };
    }
  } catch (error) {
    await Promise.all(simulators.map((simulator) => simulator.close()));
    throw error;
  }
  const config = parseConfig({ providers }, {}, 'demo configuration');
  return {
    config,
    urls,
    defaultQuery: tourQuery(),
    close: async () => {
      await Promise.all(simulators.map((simulator) => simulator.close()));
    },
  };
}

/** A tour of the schema over the demo desks: one ticket from each provider, side by side. */
export function tourQuery(): string {
  const tickets = PROVIDERS.map(
    (provider) => `  ${providerKey(provider)}: ticket(provider: ${provider}, ref: "${SIMULATORS[provider].sampleRef(0)}") {\n    ...TicketCard\n  }`,
  ).join('\n');
  return `# Welcome to DeskGraph: one GraphQL API over five helpdesks.
# This reads one ticket from each demo desk. Press ▶ (or Ctrl+Enter) to run it.
#
# Try next:
# - tickets(refs: [{ provider: HOSTUP, ref: "..." }, ...]) reads many at once, in order
# - node(id: "<a ticket id>") reads a ticket by its global id
# - messages(visibility: INTERNAL) shows staff-only notes
# - providers { provider configured } lists the desks this gateway serves
query OneTicketFromEachDesk {
${tickets}
}

fragment TicketCard on Ticket {
  id
  provider
  ref
  number
  subject
  status
  vendorStatus
  priority
  requester { name email }
  group { name }
  createdAt
  cacheStatus
  messages {
    authorKind
    visibility
    createdAt
    bodyText
    attachments { name contentType size url }
  }
}
`;
}
