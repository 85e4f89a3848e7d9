/**
 * The benchmark's processes: the vendor simulators and the gateway as built (`dist/`), the
 * bare-yoga floor, and short-lived load workers, each its own Node process so that no two
 * share an event loop. Workers run compiled (`dist/bench/`, see bench/tsconfig.json): a
 * TypeScript loader would add its own thread and ~35 MB to every process it measures.
 * Every server listens on an ephemeral port and announces it on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { Provider } from '../src/domain/provider.js';
import type { SimulatorControls } from '../src/simulators/faults.js';
import type { SimulatorStats } from '../src/simulators/stats.js';

/** The repository root, from bench/ or from its compiled copy in dist/bench/. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'dist/src/cli.js');
const SIMULATORS = join(ROOT, 'dist/src/simulators/main.js');
/** Where the compiled workers are. */
export const BENCH_DIST = join(ROOT, 'dist/bench');

function findRoot(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (dirname(current) === current) throw new Error(`no package.json above ${dir}`);
  }
}

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Lines printed on stdout so far. */
  stdout: string[];
  /** Where stderr goes (structured logs). */
  logFile: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  /** Node flags before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** Pin the process to this CPU (taskset), so that server and load generator never share one. */
  cpu?: number;
  env?: Record<string, string>;
  /** Directory for the stderr log. */
  logDir: string;
}

/** Runs `node [nodeArgs] script args…` with stderr to a log file and stdout collected by line. */
export function spawnNode(name: string, script: string, args: string[], options: SpawnOptions): Proc {
  const logFile = join(options.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const command = [process.execPath, ...(options.nodeArgs ?? []), script, ...args];
  // taskset execs the command: the pid is node's own.
  const pinned = options.cpu === undefined ? command : ['taskset', '-c', String(options.cpu), ...command];
  const child = spawn(pinned[0]!, pinned.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', fd],
  });
  closeSync(fd);
  const stdout: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    pid: child.pid!,
    stdout,
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits for a stdout line matching `pattern`; throws with the log when the process dies first. */
export async function waitForLine(proc: Proc, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of proc.stdout) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (proc.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const log = await readFile(proc.logFile, 'utf8').catch(() => '');
  throw new Error(`${proc.name} did not print ${pattern}:\n${proc.stdout.join('\n')}\n${log.slice(-4000)}`);
}

/**
 * CPUs of this machine: the servers measured (gateway, yoga floor) run on SERVER_CPU, load
 * workers on LOAD_CPU; the simulators float. On a one-CPU machine nothing is pinned.
 */
export const LOAD_CPU = cpus().length > 1 ? 0 : undefined;
export const SERVER_CPU = cpus().length > 1 ? 1 : undefined;

/** Runs a compiled worker (`load.js`…) to completion and parses the one JSON document it prints. */
export async function runWorker<T>(name: string, worker: string, input: unknown, logDir: string, nodeArgs: string[] = []): Promise<T> {
  const proc = spawnNode(name, join(BENCH_DIST, worker), [JSON.stringify(input)], { nodeArgs, logDir, cpu: LOAD_CPU });
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const text = proc.stdout.join('\n').trim();
  if (code !== 0 || text === '') {
    const log = await readFile(proc.logFile, 'utf8').catch(() => '');
    throw new Error(`${name} failed (exit ${code}):\n${text}\n${log.slice(-4000)}`);
  }
  return JSON.parse(text) as T;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** USER_HZ: /proc's unit of CPU time; 100 on every Linux Node supports. */
const CLOCK_TICKS = 100;

/** Resident set size and its peak, in bytes, from /proc (Linux). */
export async function memoryOf(pid: number): Promise<{ rss: number; peakRss: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

export interface Vendor {
  url: string;
  token: string;
}

export interface Fleet {
  proc: Proc;
  vendors: Record<Provider, Vendor>;
  controls(provider: Provider, controls: Partial<SimulatorControls>): Promise<void>;
  controlsAll(controls: Partial<SimulatorControls>): Promise<void>;
  stats(provider: Provider): Promise<SimulatorStats>;
  resetStats(): Promise<void>;
  /** Vendor requests across all simulators since the last reset, and per provider. */
  upstream(): Promise<{ total: number; byProvider: Record<string, number>; maxInFlight: Record<string, number> }>;
}

export async function startFleet(logDir: string): Promise<Fleet> {
  // Unmetered: the bench measures the gateway, not TeamBattles' published 60-token bucket.
  const proc = spawnNode('simulators', SIMULATORS, ['--unmetered'], { logDir });
  const [line] = await waitForLine(proc, /^\{.*\}$/);
  const vendors = JSON.parse(line) as Record<Provider, Vendor>;
  const providers = Object.keys(vendors) as Provider[];
  const call = async (provider: Provider, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
    const response = await request(`${vendors[provider].url}/__sim/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`simulator ${provider} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const fleet: Fleet = {
    proc,
    vendors,
    controls: async (provider, controls) => void (await call(provider, 'PUT', 'controls', controls)),
    controlsAll: async (controls) => void (await Promise.all(providers.map((p) => call(p, 'PUT', 'controls', controls)))),
    stats: async (provider) => (await call(provider, 'GET', 'stats')) as SimulatorStats,
    resetStats: async () => void (await Promise.all(providers.map((p) => call(p, 'POST', 'reset-stats')))),
    async upstream() {
      const all = await Promise.all(providers.map(async (p) => [p, await fleet.stats(p)] as const));
      return {
        total: all.reduce((sum, [, stats]) => sum + stats.requests, 0),
        byProvider: Object.fromEntries(all.map(([p, stats]) => [p, stats.requests])),
        maxInFlight: Object.fromEntries(all.map(([p, stats]) => [p, stats.maxInFlight])),
      };
    },
  };
  return fleet;
}

export interface ProviderTuning {
  maxConcurrency?: number;
  requestsPerSecond?: number;
  burst?: number;
  ttlSeconds?: number;
}

/**
 * A gateway configuration over the fleet. Budgets are generous (the bench measures the gateway,
 * not its limiter) unless a scenario asks otherwise; everything else is the documented default.
 */
export function gatewayConfig(
  fleet: Fleet,
  options: { tuning?: ProviderTuning; cache?: Record<string, number> } = {},
): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  for (const [provider, { url, token }] of Object.entries(fleet.vendors)) {
    providers[provider.toLowerCase()] = {
      baseUrl: url,
      token,
      maxConcurrency: 1000,
      requestsPerSecond: 10_000,
      burst: 100_000,
      ...options.tuning,
      ...(provider === 'TICKITI' ? { priorityMap: { '10': 'LOW', '20': 'NORMAL', '30': 'HIGH', '40': 'URGENT' } } : {}),
    };
  }
  return { server: { host: '127.0.0.1', port: 0 }, cache: options.cache ?? {}, providers };
}

export interface GatewayProc {
  proc: Proc;
  url: string;
}

export async function startGateway(
  name: string,
  config: Record<string, unknown>,
  options: { logDir: string; nodeArgs?: string[] },
): Promise<GatewayProc> {
  const file = join(options.logDir, `${name}.config.json`);
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  const proc = spawnNode(name, CLI, ['--config', file, '--port', '0', '--host', '127.0.0.1'], { ...options, cpu: SERVER_CPU });
  const [, url] = await waitForLine(proc, /ready at (http:\/\/\S+)/);
  return { proc, url: url! };
}

/** One GraphQL POST, answered as parsed JSON (for fixtures and checks, not for load). */
export async function graphql<T = unknown>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.body.json()) as T;
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode} from ${url}: ${JSON.stringify(json)}`);
  return json;
}
