/**
 * The demo: the five vendor simulators on loopback with their sample desks, and a
 * configuration that wires the gateway to them with the simulators' own tokens.
 */
import { parseConfig } from './config/load.js';
import type { DeskGraphConfig } from './config/schema.js';
import { ticketId } from './domain/global-id.js';
import { PROVIDERS, providerKey, type Provider } from './domain/provider.js';
import { SIMULATORS } from './simulators/index.js';
import { SAMPLE_THREADS } from './simulators/sample-threads.js';
import type { VendorSimulator } from './simulators/simulator.js';

export interface Demo {
  config: DeskGraphConfig;
  urls: Record<Provider, string>;
  /** GraphiQL's default tab: one ticket from each provider. */
  defaultQuery: string;
  close(): Promise<void>;
}

/** The names a browser reaches a gateway on loopback by. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export interface DemoOptions {
  /**
   * Answer only on loopback host names (`server.allowedHosts`): the demo has no keys, so a page
   * elsewhere must not reach it by DNS rebinding. Off when the demo listens beyond loopback.
   * @default true
   */
  loopbackOnly?: boolean;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
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
  const server = options.loopbackOnly === false ? {} : { allowedHosts: LOOPBACK_HOSTS };
  const config = parseConfig({ providers, server }, {}, 'demo configuration');
  return {
    config,
    urls,
    defaultQuery: tourQuery(),
    close: async () => {
      await Promise.all(simulators.map((simulator) => simulator.close()));
    },
  };
}

/**
 * GraphiQL's default tab over the demo desks: a tour of what the schema does, one root field
 * per idea, each with a comment saying what to notice. It reads one ticket from each desk (the
 * browser test checks all five show), a whole thread with staff notes and an attachment, a
 * refetch by global id, and the providers.
 */
export function tourQuery(): string {
  const ref = (provider: Provider, index: number) => SIMULATORS[provider].sampleRef(index);
  // Every desk holds one ticket per sample thread: the counts and ranges follow the data.
  const count = SAMPLE_THREADS.length;
  const range = (provider: Provider) => `${ref(provider, 0)}-${ref(provider, count - 1)}`;
  const inbox = PROVIDERS.map((provider, index) => `    { provider: ${provider}, ref: "${ref(provider, index)}" }`).join('\n');
  return `# DeskGraph: one GraphQL API over every helpdesk.
# The demo desks are five vendor simulators with
# ${count} sample tickets each. Press ▶ or Ctrl+Enter.
#
# Then try:
# - another ref in inbox: Headoni ${range('HEADONI')},
#   Tickiti ${range('TICKITI')}
# - a ref that does not exist: null, and an error
#   that names it
# - Ctrl+Space for completion; Docs (top left)
#   describes every field
query Tour {
  # 1. One ticket from each desk, one Ticket type
  #    whatever the vendor: answered in the order
  #    asked, each distinct ticket read once.
  inbox: tickets(refs: [
${inbox}
  ]) {
    ...TicketRow
  }

  # 2. A whole thread, oldest first, staff notes
  #    included (add visibility: INTERNAL for only
  #    those). bodyHtml is sanitized, safe to
  #    render; bodyText is plain text.
  thread: ticket(provider: TICKITI, ref: "${ref('TICKITI', 3)}") {
    subject
    status
    messages {
      authorKind
      visibility
      author { name email }
      createdAt
      bodyText
      attachments { name contentType size }
    }
  }

  # 3. Relay-style refetch: any Ticket.id is a
  #    global id that node(id) reads again.
  byId: node(id: "${ticketId('HOSTUP', ref('HOSTUP', 2))}") {
    id
    ... on Ticket { provider ref subject status }
  }

  # 4. The desks this gateway serves.
  providers { provider configured origin }
}

fragment TicketRow on Ticket {
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
  updatedAt
  cacheStatus
}
`;
}
