/**
 * The caller check (CONTRACT §4 `auth.keys`): who may use the gateway and what each may see. One
 * check, made once per gateway (`createCallerCheck`), guards every route that keys protect:
 * `/graphql` and `/metrics` through `useCallerAuth`, `/attachments/<id>` directly.
 *
 * A caller presents `Authorization: Bearer <key>`. The key is hashed with SHA-256 and the digest
 * compared with every configured key's digest by `crypto.timingSafeEqual`, so neither the time
 * taken nor the key's length tells how close a guess was, and a key configured as `tokenSha256`
 * works exactly like one given in clear. Keys never reach a log, an error or a response. An
 * address that keeps presenting unknown keys is held back (key-throttle.ts: 429).
 *
 * Without `auth` in the configuration there is no check: every request is the open caller, which
 * may read every provider and INTERNAL messages (start-up logs a warning saying so).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { AuthConfig } from '../config/schema.js';
import { OPEN_CALLER, type Caller } from '../domain/caller.js';
import { DeskGraphError } from '../domain/errors.js';
import { PROVIDERS, type Provider } from '../domain/provider.js';
import { graphqlErrorResponse } from './http-errors.js';
import { clientAddressOf, type ClientAddress } from './client-address.js';
import type { KeyThrottle } from './key-throttle.js';
import type { Logger } from '../telemetry/logger.js';
import { currentRequest } from './request-id.js';

export interface Authenticator {
  /** Whether callers must present a key (keys are configured). */
  readonly required: boolean;
  /**
   * The caller an `Authorization` header value identifies, or undefined when keys are configured
   * and the header names none of them. Without keys: always the open caller. The key comparison
   * only: routes use `createCallerCheck`, which adds the throttle and the refusals.
   */
  authenticate(authorization: string | null | undefined): Caller | undefined;
}

interface KnownKey {
  digest: Buffer;
  caller: Caller;
}

/** RFC 6750 bearer credentials; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +(\S+) *$/i;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function createAuthenticator(auth: AuthConfig | undefined): Authenticator {
  if (!auth) return { required: false, authenticate: () => OPEN_CALLER };
  const keys: KnownKey[] = auth.keys.map((key) => {
    const providers = new Set<Provider>(key.providers ?? PROVIDERS);
    return {
      digest: key.tokenSha256 !== undefined ? Buffer.from(key.tokenSha256, 'hex') : sha256(key.token ?? ''),
      caller: Object.freeze({
        name: key.name,
        providers,
        internal: key.internal,
        unrestricted: PROVIDERS.every((provider) => providers.has(provider)),
      }),
    };
  });
  return {
    required: true,
    authenticate(authorization) {
      const match = authorization == null ? null : BEARER.exec(authorization);
      if (!match) return undefined;
      const digest = sha256(match[1]!);
      // Every key is compared, match or not: the time taken does not tell which key matched.
      let found: Caller | undefined;
      for (const key of keys) {
        if (timingSafeEqual(digest, key.digest) && found === undefined) found = key.caller;
      }
      return found;
    },
  };
}

export const KEY_REQUIRED = 'A gateway key is required: send Authorization: Bearer <key>.';

/** A request the check turned away: UNAUTHENTICATED (401), or RATE_LIMITED (429) for a held-back address. */
export interface CallerRefusal {
  error: DeskGraphError;
  /** RFC 6750 §3 `WWW-Authenticate`, for a 401. */
  wwwAuthenticate?: string;
  /** Whether a key was presented (an unknown one), for the log line. */
  presented: boolean;
}

export type CallerVerdict = { caller: Caller } | { refused: CallerRefusal };

export interface CallerCheck {
  /** Whether callers must present a key (keys are configured). */
  readonly required: boolean;
  /** The caller an `Authorization` header names, or why the request is refused; `peer` is the node request (its client address counts for the throttle). */
  check(authorization: string | null | undefined, peer: Peer | undefined): Promise<CallerVerdict>;
}

