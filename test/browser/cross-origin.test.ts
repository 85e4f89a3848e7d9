/**
 * Another web page reading the gateway through a visitor's browser (issue 11, defect 1), in
 * Debian's Chromium driven by playwright-core. A page served from another origin tries the reads
 * a browser allows a script: a JSON POST (preflighted), a text/plain POST and a GET (sent without
 * a preflight). Against a gateway without `auth.keys` and without `server.cors.origins`, every one
 * fails to read; with the page's origin configured, the same script reads the ticket.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { sampleRef, startDesks, startGatewayOver, type Desks } from '../helpers/in-process.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let desks: Desks;
let pageServer: Server;
let pageOrigin: string;
const gateways: Gateway[] = [];
let profile: string;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (.ci/run does this when it is missing).`);
  }
  desks = await startDesks();
  // The other site: its own origin (localhost, another port), serving an empty page.
  pageServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><p>another site</p>');
  });
  pageServer.listen(0, '127.0.0.1');
  await once(pageServer, 'listening');
  pageOrigin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), 'deskgraph-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  for (const gateway of gateways) await gateway.close(0);
  pageServer?.close();
  await desks?.close();
});

async function gatewayUrl(extra: Record<string, unknown>): Promise<string> {
  const started = await startGatewayOver(desks, createLogger('silent'), {}, extra);
  gateways.push(started.gateway);
  return started.url;
}

const QUERY = `{ ticket(provider: TICKITI, ref: "${sampleRef('TICKITI', 0)}") { subject messages { visibility bodyText } } }`;

/** Runs the three reads from the other site's page; each is "read: …" or "blocked: …". */
async function attempts(page: Page, url: string): Promise<{ json: string; text: string; get: string }> {
  return page.evaluate(
    async ({ url, query }) => {
      const outcome = async (attempt: () => Promise<Response>) => {
        try {
          const response = await attempt();
          return `read: ${response.status} ${await response.text()}`;
        } catch (error) {
          return `blocked: ${(error as Error).name}`;
        }
      };
      return {
        json: await outcome(() => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), credentials: 'include' })),
        text: await outcome(() => fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }), credentials: 'include' })),
        get: await outcome(() => fetch(`${url}?query=${encodeURIComponent(query)}`, { credentials: 'include' })),
      };
    },
    { url, query: QUERY },
  );
}

describe('a page on another origin', () => {
  it('cannot read a gateway without auth.keys and without server.cors.origins', async () => {
    const url = await gatewayUrl({});
    const page = await context.newPage();
    await page.goto(pageOrigin);
    expect(new URL(url).origin).not.toBe(pageOrigin);
    expect(await attempts(page, url)).toEqual({ json: 'blocked: TypeError', text: 'blocked: TypeError', get: 'blocked: TypeError' });
    await page.close();
  }, 60_000);

  it('reads it once its origin is in server.cors.origins (JSON only: the text/plain POST is refused)', async () => {
    const url = await gatewayUrl({ server: { cors: { origins: [pageOrigin] } } });
    const page = await context.newPage();
    await page.goto(pageOrigin);
    const outcome = await attempts(page, url);
    expect(outcome.json).toMatch(/^read: 200 /);
    const body = JSON.parse(outcome.json.slice('read: 200 '.length)) as { data: { ticket: { messages: { visibility: string }[] } } };
    expect(body.data.ticket.messages.map((message) => message.visibility)).toContain('INTERNAL');
    expect(outcome.text).toMatch(/^read: 415 /);
    expect(outcome.get).toMatch(/^read: 200 /);
    await page.close();
  }, 60_000);
});
