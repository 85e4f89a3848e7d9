/**
 * The built gateway configured at different Intercom-Versions, against the Intercom simulator
 * process (which answers each version in its documented shape): the same ticket reads the same.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketDocument, type TicketQuery } from '../../generated/graphql/graphql.js';
import { groupId } from '../../src/domain/global-id.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { fleetConfig, runToExit, startGateway, startSimulators, type GatewayProcess, type SimulatorFleet } from '../helpers/processes.js';

const VERSIONS = ['2.9', '2.11', '2.14', 'Preview'] as const;
const ref = (index: number) => SIMULATORS.INTERCOM.sampleRef(index);

let fleet: SimulatorFleet;
const gateways = new Map<string, GatewayProcess>();

beforeAll(async () => {
  fleet = await startSimulators();
  // One after the other: four gateways starting at once can overrun a small CI machine's start-up budget.
  for (const version of VERSIONS) {
    const config = fleetConfig(fleet) as { providers: Record<string, Record<string, unknown>> };
    config.providers['intercom'] = { ...config.providers['intercom'], version };
    gateways.set(version, await startGateway(config));
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([...gateways.values()].map((gateway) => gateway.process.stop()));
  await fleet?.process.stop();
});

type Read = NonNullable<TicketQuery['ticket']>;
type Message = Read['messages'][number];

/**
 * The ticket as each configured version reads it, without the read's own time, and each message
 * body reduced to whether it has one: rendering runs under a time budget, so on a loaded machine
 * one gateway may serve the shortened fallback of a body another rendered in full.
 */
async function readEverywhere(index: number) {
  const reads = new Map<string, Omit<Read, 'fetchedAt' | 'messages'> & { messages: (Omit<Message, 'bodyText' | 'bodyHtml'> & { hasBody: boolean })[] }>();
  for (const version of VERSIONS) {
    const response = await gateways.get(version)!.query(TicketDocument, { provider: 'INTERCOM', ref: ref(index) });
    expect(response.errors).toBeUndefined();
    const { fetchedAt: _fetchedAt, messages, ...ticket } = response.data!.ticket!;
    const bodiless = messages.map(({ bodyText, bodyHtml: _html, ...message }) => ({ ...message, hasBody: bodyText !== null }));
    reads.set(version, { ...ticket, messages: bodiless });
  }
  return reads;
}

describe('one Intercom ticket at 2.11, 2.14 and Preview', () => {
  it.each([
    // Sample 1: assigned to an admin and a team, state "In progress".
    [1, { status: 'IN_PROGRESS', vendorStatus: 'in_progress', statusLabel: 'In progress', assignee: { name: null, email: null, vendorId: '5391222' }, group: { id: groupId('INTERCOM', '814001'), vendorId: '814001', name: null } }],
    // Sample 4: a custom state of category in_progress.
    [4, { status: 'IN_PROGRESS', vendorStatus: 'in_progress', statusLabel: 'Escalated to engineering', assignee: { name: null, email: null, vendorId: '5391222' }, group: { id: groupId('INTERCOM', '814003'), vendorId: '814003', name: null } }],
    // Sample 5: nobody assigned ("0" up to 2.15, 0 on Preview).
    [5, { status: 'OPEN', vendorStatus: 'submitted', statusLabel: 'Submitted', assignee: null, group: null }],
    // Sample 23: resolved, with a redacted customer part and a quick reply.
    [23, { status: 'RESOLVED', vendorStatus: 'resolved', statusLabel: 'Resolved', assignee: { name: null, email: null, vendorId: '5391223' }, group: null }],
  ])('reads sample %i with the same unified values', async (index, expected) => {
    const reads = await readEverywhere(index);
    const current = reads.get('2.14')!;
    expect(current).toMatchObject({ ...expected, number: String(2390 + index), cacheStatus: 'MISS' });
    expect(reads.get('2.11')).toEqual(current);
    expect(reads.get('Preview')).toEqual(current);
    // 2.9 answers the same ticket without its display number: proof each gateway sent its own version.
    expect(reads.get('2.9')).toEqual({ ...current, number: null });
  });

  it('keeps the comment, the redacted part, the close part and the quick reply as messages on every version', async () => {
    const reads = await readEverywhere(23);
    for (const version of VERSIONS) {
      expect(reads.get(version)!.messages.map((m) => [m.visibility, m.authorKind, m.hasBody])).toEqual([
        ['PUBLIC', 'CUSTOMER', true],
        // Redacted: Intercom's placeholder is not served.
        ['PUBLIC', 'CUSTOMER', false],
        // `close` with a body.
        ['PUBLIC', 'AGENT', true],
        // `quick_reply`: options, no body.
        ['PUBLIC', 'AGENT', false],
      ]);
    }
    expect((await fleet.stats('INTERCOM')).byStatus).not.toHaveProperty('400');
  });
});

describe('providers.intercom.version', () => {
  it('stops start-up on an unquoted 2.10 (YAML reads 2.1), naming the accepted versions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deskgraph-intercom-'));
    const file = join(dir, 'deskgraph.yaml');
    await writeFile(file, ['providers:', '  intercom: { baseUrl: "https://api.intercom.io", token: "t", version: 2.10 }', ''].join('\n'));
    const result = await runToExit(['--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      `${file}: invalid configuration`,
      '  - providers.intercom.version: must be an Intercom-Version whose API has tickets: one of "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "Preview", "Unstable" in quotes (unquoted, YAML reads 2.10 as the number 2.1)',
    ]);
  });
});
