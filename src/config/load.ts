/**
 * Reading the configuration: YAML or JSON text → `${VAR}` interpolation → zod validation.
 * Every problem is collected and reported together, one line each with its path, so an
 * operator fixes a file in one pass. Interpolation happens on parsed string values, never on
 * the raw text, so a variable's value cannot change the file's structure.
 */
import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { worldReadableSecretsWarning } from './file-secrets.js';
import { configSchema, type DeskGraphConfig } from './schema.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid configuration\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Problems found while interpolating, by the path of the value: an unset variable (its name) or
 * a malformed reference (the reason).
 */
interface Interpolation {
  unset: Map<string, string>;
  malformed: Map<string, string>;
}

/**
 * Replaces `${VAR}` and `${VAR:-fallback}` in every string value; the fallback may itself hold
 * references (`${PRIMARY:-${SECONDARY}}`, `${URL:-https://${HOST}:443}`), read only when VAR is
 * unset or empty. An unset VAR without fallback is a problem, and so is a reference that is not
 * one of these forms (`${}`, `${1X}`, an unclosed `${`): never silently the literal text.
 */
export function interpolate(
  value: unknown,
  env: Env,
  path: string[] = [],
  found: Interpolation = { unset: new Map(), malformed: new Map() },
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    try {
      return expand(value, env, (name) => found.unset.set(pathLabel(path), name));
    } catch (error) {
      found.malformed.set(pathLabel(path), (error as Error).message);
      return '';
    }
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, [...path, String(index)], found));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, [...path, key], found)]),
    );
  }
  return value;
}

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;
/** Deepest nesting of fallbacks: enough for any real file, and no recursion a file can exhaust. */
const MAX_NESTING = 8;

function expand(text: string, env: Env, onUnset: (name: string) => void, depth = 0): string {
  let out = '';
  let at = 0;
  for (;;) {
    const start = text.indexOf('${', at);
    if (start < 0) return out + text.slice(at);
    out += text.slice(at, start);
    const end = closingBrace(text, start + 2);
    if (end < 0) throw new Error('a "${" is not closed by "}"');
    const inner = text.slice(start + 2, end);
    const match = REFERENCE.exec(inner);
    if (!match) throw new Error(`"\${${inner.slice(0, 40)}}" is not a reference: write \${NAME} or \${NAME:-fallback}`);
    const [, name = '', fallback] = match;
    const set = env[name];
    if (set !== undefined && set !== '') out += set;
    else if (fallback !== undefined) {
      if (depth >= MAX_NESTING) throw new Error(`fallbacks are nested more than ${MAX_NESTING} deep`);
      out += expand(fallback, env, onUnset, depth + 1);
    } else onUnset(name);
    at = end + 1;
  }
}

/** The index of the `}` closing a reference whose body starts at `from`, nested `${…}` skipped. */
function closingBrace(text: string, from: number): number {
  let open = 0;
  for (let index = from; index < text.length; index += 1) {
    if (text.startsWith('${', index)) {
      open += 1;
      index += 1;
    } else if (text[index] === '}') {
      if (open === 0) return index;
      open -= 1;
    }
  }
  return -1;
}

/** Validates already-parsed configuration data. */
export function parseConfig(data: unknown, env: Env = process.env, source = 'configuration'): DeskGraphConfig {
  const found: Interpolation = { unset: new Map(), malformed: new Map() };
  const interpolated = interpolate(data ?? {}, env, [], found);
  const { unset, malformed } = found;
  const problems = [
    ...[...unset].map(([path, name]) => `${path}: environment variable ${name} is not set`),
    ...[...malformed].map(([path, reason]) => `${path}: ${reason}`),
  ];
  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = pathLabel(issue.path.map(String));
      // The unset variable is the problem there; what zod says of the empty value adds nothing.
      if (!unset.has(path) && !malformed.has(path)) problems.push(`${path}: ${describe(issue)}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(source, problems);
  return result.data;
}

/** Parses YAML or JSON text (JSON is YAML). */
export function parseConfigText(text: string, env: Env = process.env, source = 'configuration'): DeskGraphConfig {
  return parseConfig(parseText(text, source), env, source);
}

/** The file's settings as written: YAML or JSON, a mapping at the root. */
function parseText(text: string, source: string): unknown {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(source, [`not valid YAML or JSON: ${message}`]);
  }
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new ConfigError(source, ['(root): expected a mapping of settings']);
  }
  return data;
}

export interface LoadOptions {
  /** Told of what does not stop start-up but should be fixed (a world-readable file with secrets). */
  onWarning?: ((message: string) => void) | undefined;
}

export async function loadConfigFile(file: string, env: Env = process.env, options: LoadOptions = {}): Promise<DeskGraphConfig> {
  let text: string;
  let mode: number;
  try {
    [text, { mode }] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError(file, [reason]);
  }
  const data = parseText(text, file);
  const config = parseConfig(data, env, file);
  const warning = worldReadableSecretsWarning(file, mode, data);
  if (warning !== undefined) options.onWarning?.(warning);
  return config;
}

function pathLabel(path: string[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

function describe(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  }
  return issue.message;
}
