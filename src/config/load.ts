/**
 * Reading the configuration: YAML or JSON text → `${VAR}` interpolation → zod validation.
 * Every problem is collected and reported together, one line each with its path, so an
 * operator fixes a file in one pass. Interpolation happens on parsed string values, never on
 * the raw text, so a variable's value cannot change the file's structure.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
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

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${VAR}` and `${VAR:-default}` in every string value; unset VARs are problems. */
export function interpolate(value: unknown, env: Env, path: string[] = [], unset = new Map<string, string>()): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      unset.set(pathLabel(path), name);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, [...path, String(index)], unset));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, env, [...path, key], unset)]),
    );
  }
  return value;
}

/** Validates already-parsed configuration data. */
export function parseConfig(data: unknown, env: Env = process.env, source = 'configuration'): DeskGraphConfig {
  const unset = new Map<string, string>();
  const interpolated = interpolate(data ?? {}, env, [], unset);
  const problems = [...unset].map(([path, name]) => `${path}: environment variable ${name} is not set`);
  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = pathLabel(issue.path.map(String));
      // The unset variable is the problem there; what zod says of the empty value adds nothing.
      if (!unset.has(path)) problems.push(`${path}: ${describe(issue)}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(source, problems);
  return result.data;
}

/** Parses YAML or JSON text (JSON is YAML). */
export function parseConfigText(text: string, env: Env = process.env, source = 'configuration'): DeskGraphConfig {
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
  return parseConfig(data, env, source);
}

export async function loadConfigFile(file: string, env: Env = process.env): Promise<DeskGraphConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError(file, [reason]);
  }
  return parseConfigText(text, env, file);
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
