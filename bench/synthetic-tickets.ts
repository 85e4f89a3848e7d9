/**
 * Realistic unified tickets in any number, for filling a cache. The templates are every
 * vendor's sample desk read through its real connector (wire validation, body sanitizing,
 * mapping), so sizes, shapes and string contents are what the gateway really caches. The i-th
 * ticket is a JSON copy of template i mod n under its own ref: every string is its own copy,
 * as it is when each ticket comes from its own vendor response.
 */
import { Agent } from 'undici';
import { CONNECTORS } from '../src/connectors/index.js';
import type { Ticket } from '../src/domain/model.js';
import { PROVIDERS } from '../src/domain/provider.js';
import { SIMULATORS } from '../src/simulators/index.js';
import { SAMPLE_THREADS } from '../src/simulators/sample-threads.js';
import { HttpTransport } from '../src/transport/http.js';
import { checkRef } from '../src/domain/refs.js';

/** Every sample ticket of every vendor, as its connector maps it. */
export async function sampleTickets(): Promise<Ticket[]> {
  const dispatcher = new Agent();
  const tickets: Ticket[] = [];
  try {
    for (const provider of PROVIDERS) {
      const entry = SIMULATORS[provider];
      const simulator = entry.create();
      const baseUrl = await simulator.listen();
      try {
        const connector = CONNECTORS[provider](new HttpTransport({ provider, baseUrl, dispatcher }), {
          token: entry.token,
          ...entry.demoSettings,
        });
        for (let index = 0; index < SAMPLE_THREADS.length; index += 1) {
          tickets.push(await connector.fetchTicket(checkRef(provider, entry.sampleRef(index)), AbortSignal.timeout(10_000)));
        }
      } finally {
        await simulator.close();
      }
    }
  } finally {
    await dispatcher.close();
  }
  return tickets;
}

/**
 * The i-th synthetic ticket: a copy of template i mod n under its own nativeId and ref. Objects
 * are copied by spread, which keeps the template's hidden classes (so the layout is the mapper's,
 * not JSON.parse's); strings are fresh copies, except enum values, which mappers share as literals.
 */
export function ticketCopies(templates: Ticket[]): (index: number) => Ticket {
  return (index) => {
    const ticket = copy(templates[index % templates.length]!) as Ticket;
    ticket.nativeId = ticket.ref = `${ticket.nativeId}-${index}`;
    return ticket;
  };
}

const ENUM_VALUE = /^[A-Z][A-Z_]*$/;

function copy(value: unknown): unknown {
  if (typeof value === 'string') return ENUM_VALUE.test(value) ? value : (JSON.parse(JSON.stringify(value)) as string);
  if (Array.isArray(value)) return value.map(copy);
  if (value === null || typeof value !== 'object') return value;
  const copied: Record<string, unknown> = { ...value };
  for (const key in copied) copied[key] = copy(copied[key]);
  return copied;
}
