/** Every vendor simulator, its token and a few of its sample refs: used by the demo and tests. */
import type { Provider } from '../domain/provider.js';
import { createHeadoniSimulator, HEADONI_SIM_TOKEN } from './headoni/spec.js';
import { createHostUpSimulator, HOSTUP_SIM_TOKEN } from './hostup/spec.js';
import { hostUpSampleTickets } from './hostup/data.js';
import { createIntercomSimulator, INTERCOM_SIM_TOKEN } from './intercom/spec.js';
import { intercomSampleTickets } from './intercom/data.js';
import type { SimulatorControls } from './faults.js';
import type { VendorSimulator } from './simulator.js';
import { teamBattlesTicketId } from './teambattles/data.js';
import { createTeamBattlesSimulator, TEAMBATTLES_SIM_TOKEN } from './teambattles/spec.js';
import { tickitiTicketNumber } from './tickiti/data.js';
import { createTickitiSimulator, TICKITI_SIM_TOKEN } from './tickiti/spec.js';

export interface SimulatorOptions {
  /**
   * Turns off the limits a vendor publishes and its simulator enforces on its own (TeamBattles'
   * per-key token bucket), for benchmarks that measure the gateway rather than the vendor.
   * @default false
   */
  unmetered?: boolean;
}

export interface SimulatorEntry {
  create(controls?: Partial<SimulatorControls>, options?: SimulatorOptions): VendorSimulator<unknown>;
  /** The bearer token the simulator accepts. */
  token: string;
  /** The canonical ref of the i-th sample ticket. */
  sampleRef(index: number): string;
  /** Provider settings the demo adds besides baseUrl and token. */
  demoSettings: Record<string, unknown>;
}

export const SIMULATORS: Record<Provider, SimulatorEntry> = {
  HEADONI: {
    create: createHeadoniSimulator as SimulatorEntry['create'],
    token: HEADONI_SIM_TOKEN,
    sampleRef: (index) => String(1240 + index),
    demoSettings: {},
  },
  TICKITI: {
    create: createTickitiSimulator as SimulatorEntry['create'],
    token: TICKITI_SIM_TOKEN,
    sampleRef: (index) => String(tickitiTicketNumber(index)),
    demoSettings: { priorityMap: { '10': 'LOW', '20': 'NORMAL', '30': 'HIGH', '40': 'URGENT' } },
  },
  INTERCOM: {
    create: createIntercomSimulator as SimulatorEntry['create'],
    token: INTERCOM_SIM_TOKEN,
    sampleRef: (index) => intercomSampleTickets()[index]!.id,
    // The configuration's default Intercom-Version.
    demoSettings: {},
  },
  HOSTUP: {
    create: createHostUpSimulator as SimulatorEntry['create'],
    token: HOSTUP_SIM_TOKEN,
    sampleRef: (index) => hostUpSampleTickets()[index]!.id,
    demoSettings: {},
  },
  TEAMBATTLES: {
    create: ((controls, options) =>
      createTeamBattlesSimulator(controls, options?.unmetered ? { bucket: null } : {})) as SimulatorEntry['create'],
    token: TEAMBATTLES_SIM_TOKEN,
    sampleRef: teamBattlesTicketId,
    demoSettings: {},
  },
};
