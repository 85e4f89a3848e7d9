/**
 * The simulators' `synthesize` control: any well-formed ref the desk does not hold is a copy of
 * the long sample conversation, re-keyed to that ref. Read through each vendor's real connector,
 * so a synthesized ticket is proven to be a payload the vendor could have sent.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../src/connectors/index.js';
import type { Provider } from '../../src/domain/provider.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { LONG_THREAD_INDEX, SAMPLE_THREADS } from '../../src/simulators/sample-threads.js';
import { failure, useConnectorHarness } from '../helpers/connector-harness.js';

interface Case {
  provider: Provider;
  /** Refs the sample desk does not hold, and the canonical ref each must come back with. */
  reads: { ref: string; canonical: string }[];
  /**
   * A request for a ref the vendor itself refuses, which synthesize must not turn into a ticket,
   * and the vendor's refusal (sent raw: the connectors would refuse such a ref before asking).
   */
  malformed: { method: 'GET' | 'POST'; path: string; body?: object; status: number };
}

const CASES: Case[] = [
  {
    provider: 'HEADONI',
    // Read by number, the id follows; a 19-digit ref too large for a number is read as an id.
    reads: [
      { ref: '987654', canonical: '9000000000000987654' },
      { ref: '9100000000000000001', canonical: '9100000000000000001' },
    ],
    // Not digits: Headoni's 400.
    malformed: { method: 'GET', path: '/api/v1/tickets/abc', status: 400 },
  },
  {
    provider: 'TICKITI',
    reads: [{ ref: '777001', canonical: '777001' }],
    // A ticket_number that is not a number: Tickiti's 422.
    malformed: { method: 'POST', path: '/api/v1/tickets/show', body: { ticket_number: 'abc' }, status: 422 },
  },
  {
    provider: 'INTERCOM',
    reads: [{ ref: '880001', canonical: '880001' }],
    // Intercom ids are digits.
    malformed: { method: 'GET', path: '/tickets/abc', status: 404 },
  },
  {
    provider: 'HOSTUP',
    reads: [
      { ref: 'tkt_01benchmarkticket0000001', canonical: 'tkt_01benchmarkticket0000001' },
      { ref: '4242', canonical: 'tkt_01syn000000000000000004242' },
    ],
    // HostUp ids are lower case.
    malformed: { method: 'GET', path: '/api/v2/support/tickets/TKT_01UPPER', status: 404 },
  },
  {
    provider: 'TEAMBATTLES',
    reads: [{ ref: 'bench-ticket-42', canonical: 'bench-ticket-42' }],
    // Never revealing whether an id exists, TeamBattles answers a malformed one 404 too.
    malformed: { method: 'GET', path: `/api/v1/tickets/${encodeURIComponent('not an id!')}`, status: 404 },
  },
];

describe.each(CASES)('$provider simulator with synthesize', ({ provider, reads, malformed }) => {
  const entry = SIMULATORS[provider];
  const harness = useConnectorHarness(() => entry.create(), CONNECTORS[provider], entry.demoSettings);

  it('answers an unknown well-formed ref with the long conversation under that ref', async () => {
    const { simulator, fetch } = await harness();
    const template = await fetch(entry.sampleRef(LONG_THREAD_INDEX));
    simulator.setControls({ synthesize: true });

    for (const { ref, canonical } of reads) {
      const ticket = await fetch(ref);
      expect(ticket.ref).toBe(canonical);
      expect(ticket.subject).toBe(SAMPLE_THREADS[LONG_THREAD_INDEX]!.subject);
      expect(ticket.messages.map((message) => message.body)).toEqual(template.messages.map((message) => message.body));
      // Read again by its canonical ref: the same ticket (synthesis is deterministic).
      expect(await fetch(canonical)).toEqual(ticket);
    }
    // Distinct refs are distinct tickets, and the sample desk is served as before.
    expect(new Set(reads.map(({ canonical }) => canonical)).size).toBe(reads.length);
    expect((await fetch(entry.sampleRef(0))).subject).toBe(SAMPLE_THREADS[0]!.subject);
  });

  it('is off by default and after a reset: the vendor says not found', async () => {
    const { simulator, fetch } = await harness();
    expect((await failure(fetch(reads[0]!.ref))).code).toBe('NOT_FOUND');
    simulator.setControls({ synthesize: true });
    simulator.reset();
    expect((await failure(fetch(reads[0]!.ref))).code).toBe('NOT_FOUND');
  });

  it('still refuses a ref the vendor itself would refuse, as the vendor does', async () => {
    const { simulator } = await harness();
    simulator.setControls({ synthesize: true });
    const response = await request(`${simulator.url}${malformed.path}`, {
      method: malformed.method,
      headers: { authorization: `Bearer ${entry.token}`, 'content-type': 'application/json', 'intercom-version': '2.11' },
      body: malformed.body === undefined ? null : JSON.stringify(malformed.body),
    });
    expect(response.statusCode).toBe(malformed.status);
    await response.body.dump();
    expect(simulator.stats.byStatus).toEqual({ [String(malformed.status)]: 1 });
  });

  it('is switched over HTTP like every other control', async () => {
    const { simulator, fetch } = await harness();
    const response = await request(`${simulator.url}/__sim/controls`, { method: 'PUT', body: JSON.stringify({ synthesize: true }) });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toMatchObject({ synthesize: true });
    expect((await fetch(reads[0]!.ref)).ref).toBe(reads[0]!.canonical);
  });
});
