/**
 * GraphiQL in a real browser: Debian's Chromium, driven by playwright-core, against the demo
 * as a user starts it (`deskgraph` with no --config, from dist/). Every request that is not to
 * the loopback gateway is blocked, so the page must load and work with no internet. Saves
 * test-output/graphiql.png for CI to keep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/domain/provider.js';
import { SAMPLE_THREADS } from '../../src/simulators/sample-threads.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli.js');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test-output/graphiql.png');
/** As the machine's own browser check runs it: no sandbox as root, and no calls home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Demo {
  child: ChildProcess;
  url: string;
  output: string[];
}

/** Starts the built CLI with no --config (the demo) on an ephemeral port. */
async function startDemo(): Promise<Demo> {
  const child = spawn(process.execPath, [CLI, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /ready at (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${output.join('\n')}`)));
  });
  return { child, url, output };
}

async function stopDemo(demo: Demo): Promise<void> {
  if (demo.child.exitCode !== null || demo.child.signalCode !== null) return;
  const exited = new Promise((resolve) => demo.child.once('exit', resolve));
  demo.child.kill('SIGTERM');
  await exited;
}

let demo: Demo | undefined;
let profile: string | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  // A missing browser is a broken machine, not a reason to skip: say how to fix it.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (.ci/run does this when it is missing).`);
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first.`);
  demo = await startDemo();
  profile = await mkdtemp(join(tmpdir(), 'deskgraph-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  if (demo) await stopDemo(demo);
});

/** Everything the result pane holds (Monaco draws only the visible lines): select all, copy. */
async function resultPaneText(page: Page): Promise<string> {
  await page.locator('.graphiql-response .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('GraphiQL on the demo', () => {
  it('loads offline, runs the default tour, and shows a ticket from each provider', async () => {
    const { url } = demo!;
    const origin = new URL(url).origin;
    await context!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });

    // The page may talk to the gateway on loopback and to nothing else.
    const blocked: string[] = [];
    await context!.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
      blocked.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    const page = context!.pages()[0] ?? (await context!.newPage());
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });

    const page200 = await page.goto(url);
    expect(page200?.status()).toBe(200);
    expect(await page.title()).toBe('DeskGraph');
    await page.locator('.graphiql-query-editor').getByText('query Tour').first().waitFor();

    const answer = page.waitForResponse((response) => response.url() === url && (response.request().postData() ?? '').includes('query Tour'));
    await page.locator('.graphiql-execute-button').click();
    expect((await answer).status()).toBe(200);
    // The pane shows its top lines; the rest is read through the clipboard below.
    await page.locator('.graphiql-response').getByText('"inbox"').first().waitFor();

    await mkdir(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    const result = JSON.parse(await resultPaneText(page)) as {
      data: {
        inbox: { provider: string; subject: string; status: string }[];
        thread: { subject: string; messages: { visibility: string; bodyText: string | null }[] };
        byId: { provider: string; subject: string };
        providers: { provider: string; configured: boolean }[];
      };
      errors?: unknown;
    };
    expect(result.errors).toBeUndefined();
    expect(result.data.inbox.map(({ provider, subject, status }) => ({ provider, subject, status }))).toEqual([
      { provider: 'HEADONI', subject: SAMPLE_THREADS[0]!.subject, status: 'OPEN' },
      { provider: 'TICKITI', subject: SAMPLE_THREADS[1]!.subject, status: 'CLOSED' },
      { provider: 'INTERCOM', subject: SAMPLE_THREADS[2]!.subject, status: 'WAITING_ON_CUSTOMER' },
      { provider: 'HOSTUP', subject: SAMPLE_THREADS[3]!.subject, status: 'WAITING_ON_CUSTOMER' },
      { provider: 'TEAMBATTLES', subject: SAMPLE_THREADS[4]!.subject, status: 'CLOSED' },
    ]);
    expect(result.data.thread.subject).toBe('Export to CSV drops accented names');
    expect(result.data.thread.messages.map((message) => message.visibility)).toEqual(['PUBLIC', 'PUBLIC', 'INTERNAL']);
    expect(result.data.byId).toMatchObject({ provider: 'HOSTUP', subject: 'VPS not reachable after reboot' });
    expect(result.data.providers).toEqual(PROVIDERS.map((provider) => expect.objectContaining({ provider, configured: true })));

    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);
});
