/**
 * The node:http server the gateway listens with, hardened against slow and greedy clients:
 *
 * - `headersTimeoutMs`: a client that has not sent its whole request head by then gets 408 and
 *   the connection is closed (a client dribbling headers a byte at a time holds nothing long);
 * - `requestTimeoutMs`: the same for the whole request, body included;
 * - `keepAliveTimeoutMs`: an idle keep-alive connection is closed after this;
 * - `maxConnections`: connections beyond this are closed as they arrive.
 *
 * Node checks the two request timeouts on a timer (`connectionsCheckingInterval`, 30 s by
 * default, which would let a slow client overstay by that much): it runs here at a tenth of the
 * shorter timeout, at most once a second and at least every 100 ms.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { ServerConfig } from '../config/schema.js';

export type EdgeTimeouts = Pick<ServerConfig, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'maxConnections'>;

export function createEdgeServer(settings: EdgeTimeouts, handler: RequestListener): Server {
  const checkEvery = Math.min(1000, Math.max(100, Math.floor(Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs) / 10)));
  const server = createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkEvery,
    },
    handler,
  );
  server.maxConnections = settings.maxConnections;
  return server;
}
