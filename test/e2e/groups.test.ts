/**
 * Group ids through the built gateway (CONTRACT §1): Tickiti queue "4" and Intercom team "4" are
 * two groups, so a normalized client cache (Apollo Client, urql: `__typename:id`) keeps them
 * apart, and each keeps the vendor's raw id in `vendorId`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupId } from '../../src/domain/global-id.js';
import { intercomSampleTickets } from '../../src/simulators/intercom/data.js';
import { tickitiSampleTickets } from '../../src/simulators/tickiti/data.js';
import { fleetConfig, startGateway, startSimulators, type GatewayProcess, type SimulatorFleet } from '../helpers/processes.js';

let fleet: SimulatorFleet;
let gateway: GatewayProcess;

const GROUPS = `query($a: String!, $b: String!) {
  tickiti: ticket(provider: TICKITI, ref: $a) { group { __typename id vendorId name } }
  intercom: ticket(provider: INTERCOM, ref: $b) { group { __typename id vendorId name } }
}`;

interface GroupAnswer {
  data: Record<'tickiti' | 'intercom', { group: { __typename: string; id: string; vendorId: string; name: string | null } }>;
  errors?: unknown;
}

beforeAll(async () => {
  fleet = await startSimulators();
  gateway = await startGateway(fleetConfig(fleet));
});
afterAll(async () => {
  await gateway?.process.stop();
  await fleet?.process.stop();
});

describe('Group.id', () => {
  it('differs for two providers whose groups share a vendor id, and normalizes to two cache keys', async () => {
    const queueFour = tickitiSampleTickets().find((show) => show.ticket.queue_id === '4');
    expect(queueFour).toBeDefined();
    // An Intercom ticket assigned to team "4": the same raw id as Tickiti's technical queue.
    const teamFour = { ...intercomSampleTickets()[0]!, id: '88004', team_assignee_id: '4' };
    await fleet.addTickets('INTERCOM', [teamFour]);

    const { text } = await gateway.raw(JSON.stringify({ query: GROUPS, variables: { a: String(queueFour!.ticket.number), b: '88004' } }));
    const answer = JSON.parse(text) as GroupAnswer;
    expect(answer.errors).toBeUndefined();
    expect(answer.data.tickiti.group).toEqual({ __typename: 'Group', id: groupId('TICKITI', '4'), vendorId: '4', name: null });
    expect(answer.data.intercom.group).toEqual({ __typename: 'Group', id: groupId('INTERCOM', '4'), vendorId: '4', name: null });

    // What Apollo Client's and urql's default normalization makes of each object.
    const cacheKey = (group: { __typename: string; id: string }) => `${group.__typename}:${group.id}`;
    expect(cacheKey(answer.data.tickiti.group)).not.toBe(cacheKey(answer.data.intercom.group));
    expect(answer.data.tickiti.group.id).not.toBe(answer.data.intercom.group.id);
  });
});
