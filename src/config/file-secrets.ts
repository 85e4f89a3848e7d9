/**
 * A configuration file that holds a credential in clear (`token: "hd_live_…"` rather than
 * `token: "${HEADONI_TOKEN}"`) and that every user of the machine may read gives every user the
 * vendors' keys and the gateway's caller keys. Start-up goes on (the operator may have reasons),
 * with a warning naming the settings, never their values.
 */

/** Where credentials live in the file: provider tokens, caller keys, and a Redis URL's password. */
function credentialValues(data: unknown): [path: string, value: string, kind: 'secret' | 'url'][] {
  const found: [string, string, 'secret' | 'url'][] = [];
  const root = (data ?? {}) as Record<string, unknown>;
  const providers = root['providers'];
  if (providers && typeof providers === 'object') {
    for (const [name, entry] of Object.entries(providers)) {
      const token = (entry as Record<string, unknown> | null)?.['token'];
      if (typeof token === 'string') found.push([`providers.${name}.token`, token, 'secret']);
    }
  }
  const keys = (root['auth'] as Record<string, unknown> | undefined)?.['keys'];
  if (Array.isArray(keys)) {
    keys.forEach((key, index) => {
      const token = (key as Record<string, unknown> | null)?.['token'];
      if (typeof token === 'string') found.push([`auth.keys.${index}.token`, token, 'secret']);
    });
  }
  const url = (root['redis'] as Record<string, unknown> | undefined)?.['url'];
  if (typeof url === 'string') found.push(['redis.url', url, 'url']);
  return found;
}

/** A value holds a literal secret when something is left once its `${…}` references are taken out. */
function isLiteral(value: string, kind: 'secret' | 'url'): boolean {
  if (kind === 'secret') return value.replace(/\$\{[^}]*\}/g, '').trim() !== '';
  // A URL's password: `redis://user:password@host`, written out rather than `${REDIS_PASSWORD}`.
  const password = /^[a-z]+:\/\/[^:/@]*:([^@]*)@/i.exec(value)?.[1];
  return password !== undefined && password.replace(/\$\{[^}]*\}/g, '') !== '';
}

/** The settings of `data` (the file as parsed, before interpolation) that hold a credential in clear. */
export function literalSecretPaths(data: unknown): string[] {
  return credentialValues(data)
    .filter(([, value, kind]) => isLiteral(value, kind))
    .map(([path]) => path);
}

/** The warning for a file of permission `mode` holding `data`, if it is world-readable and holds secrets. */
export function worldReadableSecretsWarning(file: string, mode: number, data: unknown): string | undefined {
  if ((mode & 0o004) === 0) return undefined;
  const paths = literalSecretPaths(data);
  if (paths.length === 0) return undefined;
  return `${file} is readable by every user of this machine (mode ${(mode & 0o777).toString(8)}) and holds credentials in clear (${paths.join(', ')}): chmod o-r it, or move them to the environment as \${VAR}`;
}