export interface CallerCheckOptions {
  /** `auth` of the configuration. @default none: everyone is the open caller */
  auth?: AuthConfig | undefined;
  /** Holds back addresses that keep presenting unknown keys (`server.keyThrottle`). @default none */
  throttle?: KeyThrottle | undefined;
  /** Who the client is behind proxies (`server.trustedProxies`). @default the TCP peer */
  clientAddress?: ClientAddress | undefined;
}

type Peer = Parameters<ClientAddress>[0];

export function createCallerCheck(options: CallerCheckOptions = {}): CallerCheck {
  const authenticator = createAuthenticator(options.auth);
  const addressOf = options.clientAddress ?? clientAddressOf([]);
  return {
    required: authenticator.required,
    async check(authorization, peer) {
      const caller = authenticator.authenticate(authorization);
      if (caller) return { caller };
      const presented = authorization != null;
      // Only unknown keys count: a request with none guesses nothing.
      const wait = presented && options.throttle ? await options.throttle.failed(peer && addressOf(peer)) : undefined;
      if (wait !== undefined) {
        return {
          refused: {
            presented,
            error: new DeskGraphError('RATE_LIMITED', `Too many unknown gateway keys from this address; try again in ${wait}s.`, {
              retryAfterSeconds: wait,
            }),
          },
        };
      }
      return presented
        ? {
            refused: {
              presented,
              error: new DeskGraphError('UNAUTHENTICATED', 'The gateway key is not valid: send Authorization: Bearer <key> with a key this gateway knows.'),
              wwwAuthenticate: 'Bearer realm="DeskGraph", error="invalid_token"',
            },
          }
        : { refused: { presented, error: new DeskGraphError('UNAUTHENTICATED', KEY_REQUIRED), wwwAuthenticate: 'Bearer realm="DeskGraph"' } };
    },
  };
}

/** The node request yoga's node adapter passes as server context. */
function nodeRequest(serverContext: unknown): Peer | undefined {
  const req = (serverContext as { req?: Partial<Peer> } | undefined)?.req;
  return req?.socket && req.headers ? (req as Peer) : undefined;
}

/** The refusal's log line, for every route the check guards (the throttle logs its own 429s, once a window). */
export function logRefusal(log: Logger, refused: CallerRefusal): void {
  if (refused.error.code !== 'UNAUTHENTICATED') return;
  log.info({ presented: refused.presented }, refused.presented ? 'refused a request with an unknown gateway key' : 'refused a request without a gateway key');
}

export interface CallerAuthOptions {
  callers: CallerCheck;
}

/**
 * Answers a request without a valid key with HTTP 401 UNAUTHENTICATED (and `WWW-Authenticate:
 * Bearer`) before its body is read, or 429 RATE_LIMITED for a held-back address; otherwise
 * records the caller on the request (request-id.ts) for the GraphQL context and `/metrics`. Runs
 * after GraphiQL's page and the probes (they hold no data).
 */
export function useCallerAuth(options: CallerAuthOptions): Plugin {
  const { callers } = options;
  return {
    async onRequest({ request, endResponse, fetchAPI, serverContext }) {
      const state = currentRequest();
      const verdict = await callers.check(request.headers.get('authorization'), nodeRequest(serverContext));
      if ('caller' in verdict) {
        state.caller = verdict.caller;
        if (callers.required) state.log = state.log.child({ caller: verdict.caller.name });
        return;
      }
      const { error, wwwAuthenticate } = verdict.refused;
      const extensions: Record<string, unknown> = { code: error.code, requestId: state.id };
      const headers: Record<string, string> = { 'x-request-id': state.id };
      logRefusal(state.log, verdict.refused);
      if (error.retryAfterSeconds !== undefined) {
        extensions['retryAfterSeconds'] = error.retryAfterSeconds;
        headers['retry-after'] = String(error.retryAfterSeconds);
      }
      if (wwwAuthenticate !== undefined) headers['www-authenticate'] = wwwAuthenticate;
      endResponse(graphqlErrorResponse(fetchAPI, error.code === 'RATE_LIMITED' ? 429 : 401, error.message, extensions, headers));
    },
  };
}
