/**
 * examples/dashboard against the demo desks: the exact table a user sees, by importing its
 * `main` and by running it as a script through tsx, as the README shows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../examples/dashboard/dashboard.js';
import { startDemo, type Demo } from '../../src/demo.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { SIMULATORS } from '../../src/simulators/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../examples/dashboard/dashboard.ts', import.meta.url));

const WATCHED = [
  'HEADONI:1240',
  'TICKITI:220003',
  'INTERCOM:1301',
  `HOSTUP:${SIMULATORS.HOSTUP.sampleRef(4)}`,
  `teambattles:${SIMULATORS.TEAMBATTLES.sampleRef(2)}`,
  'HOSTUP:tkt_doesnotexist',
];

const TABLE = [
  'PROVIDER     TICKET            SUBJECT                         STATUS               PRIORITY  REQUESTER              LAST MESSAGE',
  'HEADONI      #1240             Login broken on staging         OPEN                 LOW       Alice Martin           customer: Cleared cookies, same loop. Screenshot atta…',
  'TICKITI      #220003           Export to CSV drops accented…   ON_HOLD              URGENT    zoe.dubois@example.fr  agent (internal): Filed ENG-4821 for BOM option. Customer is…',
  'INTERCOM     #2392             VPS not reachable after reboot  WAITING_ON_CUSTOMER  —         —                      agent: A maintenance script restored defaults on 1…',
  'HOSTUP       #150091           Cannot add team member — seat…  ON_HOLD              CRITICAL  Omar Haddad            agent: Your plan shows 10 seats but 5 pending invi…',
  'TEAMBATTLES  #1048             VPS not reachable after reboot  WAITING_ON_CUSTOMER  HIGH      —                      agent: A maintenance script restored defaults on 1…',
  'HOSTUP       tkt_doesnotexist  HOSTUP ticket "tkt_doesnotexi…  NOT_FOUND            —         —                      —',
  '1 of 6 tickets could not be read.',
];

function capture() {
  const chunks: string[] = [];
  return { write: (text: string) => chunks.push(text), lines: () => chunks.join('').split('\n').slice(0, -1) };
}

let demo: Demo;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  demo = await startDemo();
  gateway = createGateway({ config: demo.config, logger: createLogger('silent') });
  url = await gateway.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await gateway?.close(0);
  await demo?.close();
});

describe('examples/dashboard', () => {
  it('prints one row per watched ticket, across providers, in the order given', async () => {
    const out = capture();
    const err = capture();
    expect(await main(['--url', url, ...WATCHED], {}, out, err)).toBe(0);
    expect(err.lines()).toEqual([]);
    expect(out.lines()).toEqual(TABLE);
  });

  it('runs as a script with the URL from DESKGRAPH_URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...WATCHED], {
      cwd: ROOT,
      env: { ...process.env, DESKGRAPH_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n').slice(0, -1)).toEqual(TABLE);
  });

  it('sends the key as a bearer token and shows a refused ticket by its error code', async () => {
    const seen: (string | undefined)[] = [];
    const stub = createServer((req, res) => {
      seen.push(req.headers.authorization);
      req.resume().on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            data: { tickets: [null] },
            errors: [{ message: 'This key may not read TICKITI tickets.', path: ['tickets', 0], extensions: { code: 'FORBIDDEN', provider: 'TICKITI', ref: '220003' } }],
          }),
        );
      });
    });
    stub.listen(0, '127.0.0.1');
    await once(stub, 'listening');
    try {
      const out = capture();
      const stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/graphql`;
      expect(await main(['--url', stubUrl, 'TICKITI:220003'], { DESKGRAPH_KEY: 'dk_dashboard_key' }, out, capture())).toBe(0);
      expect(seen).toEqual(['Bearer dk_dashboard_key']);
      expect(out.lines()).toEqual([
        'PROVIDER  TICKET  SUBJECT                         STATUS     PRIORITY  REQUESTER  LAST MESSAGE',
        'TICKITI   220003  This key may not read TICKITI…  FORBIDDEN  —         —          —',
        '1 of 1 tickets could not be read.',
      ]);
    } finally {
      stub.closeAllConnections();
      stub.close();
    }
  });

  it('refuses a watched ticket that is not PROVIDER:REF, before asking anything', async () => {
    const err = capture();
    expect(await main(['--url', url, 'ZENDESK:42'], {}, capture(), err)).toBe(2);
    expect(err.lines()[0]).toBe('dashboard: "ZENDESK:42" is not PROVIDER:REF (providers: HEADONI, TICKITI, INTERCOM, HOSTUP, TEAMBATTLES)');
  });
});
