/** The benchmark's table: one row per scenario, printed, and written as JSON and Markdown. */

export type Verdict = 'pass' | 'miss' | 'floor' | 'invalid';

export interface Row {
  scenario: string;
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** req/s as a multiple of the bare-yoga floor's. */
  vsFloor: number | null;
  /** Vendor requests the simulators counted during the measured run. */
  upstream: number | null;
  /** CPU time of the server under load (gateway, floor or simulators) per answer, in µs. */
  serverCpuUs: number | null;
  target: string;
  /** The number the target is judged on, in words ("1.07× floor", "peak RSS 612 MiB"). */
  measured: string;
  verdict: Verdict;
  /** Why a row is invalid or missed, and anything a reader needs to trust it. */
  notes: string[];
}

const HEADERS = ['scenario', 'req/s', 'p50 ms', 'p99 ms', '× yoga floor', 'server CPU µs/req', 'upstream req', 'target', 'measured', 'result'];

function cells(row: Row): string[] {
  const number = (value: number | null, digits = 0) => (value === null ? '—' : value.toFixed(digits));
  return [
    row.scenario,
    number(row.rps),
    number(row.p50Ms, row.p50Ms !== null && row.p50Ms < 10 ? 1 : 0),
    number(row.p99Ms, row.p99Ms !== null && row.p99Ms < 10 ? 1 : 0),
    row.vsFloor === null ? '—' : `${row.vsFloor.toFixed(2)}×`,
    number(row.serverCpuUs),
    row.upstream === null ? '—' : String(row.upstream),
    row.target,
    row.measured,
    row.verdict === 'pass' ? 'PASS' : row.verdict === 'miss' ? 'MISS' : row.verdict === 'invalid' ? 'INVALID' : 'floor',
  ];
}

/** A plain-text table for the terminal. */
export function textTable(rows: Row[]): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...body.map((line) => line[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(HEADERS), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

export function markdownTable(rows: Row[]): string {
  const escape = (value: string) => value.replaceAll('|', '\\|');
  const line = (values: string[]) => `| ${values.map(escape).join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows.map((row) => line(cells(row)))].join('\n');
}

export function notes(rows: Row[]): string[] {
  return rows.flatMap((row) => row.notes.map((note) => `${row.scenario}: ${note}`));
}

export const MiB = 1024 * 1024;

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MiB`;
}

/** CPU µs per answer from a load result, when the server's CPU time was read. */
export function cpuPerAnswer(result: { serverCpuMs: number | null; requests: number }): number | null {
  return result.serverCpuMs === null || result.requests === 0 ? null : (result.serverCpuMs * 1000) / result.requests;
}
