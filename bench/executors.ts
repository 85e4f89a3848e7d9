/**
 * The executor decision, measured (README, "Compiled execution"): the full-ticket query answered
 * in-process (`yoga.fetch`, no sockets) from a cached ticket by DeskGraph's yoga server with
 * graphql-js's executor, with the compiled executor (src/server/compiled-execution.ts), and with
 * @envelop/graphql-jit when it is installed (it is not a dependency:
 * `npm install --no-save @envelop/graphql-jit@^11` to include it). Rounds alternate the
 * executors so a busy machine slows them alike; each round's mean CPU time per request is kept
 * and the median round is printed, in microseconds.
 *
 *   npx tsx bench/executors.ts [--requests 200] [--rounds 31]
 */
import type { Plugin } from 'graphql-yoga';
import { BodyRenderer } from '../src/bodies/body-renderer.js';
import { parseConfig } from '../src/config/load.js';
import type { TicketRead } from '../src/domain/model.js';
import { PROVIDERS, providerKey } from '../src/domain/provider.js';
import { createLogger } from '../src/telemetry/logger.js';
import { describeProviders } from '../src/server/provider-directory.js';
import { createDeskGraphYoga } from '../src/server/yoga.js';
import { FULL_TICKET } from './queries.js';
import { sampleTickets } from './synthetic-tickets.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const REQUESTS = option('requests', 200);
const ROUNDS = option('rounds', 31);

const tickets = await sampleTickets();
// The ten-message conversation, as the benchmark's cache hit serves it.
const ticket = tickets.reduce((longest, one) => (one.messages.length > longest.messages.length ? one : longest));
const read: TicketRead = { ticket, fetchedAt: '2026-06-04T16:00:00.000Z', cacheStatus: 'HIT' };
const config = parseConfig(
  { providers: Object.fromEntries(PROVIDERS.map((provider) => [providerKey(provider), { baseUrl: 'https://vendor.example', token: 't' }])) },
  {},
);

async function jitPlugin(): Promise<Plugin | undefined> {
  const name = '@envelop/graphql-jit';
  try {
    const module = (await import(name)) as { useGraphQlJit(): Plugin };
    return module.useGraphQlJit();
  } catch {
    return undefined;
  }
}

// One pool for all three: each message is rendered once, so every executor serves memoized bodies.
const bodies = new BodyRenderer({ threads: 1 });

function server(compiledExecution: boolean, plugins: Plugin[] = []) {
  return createDeskGraphYoga({
    service: { read: async () => read },
    directory: describeProviders(config),
    bodies,
    logger: createLogger('silent'),
    compiledExecution,
    plugins,
  });
}

const jit = await jitPlugin();
const servers: [string, ReturnType<typeof server>][] = [
  ['graphql-js', server(false)],
  ['compiled (compiled-execution.ts)', server(true)],
  ...(jit ? ([['@envelop/graphql-jit', server(false, [jit])]] as [string, ReturnType<typeof server>][]) : []),
];
const body = JSON.stringify({ query: FULL_TICKET, variables: { provider: ticket.provider, ref: ticket.ref } });

async function ask(yoga: ReturnType<typeof server>): Promise<string> {
  const response = await yoga.fetch('http://gateway.bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body,
  });
  return response.text();
}

// Same answer from every executor, or the numbers compare nothing.
const answers = await Promise.all(servers.map(async ([, yoga]) => ask(yoga)));
for (const [index, answer] of answers.entries()) {
  if (answer !== answers[0]) throw new Error(`${servers[index]![0]} answers differently:\n${answer}\n${answers[0]}`);
  if (answer.includes('"errors"')) throw new Error(`the query failed: ${answer}`);
}

const means = new Map<string, number[]>(servers.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS + 1; round += 1) {
  for (const [name, yoga] of servers) {
    // CPU time, not wall time: on a shared machine other processes' work is not counted.
    const started = process.cpuUsage();
    for (let request = 0; request < REQUESTS; request += 1) await ask(yoga);
    const used = process.cpuUsage(started);
    const microseconds = (used.user + used.system) / REQUESTS;
    // Round 0 warms the JIT and the plans: not kept.
    if (round > 0) means.get(name)!.push(microseconds);
  }
}

const at = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * share)]!;
const median = (values: number[]) => at(values, 0.5);
const quartiles = (values: number[]) => `${at(values, 0.25).toFixed(0)}–${at(values, 0.75).toFixed(0)}`;
const baseline = median(means.get('graphql-js')!);
console.log(`full ticket (${ticket.messages.length} messages), ${REQUESTS} requests × ${ROUNDS} rounds, in-process yoga.fetch, CPU time`);
for (const [name, values] of means) {
  const value = median(values);
  console.log(`${name.padEnd(34)} ${value.toFixed(0).padStart(5)} µs/request  (${(baseline / value).toFixed(2)}× graphql-js; quartiles ${quartiles(values)})`);
}
await bodies.close();
if (!jit) console.log('@envelop/graphql-jit: not installed (npm install --no-save @envelop/graphql-jit@^11)');
