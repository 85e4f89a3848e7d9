/**
 * DNS rebinding: a page on an attacker's domain, whose name is then pointed at this gateway's
 * address, is "same origin" to the browser and reads the gateway freely. The `Host` header still
 * names the attacker's domain, so a gateway with `server.allowedHosts` answers only the names it
 * is meant to be reached by. It matters most where `auth.keys` is not set (a trusted network or
 * a proxy that checks callers): with keys, a page has no key to send.
 */
import type { Plugin } from 'graphql-yoga';

/**
 * Whether a `Host` header value is allowed. Entries are lower-case host names or addresses,
 * with an optional `:port` (then the port must match too); `.example.com` allows the name and
 * every subdomain. Without entries every host is allowed.
 */
export type HostCheck = (host: string | undefined) => boolean;

export function createHostCheck(allowed: readonly string[] | undefined): HostCheck {
  if (allowed === undefined) return () => true;
  const entries = allowed.map((entry) => {
    const { name, port } = splitHost(entry);
    return { name, port, subdomains: name.startsWith('.') };
  });
  return (host) => {
    if (host === undefined || host === '') return false;
    const { name, port } = splitHost(host.trim().toLowerCase());
    return entries.some((entry) => {
      if (entry.port !== undefined && entry.port !== port) return false;
      return entry.subdomains ? name === entry.name.slice(1) || name.endsWith(entry.name) : name === entry.name;
    });
  };
}

function splitHost(host: string): { name: string; port: string | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(host);
  if (!match) return { name: host, port: undefined };
  // A trailing dot names the same host ("example.com." is "example.com").
  return { name: match[1]!.replace(/\.$/, ''), port: match[2] || undefined };
}

export interface AllowedHostsOptions {
  /** The gateway's host check (`createHostCheck` of `server.allowedHosts`). */
  allowed: HostCheck;
}

/** Answers 421 to a request whose `Host` is not allowed. Runs after the probes (orchestrators use addresses). */
export function useAllowedHosts(options: AllowedHostsOptions): Plugin {
  const { allowed } = options;
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (allowed(request.headers.get('host') ?? undefined)) return;
      endResponse(
        new fetchAPI.Response(MISDIRECTED, { status: 421, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } }),
      );
    },
  };
}

/** What a request to a host name not in `server.allowedHosts` is told (every route). */
export const MISDIRECTED = 'This gateway does not answer on that host name (server.allowedHosts).\n';
