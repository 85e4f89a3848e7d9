/**
 * Floor: a bare graphql-yoga server (every yoga default, no plugin) over DeskGraph's own type
 * system, whose `ticket` returns one constant: the ticket exactly as DeskGraph answered it.
 * This is what a user gets from yoga with nothing behind it; the gateway's ratios are to this.
 * `node dist/bench/floor-yoga.js <ticket.json>`; prints `floor ready at <url>`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { ROOT } from './processes.js';

const file = process.argv[2];
if (!file) throw new Error('usage: floor-yoga.ts <ticket.json>');
const ticket: unknown = JSON.parse(readFileSync(file, 'utf8'));

// The same SDL DeskGraph serves (schema.graphql), less its federation link and keys, so that
// parsing and validating the query costs the floor exactly what it costs the gateway.
const typeDefs = readFileSync(join(ROOT, 'schema.graphql'), 'utf8')
  .replace(/extend schema\s+@link\([^)]*\)/, '')
  .replace(/@key\(fields: "[^"]*"\)/g, '');

const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers: { Query: { ticket: () => ticket } } }),
});

const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`floor ready at http://127.0.0.1:${port}/graphql`);
});
// Exit by draining (not process.exit), so that `--cpu-prof` can write its profile.
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
