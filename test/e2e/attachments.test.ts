/**
 * Attachments through the built gateway (issue 10, defect 10): HostUp's and Tickiti's files need
 * the vendor's token, so `Attachment.url` is a gateway link that takes the caller's key and
 * streams the vendor's bytes; Intercom's public URLs stay as they are.
 */
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../src/domain/provider.js';
import { SIMULATORS } from '../../src/simulators/index.js';
import { SAMPLE_THREADS } from '../../src/simulators/sample-threads.js';
import { tickitiSampleTickets } from '../../src/simulators/tickiti/data.js';
import { fleetConfig, startGateway, startSimulators, type GatewayProcess, type SimulatorFleet } from '../helpers/processes.js';

const OPS_KEY = 'ops-key-6b1f0e9c4d2a7358';
const DASHBOARD_KEY = 'dashboard-key-a93c5e7f1b4d';
const INTERCOM_ONLY_KEY = 'intercom-key-2e8d4b6f0a1c';
/** Smaller than IMG_2041.jpg (1,196,962 bytes), larger than the other sample files used here. */
const MAX_BYTES = 1_000_000;
/** A Tickiti ticket whose only file hangs on an internal staff note. */
const INTERNAL_TICKET = 990_001;

let fleet: SimulatorFleet;
let gateway: GatewayProcess;
/** Every response the gateway gave, headers and body, for the token check. */
const seen: string[] = [];

interface FileAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json: () => { errors: { message: string; extensions: Record<string, unknown> }[] };
}

