#!/usr/bin/env node
/**
 * Runs the vendor simulators as their own process (for end-to-end tests and benchmarks):
 * `node dist/src/simulators/main.js [--providers HEADONI,HOSTUP] [--latency MS] [--host H] [--unmetered]`
 * (`--unmetered`: without the limits vendors publish, e.g. TeamBattles' per-key bucket, for benchmarks).
 * When ready it prints one JSON line: `{ "HEADONI": { "url": "...", "token": "..." }, ... }`.
 * Each simulator is steered over HTTP under `/__sim/` (see simulator.ts). SIGTERM stops it.
 */
import { parseArgs } from 'node:util';
import { isProvider, PROVIDERS, type Provider } from '../domain/provider.js';
import { SIMULATORS } from './index.js';
import type { VendorSimulator } from './simulator.js';

const { values } = parseArgs({
  options: {
    providers: { type: 'string' },
    latency: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    unmetered: { type: 'boolean', default: false },
  },
});

const wanted = values.providers ? values.providers.split(',').map((name) => name.trim().toUpperCase()) : [...PROVIDERS];
const unknown = wanted.filter((name) => !isProvider(name));
if (unknown.length > 0) {
  console.error(`unknown provider(s): ${unknown.join(', ')}; expected some of ${PROVIDERS.join(', ')}`);
  process.exit(2);
}

const latencyMs = Number(values.latency ?? 0);
const running: VendorSimulator<unknown>[] = [];
const ready: Partial<Record<Provider, { url: string; token: string }>> = {};
for (const provider of wanted as Provider[]) {
  const simulator = SIMULATORS[provider].create({ latencyMs }, { unmetered: values.unmetered });
  running.push(simulator);
  ready[provider] = { url: await simulator.listen(0, values.host), token: SIMULATORS[provider].token };
}
console.log(JSON.stringify(ready));

const stop = async () => {
  await Promise.all(running.map((simulator) => simulator.close()));
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
