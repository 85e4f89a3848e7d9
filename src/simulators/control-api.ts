/**
 * The simulator's controls over HTTP, for tests and benchmarks that run the simulators as a
 * separate process: the same operations as the in-process API of `VendorSimulator`.
 *
 * - `GET /__sim/stats`: the counts (`SimulatorStats`);
 * - `POST /__sim/reset`: initial tickets, default controls, zero counts;
 * - `POST /__sim/reset-stats`: zero counts only;
 * - `PUT /__sim/controls`: a partial `SimulatorControls`; answers the controls now in force, or
 *   400 when they cannot apply (`synthesize` for a vendor without a template);
 * - `PUT /__sim/tickets`: an array of vendor-shaped tickets to add;
 * - `PUT /__sim/crafted`: the raw body of the next answer.
 */
import type { SimulatorControls } from './faults.js';
import { parseJson, type ControlReply } from './sim-server.js';
import type { VendorSimulator } from './simulator.js';

export function answerControl<T>(simulator: VendorSimulator<T>, method: string, path: string, text: string): ControlReply {
  const reply = (status: number, body: unknown): ControlReply => ({ status, body });
  if (method === 'GET' && path === '/__sim/stats') return reply(200, simulator.stats);
  if (method === 'POST' && path === '/__sim/reset') {
    simulator.reset();
    return reply(200, { ok: true });
  }
  if (method === 'POST' && path === '/__sim/reset-stats') {
    simulator.resetStats();
    return reply(200, { ok: true });
  }
  if (method === 'PUT' && path === '/__sim/controls') {
    try {
      simulator.setControls(parseJson(text) as Partial<SimulatorControls>);
    } catch (error) {
      return reply(400, { error: (error as Error).message });
    }
    return reply(200, simulator.controls);
  }
  if (method === 'PUT' && path === '/__sim/crafted') {
    simulator.answerNextWith(text);
    return reply(200, { bytes: Buffer.byteLength(text) });
  }
  if (method === 'PUT' && path === '/__sim/tickets') {
    const tickets = parseJson(text);
    if (!Array.isArray(tickets)) return reply(400, { error: 'expected an array of tickets' });
    for (const ticket of tickets) simulator.store.add(ticket as T);
    return reply(200, { added: tickets.length });
  }
  return reply(404, { error: 'unknown simulator control' });
}