async function download(url: string, key: string | null, viaVendorToken?: string): Promise<FileAnswer> {
  const authorization = viaVendorToken ?? key;
  const response = await request(url, { headers: authorization === null ? {} : { authorization: `Bearer ${authorization}` } });
  const body = Buffer.from(await response.body.arrayBuffer());
  if (viaVendorToken === undefined) seen.push(JSON.stringify(response.headers), body.toString('latin1'));
  return { status: response.statusCode, headers: response.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

interface ListedFile {
  nativeId: string | null;
  name: string | null;
  url: string | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
}

async function filesOf(provider: Provider, ref: string, key = OPS_KEY): Promise<ListedFile[]> {
  const { text } = await gateway.raw(
    JSON.stringify({
      query: 'query($p: Provider!, $r: String!) { ticket(provider: $p, ref: $r) { attachments { nativeId name url contentType size sha256 } } }',
      variables: { p: provider, r: ref },
    }),
    { authorization: `Bearer ${key}` },
  );
  seen.push(text);
  const answer = JSON.parse(text) as { data: { ticket: { attachments: ListedFile[] } | null }; errors?: unknown };
  expect(answer.errors).toBeUndefined();
  return answer.data.ticket!.attachments;
}

/** The sample ticket (by index) whose thread carries a file of this name. */
function sampleWith(fileName: string): number {
  const index = SAMPLE_THREADS.findIndex((thread) => thread.messages.some((message) => message.attachment?.name === fileName));
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
}

async function linkOf(provider: Provider, fileName: string, key = OPS_KEY): Promise<ListedFile & { url: string }> {
  const files = await filesOf(provider, SIMULATORS[provider].sampleRef(sampleWith(fileName)), key);
  const file = files.find((candidate) => candidate.name === fileName);
  expect(file?.url).toEqual(expect.any(String));
  return file as ListedFile & { url: string };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  fleet = await startSimulators();
  gateway = await startGateway(
    fleetConfig(fleet, {
      auth: {
        keys: [
          { name: 'ops', token: OPS_KEY, internal: true },
          { name: 'dashboard', token: DASHBOARD_KEY, providers: ['HOSTUP', 'TICKITI'] },
          { name: 'intercom-only', token: INTERCOM_ONLY_KEY, providers: ['INTERCOM'] },
        ],
      },
      attachments: { maxBytes: MAX_BYTES },
    }),
    // Every log line the route and the vendor calls write, for the token check.
    { LOG_LEVEL: 'trace' },
  );
}, 60_000);
afterAll(async () => {
  await gateway?.process.stop();
  await fleet?.process.stop();
});
beforeEach(async () => {
  await fleet.reset();
});

describe('GET /attachments/<id>', () => {
  it('serves a HostUp file byte for byte, with its type and Content-Disposition, for one vendor request', async () => {
    const file = await linkOf('HOSTUP', 'loop.png');
    expect(file.url.startsWith(`${gateway.origin}/attachments/`)).toBe(true);
    await fleet.resetStats();

    const served = await download(file.url, DASHBOARD_KEY);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['content-disposition']).toBe(`attachment; filename="loop.png"; filename*=UTF-8''loop.png`);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cache-control']).toBe('private, no-store');
    // The ticket was cached by the query: the download is the only vendor request.
    const stats = await fleet.stats('HOSTUP');
    expect(stats.requests).toBe(1);
    expect(Object.keys(stats.byPath)).toEqual([`/api/v2/support/attachments/${file.nativeId}`]);

    // What HostUp itself serves with its token, straight from the vendor.
    const hostUp = fleet.vendors.HOSTUP;
    const ticketId = SIMULATORS.HOSTUP.sampleRef(sampleWith('loop.png'));
    const direct = await download(`${hostUp.url}/api/v2/support/attachments/${file.nativeId}?ticketId=${ticketId}`, null, hostUp.token);
    expect(direct.status).toBe(200);
    expect(served.body.length).toBe(48_213);
    expect(sha256(served.body)).toBe(sha256(direct.body));
  });

  it("decodes a Tickiti file from its base64 envelope, byte for byte against Tickiti's sha256", async () => {
    const file = await linkOf('TICKITI', 'contacts.csv');
    const served = await download(file.url, DASHBOARD_KEY);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('text/csv');
    expect(served.headers['content-disposition']).toBe(`attachment; filename="contacts.csv"; filename*=UTF-8''contacts.csv`);
    expect(served.body.length).toBe(file.size);
    expect(sha256(served.body)).toBe(file.sha256);
  });

  it("keeps Intercom's public URLs as Intercom gives them", async () => {
    const file = await linkOf('INTERCOM', 'loop.png', INTERCOM_ONLY_KEY);
    expect(file.url).toMatch(/^https:\/\/downloads\.intercomcdn\.com\//);
  });

  it('is 403 FORBIDDEN for a key without that provider, with no vendor request', async () => {
    const file = await linkOf('HOSTUP', 'loop.png');
    await fleet.resetStats();
    const refused = await download(file.url, INTERCOM_ONLY_KEY);
    expect(refused.status).toBe(403);
    expect(refused.json().errors).toEqual([
      {
        message: 'This gateway key may not read HOSTUP tickets.',
        extensions: { code: 'FORBIDDEN', provider: 'HOSTUP', ref: SIMULATORS.HOSTUP.sampleRef(sampleWith('loop.png')) },
      },
    ]);
    expect(await fleet.totalRequests()).toBe(0);
  });

  it("is 403 FORBIDDEN for an internal note's file without `internal`, whatever the link says", async () => {
    const template = tickitiSampleTickets()[sampleWith('contacts.csv')]!;
    const withFile = template.responses.findIndex((response) => (response.attachments ?? []).length > 0);
    const ticket = {
      ...template,
      ticket: { ...template.ticket, id: String(INTERNAL_TICKET), number: INTERNAL_TICKET },
      responses: template.responses.map((response, index) => (index === withFile ? { ...response, is_internal: true } : response)),
    };
    await fleet.addTickets('TICKITI', [ticket]);

    const [file] = await filesOf('TICKITI', String(INTERNAL_TICKET));
    // The dashboard key does not even see it listed…
    expect(await filesOf('TICKITI', String(INTERNAL_TICKET), DASHBOARD_KEY)).toEqual([]);
    await fleet.resetStats();
    // …and the link, obtained elsewhere, does not open for it.
    const refused = await download(file!.url!, DASHBOARD_KEY);
    expect(refused.status).toBe(403);
    expect(refused.json().errors[0]!.extensions).toEqual({ code: 'FORBIDDEN', provider: 'TICKITI', ref: String(INTERNAL_TICKET) });
    expect(await fleet.totalRequests()).toBe(0);

    const allowed = await download(file!.url!, OPS_KEY);
    expect(allowed.status).toBe(200);
    expect(sha256(allowed.body)).toBe(file!.sha256);
  });

  it('is 404 NOT_FOUND when the vendor says the file is gone', async () => {
    const file = await linkOf('HOSTUP', 'contacts.csv');
    await fleet.controls('HOSTUP', { failStatus: 404, failCount: 1 });
    await fleet.resetStats();
    const gone = await download(file.url, OPS_KEY);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(gone.json().errors[0]!.extensions['code']).toBe('NOT_FOUND');
    expect((await fleet.stats('HOSTUP')).requests).toBe(1);
  });

  it('refuses a file over attachments.maxBytes with a clear 502 before any byte', async () => {
    // HostUp declares the size in Content-Length: refused once the vendor answers.
    const hostUp = await linkOf('HOSTUP', 'IMG_2041.jpg');
    const tooLarge = await download(hostUp.url, OPS_KEY);
    expect(tooLarge.status).toBe(502);
    expect(tooLarge.json().errors[0]).toEqual({
      message: `attachment "${hostUp.nativeId}" of HOSTUP ticket "${SIMULATORS.HOSTUP.sampleRef(sampleWith('IMG_2041.jpg'))}" is larger than this gateway serves (attachments.maxBytes: ${MAX_BYTES} bytes).`,
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'HOSTUP', ref: SIMULATORS.HOSTUP.sampleRef(sampleWith('IMG_2041.jpg')) },
    });

    // Tickiti lists the size with the ticket: refused without asking Tickiti for the file.
    const tickiti = await linkOf('TICKITI', 'IMG_2041.jpg');
    expect(tickiti.size).toBeGreaterThan(MAX_BYTES);
    await fleet.resetStats();
    const refused = await download(tickiti.url, OPS_KEY);
    expect(refused.status).toBe(502);
    expect(refused.json().errors[0]!.extensions['code']).toBe('UPSTREAM_BAD_RESPONSE');
    expect(await fleet.totalRequests()).toBe(0);
  });

  it('is 401 without a key and 400 for a link the gateway did not make', async () => {
    const file = await linkOf('HOSTUP', 'loop.png');
    await fleet.resetStats();
    const anonymous = await download(file.url, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="DeskGraph"');
    // As /graphql's 401: the code, and the request id the answer's header carries.
    expect(anonymous.json().errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: anonymous.headers['x-request-id'] });
    const forged = await download(`${gateway.origin}/attachments/${Buffer.from('HOSTUP\n../admin\nx').toString('base64url')}`, OPS_KEY);
    expect(forged.status).toBe(400);
    expect(forged.json().errors[0]!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(await fleet.totalRequests()).toBe(0);
  });

  it('never shows a vendor token in anything it returned or logged', () => {
    expect(seen.length).toBeGreaterThan(20);
    const logs = [...gateway.process.stdout, ...gateway.process.stderr].join('\n');
    expect(logs).toContain('"path":"/attachments/"');
    const everything = [...seen, logs].join('\n');
    for (const provider of ['HOSTUP', 'TICKITI', 'INTERCOM'] as const) {
      const token = fleet.vendors[provider].token;
      for (const form of [token, Buffer.from(token).toString('base64'), encodeURIComponent(token)]) {
        expect(everything.includes(form), `${provider}'s token leaked`).toBe(false);
      }
    }
  });
});
