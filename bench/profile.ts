/**
 * Summarizes V8 CPU profiles (`node --cpu-prof`) as Markdown: where busy time goes by package
 * or DeskGraph folder (self time), the hottest functions, and the inclusive time of the frames
 * that matter to a ticket read (GraphQL execution, body rendering, validation, serialising).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Frames whose inclusive time is reported: [label, function name (`*`: any), url fragment]. */
const KEY_FRAMES: [string, string, string][] = [
  ['yoga processRequest (execute + serialise)', 'processRequest', 'graphql-yoga'],
  ['graphql parse', 'parse', 'graphql/language/parser'],
  ['graphql validate', 'validate', 'graphql/validation/validate'],
  ['executor execute', 'execute', '@graphql-tools/executor'],
  ['result serialisation', 'jsonStringifyResultWithoutInternals', 'graphql-yoga'],
  ['ticket read (TicketService.read → join)', 'join', 'upstream/ticket-service'],
  ['connector fetchTicket (vendor call + validate + map)', 'fetchTicket', 'connectors/'],
  ['vendor call (HttpTransport.send)', 'send', 'transport/http'],
  ['zod validation (expectOk)', 'expectOk', 'connectors/responses'],
  ['body rendering (renderBody)', 'renderBody', 'connectors/bodies'],
  ['html-to-text', '*', 'node_modules/html-to-text/'],
  ['sanitize-html', 'sanitizeHtml', 'sanitize-html'],
  ['markdown-it render', 'render', 'markdown-it'],
  ['ticket cache size (heapBytes)', 'heapBytes', 'ticket-cache'],
];

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function area(url: string): string {
  if (url === '') return '(V8 / native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /dist\/src\/([^/]+)\//.exec(url) ?? /dist\/src\/([^/.]+)/.exec(url);
  if (own) return `deskgraph src/${own[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

function summarize(profile: CpuProfile, requests: number | undefined): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackHas = (sample: number, fragment: string) => {
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      if (byId.get(id)!.callFrame.url.includes(fragment)) return true;
    }
    return false;
  };
  // Start-up (loading modules, building the schema) ends where the first request begins.
  const first = Math.max(0, profile.samples.findIndex((sample) => stackHas(sample, 'graphql-yoga')));

  const self = new Map<number, number>();
  let total = 0;
  for (let i = first; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  const special = (name: string) =>
    [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === name).reduce((sum, [, time]) => sum + time, 0);
  const idle = special('(idle)');
  const gc = special('(garbage collector)');
  const busy = total - idle;

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (SPECIAL.has(functionName)) continue;
    const where = area(url);
    areas.set(where, (areas.get(where) ?? 0) + time);
    // V8 names a regular expression by its source, which can run to kilobytes.
    const shown = functionName.length > 60 ? `${functionName.slice(0, 57)}…` : functionName || '(anonymous)';
    const name = `${shown.replaceAll('|', '\\|')} — ${where}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
  }

  const inclusive = new Map<string, number>();
  for (let i = first; i < profile.samples.length; i += 1) {
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const { functionName, url } = byId.get(id)!.callFrame;
      for (const [label, name, fragment] of KEY_FRAMES) {
        if ((name === '*' || functionName === name) && url.includes(fragment)) seen.add(label);
      }
    }
    for (const label of seen) inclusive.set(label, (inclusive.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }

  // Times are µs; per request when the number of requests served is known.
  const perRequest = (time: number) => (requests ? (time / requests).toFixed(0) : '—');
  const line = (name: string, time: number) => `| ${name} | ${(time / 1000).toFixed(0)} | ${perRequest(time)} | ${percent(time, busy)} |`;
  const top = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, time]) => line(name, time));
  const header = (what: string) => [`| ${what} | ms | µs per request | % of busy |`, '| --- | --- | --- | --- |'];
  return [
    `Busy ${(busy / 1e6).toFixed(1)} s after start-up${requests ? `, ${requests} requests: ${perRequest(busy)} µs of CPU each` : ''}; garbage collection ${percent(gc, busy)}.`,
    '',
    ...header('self time by package / folder'),
    line('(garbage collector)', gc),
    ...top(areas, 16),
    '',
    ...header('inclusive time of key frames (synchronous stacks only)'),
    ...KEY_FRAMES.filter(([label]) => inclusive.has(label)).map(([label]) => line(label, inclusive.get(label)!)),
    '',
    ...header('hottest functions (self time)'),
    ...top(functions, 20),
  ];
}

/** One Markdown section for the profile in `dir` (one process run), which served `requests`. */
export async function summarizeProfiles(dir: string, title: string, requests?: number): Promise<string> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile'));
  const sections = [`## ${title}`, ''];
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    sections.push(...summarize(profile, requests), '');
  }
  return sections.join('\n');
}
