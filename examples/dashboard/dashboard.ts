/**
 * A terminal dashboard over DeskGraph: the tickets you watch, across helpdesks, one line each
 * with status, priority, requester and the last message.
 *
 *   npx tsx examples/dashboard/dashboard.ts --url http://127.0.0.1:4000/graphql \
 *     HEADONI:1240 TICKITI:220003 HOSTUP:tkt_01hxzdwymvbqs1cefwy5haa08n
 *
 * It is a typed client: the query lives in queries.graphql, `npm run codegen` turns it into
 * `DashboardTicketsDocument` (a TypedDocumentNode), and every field read below is checked by
 * `npm run typecheck` against the schema. Change the query without regenerating, or read a
 * field it does not select, and the type-check fails.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { DashboardTicketsDocument, type DashboardTicketsQuery, type Provider } from '../../generated/graphql/graphql.js';

const PROVIDERS = ['HEADONI', 'TICKITI', 'INTERCOM', 'HOSTUP', 'TEAMBATTLES'] as const satisfies readonly Provider[];

const USAGE = `Usage: dashboard [--url URL] [--key KEY] PROVIDER:REF...

  PROVIDER:REF   a ticket to watch, e.g. HOSTUP:tkt_01hxzdwymvbqs1cefwy5haa08n or HEADONI:1240
  --url URL      DeskGraph's GraphQL endpoint (DESKGRAPH_URL; default http://127.0.0.1:4000/graphql)
  --key KEY      a gateway key, sent as Authorization: Bearer KEY (DESKGRAPH_KEY)`;

export interface Endpoint {
  url: string;
  /** A DeskGraph gateway key; sent as `Authorization: Bearer <key>`. */
  key?: string | undefined;
}

export interface GraphQLResponse<R> {
  data?: R | null;
  errors?: GraphQLFormattedError[];
}

/** One GraphQL request over fetch. The document's types give the result's and variables' types. */
export async function execute<R, V>(endpoint: Endpoint, document: TypedDocumentNode<R, V>, variables: V): Promise<GraphQLResponse<R>> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(endpoint.key ? { authorization: `Bearer ${endpoint.key}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const text = await response.text();
  let body: GraphQLResponse<R>;
  try {
    body = JSON.parse(text) as GraphQLResponse<R>;
  } catch {
    throw new Error(`${endpoint.url} answered HTTP ${response.status} with something that is not GraphQL JSON`);
  }
  if (!response.ok && !body.data) {
    const first = body.errors?.[0];
    throw new Error(`${endpoint.url} answered HTTP ${response.status}${first ? `: ${first.message}` : ''}`);
  }
  return body;
}

export type WatchedRef = { provider: Provider; ref: string };

/** `HOSTUP:tkt_…` → `{ provider: 'HOSTUP', ref: 'tkt_…' }`; the provider is case-insensitive. */
export function parseWatchedRef(text: string): WatchedRef {
  const colon = text.indexOf(':');
  const provider = text.slice(0, colon).toUpperCase();
  const ref = text.slice(colon + 1);
  if (colon < 1 || ref === '' || !(PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`"${text}" is not PROVIDER:REF (providers: ${PROVIDERS.join(', ')})`);
  }
  return { provider: provider as Provider, ref };
}

type Ticket = NonNullable<DashboardTicketsQuery['tickets'][number]>;

export interface Row {
  provider: string;
  ticket: string;
  subject: string;
  status: string;
  priority: string;
  requester: string;
  lastMessage: string;
}

const NONE = '—';

/** Whitespace collapsed, cut at `max` characters with an ellipsis. */
export function snippet(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

function lastMessage(ticket: Ticket): string {
  const last = ticket.messages.at(-1);
  if (!last) return NONE;
  const who = `${last.authorKind.toLowerCase()}${last.visibility === 'INTERNAL' ? ' (internal)' : ''}`;
  // A redacted or encrypted body is null: say so rather than show an empty quote.
  return `${who}: ${last.bodyText === null ? '(no readable body)' : snippet(last.bodyText, 44)}`;
}

/** The rows for the asked refs, in the order asked; a ticket that failed shows its error code. */
export function toRows(refs: WatchedRef[], response: GraphQLResponse<DashboardTicketsQuery>): Row[] {
  const tickets = response.data?.tickets ?? [];
  return refs.map((asked, index) => {
    const ticket = tickets[index];
    if (!ticket) {
      const error = response.errors?.find((candidate) => candidate.path?.[0] === 'tickets' && candidate.path[1] === index) ?? response.errors?.[0];
      const code = error?.extensions?.['code'];
      return {
        provider: asked.provider,
        ticket: asked.ref,
        subject: snippet(error?.message ?? 'not returned', 30),
        status: typeof code === 'string' ? code : 'ERROR',
        priority: NONE,
        requester: NONE,
        lastMessage: NONE,
      };
    }
    return {
      provider: ticket.provider,
      ticket: ticket.number ? `#${ticket.number}` : ticket.ref,
      subject: snippet(ticket.subject ?? NONE, 30),
      status: ticket.status,
      priority: ticket.priority ?? NONE,
      requester: ticket.requester?.name ?? ticket.requester?.email ?? NONE,
      lastMessage: lastMessage(ticket),
    };
  });
}

const COLUMNS: [keyof Row, string][] = [
  ['provider', 'PROVIDER'],
  ['ticket', 'TICKET'],
  ['subject', 'SUBJECT'],
  ['status', 'STATUS'],
  ['priority', 'PRIORITY'],
  ['requester', 'REQUESTER'],
  ['lastMessage', 'LAST MESSAGE'],
];

/** A plain-text table: a header line, then one line per row; columns two spaces apart. */
export function formatTable(rows: Row[]): string[] {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => Array.from(row[key]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - Array.from(cell).length)))
      .join('  ')
      .trimEnd();
  return [line(COLUMNS.map(([, title]) => title)), ...rows.map((row) => line(COLUMNS.map(([key]) => row[key])))];
}

export interface Output {
  write(text: string): unknown;
}

/** The command: parses argv and env, asks DeskGraph, prints the table. Resolves to the exit code. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: Output = process.stdout,
  err: Output = process.stderr,
): Promise<number> {
  let endpoint: Endpoint;
  let refs: WatchedRef[];
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, key: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new Error('name at least one ticket to watch');
    refs = positionals.map(parseWatchedRef);
    endpoint = { url: values.url ?? env['DESKGRAPH_URL'] ?? 'http://127.0.0.1:4000/graphql', key: values.key ?? env['DESKGRAPH_KEY'] };
  } catch (error) {
    err.write(`dashboard: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }

  let response: GraphQLResponse<DashboardTicketsQuery>;
  try {
    response = await execute(endpoint, DashboardTicketsDocument, { refs });
  } catch (error) {
    err.write(`dashboard: ${(error as Error).message}\n`);
    return 1;
  }
  if (!response.data) {
    err.write(`dashboard: ${response.errors?.map((error) => error.message).join('; ') ?? 'no data'}\n`);
    return 1;
  }
  const rows = toRows(refs, response);
  out.write(`${formatTable(rows).join('\n')}\n`);
  const failed = rows.filter((_, index) => !response.data!.tickets[index]).length;
  if (failed > 0) out.write(`${failed} of ${rows.length} tickets could not be read.\n`);
  return 0;
}

// Run as a script (`tsx examples/dashboard/dashboard.ts …`), not when imported by a test.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error('dashboard: fatal:', error);
      process.exitCode = 1;
    },
  );
}
