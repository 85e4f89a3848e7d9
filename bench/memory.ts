/**
 * Memory: a gateway process whose ticket cache is filled to `maxBytes` with 100k tickets.
 * `node --expose-gc dist/bench/memory.js '<MemoryOptions as JSON>'` prints one `MemoryResult`
 * as JSON.
 *
 * Filling a cache through HTTP would map 100k vendor payloads (several minutes of sanitizing on
 * this machine), so this process builds a real gateway (createGateway, listening, with its
 * schema, plugins and connectors loaded) and fills that gateway's own cache the way the ticket
 * service does after each read, with realistic tickets (see synthetic-tickets.ts). maxBytes is
 * set so that `tickets` average tickets fill it; 10% more are stored, so the cache is full and
 * evicting when memory is read.
 */
import { parseConfig } from '../src/config/load.js';
import { PROVIDERS } from '../src/domain/provider.js';
import { createGateway } from '../src/server/gateway.js';
import { createLogger } from '../src/telemetry/logger.js';
import { MemoryTicketStore } from '../src/stores/memory-ticket-store.js';
import type { StoredTicket } from '../src/stores/types.js';
import { memoryOf } from './processes.js';
import { sampleTickets, ticketCopies } from './synthetic-tickets.js';

export interface MemoryOptions {
  /** How many tickets fill the cache. @default 100000 */
  tickets?: number;
}

export interface MemoryResult {
  tickets: number;
  maxBytes: number;
  /** The cache's own estimate for an average ticket (templates × one cycle). */
  averageEntryBytes: number;
  stored: number;
  entries: number;
  bytes: number;
  /** RSS with the gateway started and the cache empty. */
  baselineRss: number;
  /** RSS with the cache full, after a full garbage collection. */
  rss: number;
  /** Highest RSS of the process (VmHWM), the fill included. */
  peakRss: number;
  heapUsed: number;
  /** Heap growth from empty to full, per entry: the measured counterpart of averageEntryBytes. */
  heapPerEntry: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as MemoryOptions;
const tickets = options.tickets ?? 100_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function settle(): void {
  gc!();
  gc!();
}

const templates = await sampleTickets();
const copyOf = ticketCopies(templates);
const now = Date.now();
const entryOf = (index: number): StoredTicket => ({
  ticket: copyOf(index),
  fetchedAt: new Date(now).toISOString(),
});

// The cache's own estimate of the average ticket, over one cycle of the templates.
const probe = new MemoryTicketStore({ maxBytes: 1 << 24 });
for (let index = 0; index < templates.length; index += 1) await probe.put(entryOf(index), [], { freshMs: 60_000, staleMs: 0 });
const averageEntryBytes = (await probe.stats()).bytes / templates.length;
const maxBytes = Math.round(averageEntryBytes * tickets);

const providers = Object.fromEntries(
  PROVIDERS.map((provider) => [provider.toLowerCase(), { baseUrl: 'http://127.0.0.1:9', token: 'unused' }]),
);
const gateway = createGateway({
  config: parseConfig({ cache: { maxBytes }, providers }, {}, 'memory benchmark'),
  logger: createLogger('silent'),
});
await gateway.listen(0, '127.0.0.1');
settle();
const baselineRss = (await memoryOf(process.pid)).rss;
const baselineHeap = process.memoryUsage().heapUsed;

// As the ticket service stores a read: under its nativeId, reachable by the ref it was read with.
const stored = Math.round(tickets * 1.1);
for (let index = 0; index < stored; index += 1) {
  const entry = entryOf(index);
  await gateway.cache.put(entry, [entry.ticket.number ?? entry.ticket.ref], { freshMs: 60_000, staleMs: 86_400_000 });
}
const { entries, bytes } = await gateway.cache.stats();
settle();
const heapUsed = process.memoryUsage().heapUsed;
const { rss, peakRss } = await memoryOf(process.pid);
await gateway.close(0);

const result: MemoryResult = {
  tickets,
  maxBytes,
  averageEntryBytes,
  stored,
  entries,
  bytes,
  baselineRss,
  rss,
  peakRss,
  heapUsed,
  heapPerEntry: (heapUsed - baselineHeap) / entries,
};
console.log(JSON.stringify(result));
