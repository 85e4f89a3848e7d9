/**
 * End-to-end plumbing: the built gateway (`dist/src/cli.js`) and the vendor simulators
 * (`dist/src/simulators/main.js`) as real processes, talked to over real HTTP.
 * `npm test` builds first (pretest), so dist/ is current.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { request } from 'undici';
import type { Provider } from '../../src/domain/provider.js';
import type { SimulatorControls } from '../../src/simulators/faults.js';
import type { SimulatorStats } from '../../src/simulators/stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli.js');
const SIMULATORS = join(ROOT, 'dist/src/simulators/main.js');

export interface RunningProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): RunningProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout,
    stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs a command to completion (for start-up failures). */
export async function runToExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = run([CLI, ...args], env);
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  // Let readline flush the last lines.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: proc.stdout.join('\n'), stderr: proc.stderr.join('\n') };
}

async function firstLine(proc: RunningProcess, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const line of proc.stdout) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (proc.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what} did not start:\n${proc.stderr.join('\n')}\n${proc.stdout.join('\n')}`);
}

export interface SimulatorFleet {
  process: RunningProcess;
  vendors: Record<Provider, { url: string; token: string }>;
  controls(provider: Provider, controls: Partial<SimulatorControls>): Promise<void>;
  stats(provider: Provider): Promise<SimulatorStats>;
  /** Total vendor requests across all simulators. */
  totalRequests(): Promise<number>;
  resetStats(): Promise<void>;
  /** Back to sample tickets, default controls and zero counts. */
  reset(): Promise<void>;
  addTickets(provider: Provider, tickets: unknown[]): Promise<void>;
}

export async function startSimulators(): Promise<SimulatorFleet> {
  const proc = run([SIMULATORS]);
  const [line] = await firstLine(proc, /^\{.*\}$/, 'simulators');
  const vendors = JSON.parse(line) as Record<Provider, { url: string; token: string }>;
  const call = async (provider: Provider, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
    const response = await request(`${vendors[provider].url}/__sim/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.body.json();
  };
  const all = Object.keys(vendors) as Provider[];
  const fleet: SimulatorFleet = {
    process: proc,
    vendors,
    controls: async (provider, controls) => void (await call(provider, 'PUT', 'controls', controls)),
    stats: async (provider) => (await call(provider, 'GET', 'stats')) as SimulatorStats,
    totalRequests: async () => (await Promise.all(all.map((p) => fleet.stats(p)))).reduce((sum, s) => sum + s.requests, 0),
    resetStats: async () => void (await Promise.all(all.map((p) => call(p, 'POST', 'reset-stats')))),
    reset: async () => void (await Promise.all(all.map((p) => call(p, 'POST', 'reset')))),
    addTickets: async (provider, tickets) => void (await call(provider, 'PUT', 'tickets', tickets)),
  };
  return fleet;
}

/** A configuration object wiring every simulator of the fleet (overridable per provider). */
export function fleetConfig(fleet: SimulatorFleet, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  for (const [provider, { url, token }] of Object.entries(fleet.vendors)) {
    providers[provider.toLowerCase()] = { baseUrl: url, token };
  }
  providers['tickiti'] = { ...(providers['tickiti'] as object), priorityMap: { '10': 'LOW', '20': 'NORMAL', '30': 'HIGH', '40': 'URGENT' } };
  return { providers, ...overrides };
}

export interface GatewayProcess {
  process: RunningProcess;
  url: string;
  origin: string;
  query<R, V>(document: TypedDocumentNode<R, V>, variables?: V, headers?: Record<string, string>): Promise<GraphQLResponse<R>>;
  raw(body: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
}

export interface GraphQLResponse<R> {
  status: number;
  data?: R | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  /** The whole response body as text, for "never contains" checks. */
  text: string;
}

export async function startGateway(config: Record<string, unknown>, env: Record<string, string> = {}): Promise<GatewayProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'deskgraph-'));
  const file = join(dir, 'config.json');
  // Owner-only, as a file holding tokens should be (the gateway warns about a world-readable one).
  await writeFile(file, JSON.stringify(config), { mode: 0o600 });
  const proc = run([CLI, '--config', file, '--port', '0', '--host', '127.0.0.1'], env);
  const [, url] = await firstLine(proc, /ready at (http:\/\/\S+)/, 'gateway');
  const raw = async (body: string, headers: Record<string, string> = {}) => {
    const response = await request(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
      body,
    });
    return { status: response.statusCode, text: await response.body.text() };
  };
  return {
    process: proc,
    url: url!,
    origin: new URL(url!).origin,
    raw,
    async query(document, variables, headers) {
      const { status, text } = await raw(JSON.stringify({ query: print(document), variables }), headers);
      return { status, text, ...(JSON.parse(text) as Omit<GraphQLResponse<never>, 'status' | 'text'>) };
    },
  };
}
