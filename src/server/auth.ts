/**
 * Callers (CONTRACT §4 `auth.keys`): who may use the gateway and what each may see.
 *
 * A caller presents `Authorization: Bearer <key>`. The key is hashed with SHA-256 and the digest
 * compared with every configured key's digest by `crypto.timingSafeEqual`, so neither the time
 * taken nor the key's length tells how close a guess was, and a key configured as `tokenSha256`
 * works exactly like one given in clear. Keys never reach a log, an error or a response.
 *
 * Without `auth` in the configuration there is no check: every request is the open caller, which
 * may read every provider and INTERNAL messages (start-up logs a warning saying so).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { AuthConfig } from '../config/schema.js';
import { OPEN_CALLER, type Caller } from '../domain/caller.js';
import { PROVIDERS, type Provider } from '../domain/provider.js';
import type { KeyThrottle } from './key-throttle.js';
import type { Logger } from './logger.js';
import { graphqlErrorResponse, requestState } from './requests.js';

export interface Authenticator {
  /** Whether callers must present a key (keys are configured). */
  readonly required: boolean;
  /**
   * The caller an `Authorization` header value identifies, or undefined when keys are configured
   * and the header names none of them. Without keys: always the open caller. Reusable by any
   * route that keys protect (`/graphql`, `/metrics`).
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

/** What a request without a valid key is told (any route that keys protect), per RFC 6750 §3. */
export function refusal(authorization: string | null | undefined): { message: string; wwwAuthenticate: string } {
  return authorization == null
    ? { message: KEY_REQUIRED, wwwAuthenticate: 'Bearer realm="DeskGraph"' }
    : {
        message: 'The gateway key is not valid: send Authorization: Bearer <key> with a key this gateway knows.',
        wwwAuthenticate: 'Bearer realm="DeskGraph", error="invalid_token"',
      };
}

export interface CallerAuthOptions {
  authenticator: Authenticator;
  logger: Logger;
  /** Holds back addresses that keep presenting unknown keys (429). @default none */
  throttle?: KeyThrottle | undefined;
}

/** The client's address, from the node request yoga's node adapter passes as server context. */
export function clientAddress(serverContext: unknown): string | undefined {
  const req = (serverContext as { req?: { socket?: { remoteAddress?: unknown } } } | undefined)?.req;
  const address = req?.socket?.remoteAddress;
  return typeof address === 'string' ? address : undefined;
}

/** The 429 a throttled address gets instead of 401 (any route that keys protect). */
export function throttledMessage(retryAfterSeconds: number): string {
  return `Too many unknown gateway keys from this address; try again in ${retryAfterSeconds}s.`;
}

/**
 * Answers a request without a valid key with HTTP 401 UNAUTHENTICATED (and `WWW-Authenticate:
 * Bearer`) before its body is read; otherwise records the caller for the GraphQL context. Runs
 * after GraphiQL's page (static HTML that holds no data: the queries it sends need a key).
 */
export function useCallerAuth(options: CallerAuthOptions): Plugin {
  const { authenticator } = options;
  return {
    async onRequest({ request, endResponse, fetchAPI, serverContext }) {
      const state = requestState(request, options.logger);
      const authorization = request.headers.get('authorization');
      const caller = authenticator.authenticate(authorization);
      if (caller) {
        state.caller = caller;
        if (authenticator.required) state.log = state.log.child({ caller: caller.name });
        return;
      }
      const presented = authorization !== null;
      const wait = presented ? await options.throttle?.failed(clientAddress(serverContext)) : undefined;
      if (wait !== undefined) {
        endResponse(
          graphqlErrorResponse(
            fetchAPI,
            429,
            throttledMessage(wait),
            { code: 'RATE_LIMITED', retryAfterSeconds: wait, requestId: state.id },
            { 'retry-after': String(wait), 'x-request-id': state.id },
          ),
        );
        return;
      }
      state.log.info({ presented }, presented ? 'refused a request with an unknown gateway key' : 'refused a request without a gateway key');
      const { message, wwwAuthenticate } = refusal(authorization);
      endResponse(
        graphqlErrorResponse(
          fetchAPI,
          401,
          message,
          { code: 'UNAUTHENTICATED', requestId: state.id },
          { 'www-authenticate': wwwAuthenticate, 'x-request-id': state.id },
        ),
      );
    },
  };
}
