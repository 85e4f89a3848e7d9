/**
 * The client's address, for the key throttle: the TCP peer, or behind proxies listed in
 * `server.trustedProxies`, the nearest `X-Forwarded-For` address that is not one of them.
 * proxy-addr (jshttp, Express's own) does the walk: it believes the header only hop by hop from
 * trusted peers, so a client that sends its own `X-Forwarded-For` straight to the gateway, or
 * through an untrusted hop, cannot pick the address it is counted under.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type ClientAddress = (req: Pick<IncomingMessage, 'headers' | 'socket'>) => string | undefined;

export function clientAddressOf(trustedProxies: readonly string[]): ClientAddress {
  if (trustedProxies.length === 0) return (req) => req.socket.remoteAddress;
  const trusted = proxyaddr.compile([...trustedProxies]);
  return (req) => (req.socket.remoteAddress === undefined ? undefined : proxyaddr(req as IncomingMessage, trusted));
}
