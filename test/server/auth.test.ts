/**
 * Callers (CONTRACT §4): bearer keys, 401 without one, FORBIDDEN per field for providers a key
 * may not read (zero vendor calls for them), and INTERNAL messages that do not exist for a key
 * without `internal`.
 */
import { createHash } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ticketId } from '../../src/domain/global-id.js';
import { PROVIDERS } from '../../src/domain/provider.js';
import { OPEN_CALLER } from '../../src/domain/caller.js';
import { createAuthenticator } from '../../src/server/auth.js';
import { PROVIDERS_CONFIG, startTestGateway, type TestGateway } from './fixtures.js';

const FULL_KEY = 'full-key-0123456789abcdef-FULL';
const HOSTUP_KEY = 'hostup-key-0123456789abcdef-HU';
const PUBLIC_KEY = 'public-key-0123456789abcdef-PUB';
const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const AUTH = {
  keys: [
    { name: 'full', token: FULL_KEY, internal: true },
    // Configured by hash only: the file never holds this key in clear.
    { name: 'hostup-only', tokenSha256: sha256hex(HOSTUP_KEY), providers: ['HOSTUP' as const], internal: true },
    { name: 'public-reader', token: PUBLIC_KEY },
  ],
};

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ auth: AUTH, providers: PROVIDERS_CONFIG });
});
beforeEach(() => {
  for (const provider of PROVIDERS) gateway.connectors[provider].calls.length = 0;
});

const TICKET = 'query($p: Provider!, $r: String!) { ticket(provider: $p, ref: $r) { provider ref subject } }';

describe('without a valid key', () => {
  it('is HTTP 401 UNAUTHENTICATED with WWW-Authenticate: Bearer, before any work', async () => {
    const response = await gateway.query(TICKET, { p: 'HOSTUP', r: 'tkt_abc' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="DeskGraph"');
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json).toEqual({
      errors: [
        { message: 'A gateway key is required: send Authorization: Bearer <key>.', extensions: { code: 'UNAUTHENTICATED', requestId } },
      ],
    });
    expect(gateway.upstreamCalls()).toBe(0);
  });

  it.each([
    ['an unknown key', `Bearer ${FULL_KEY}x`],
    ['a key one character short', `Bearer ${FULL_KEY.slice(0, -1)}`],
    ['the sha256 of a key instead of the key', `Bearer ${sha256hex(HOSTUP_KEY)}`],
    ['another scheme', `Basic ${Buffer.from(`x:${FULL_KEY}`).toString('base64')}`],
    ['a key with no scheme', FULL_KEY],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s with 401 invalid_token, and echoes nothing', async (_what, authorization) => {
    const response = await gateway.query(TICKET, { p: 'HOSTUP', r: 'tkt_abc' }, { authorization });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="DeskGraph", error="invalid_token"');
    expect(response.json.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(response.text).not.toContain(FULL_KEY.slice(0, 12));
    expect(gateway.upstreamCalls()).toBe(0);
  });

  it('still serves GraphiQL, which holds no data (its queries need a key)', async () => {
    const { request } = await import('undici');
    const page = await request(gateway.url, { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('<title>DeskGraph</title>');
  });
});

describe('with a valid key', () => {
  it('serves a key given in clear, in any case of the scheme', async () => {
    const response = await gateway.query(TICKET, { p: 'HOSTUP', r: 'tkt_abc' }, { authorization: `bearer ${FULL_KEY}` });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { ticket: { provider: 'HOSTUP', ref: 'tkt_abc', subject: 'Subject of HOSTUP tkt_abc' } } });
  });

  it('serves a key configured as tokenSha256 the same way', async () => {
    const response = await gateway.query(TICKET, { p: 'HOSTUP', r: 'tkt_abc' }, bearer(HOSTUP_KEY));
    expect(response.json.data).toEqual({ ticket: { provider: 'HOSTUP', ref: 'tkt_abc', subject: 'Subject of HOSTUP tkt_abc' } });
  });
});

describe('a key limited to some providers', () => {
  it('is FORBIDDEN per field for the others, in ticket, tickets, node and _entities, with zero vendor calls for them', async () => {
    const query = `query($entities: [_Any!]!) {
      headoni: ticket(provider: HEADONI, ref: "1247") { ref }
      hostup: ticket(provider: HOSTUP, ref: "tkt_one") { ref }
      many: tickets(refs: [{ provider: HOSTUP, ref: "tkt_two" }, { provider: TICKITI, ref: "220009" }, { provider: INTERCOM, ref: "bad/ref" }]) { ref }
      node(id: "${ticketId('TEAMBATTLES', 'tb-1')}") { id }
      _entities(representations: $entities) { ... on Ticket { provider ref } }
    }`;
    const response = await gateway.query(
      query,
      {
        entities: [
          { __typename: 'Ticket', id: ticketId('INTERCOM', '1295') },
          { __typename: 'Ticket', provider: 'HOSTUP', ref: 'tkt_three' },
          { __typename: 'Ticket', provider: 'TICKITI', ref: '220010' },
        ],
      },
      bearer(HOSTUP_KEY),
    );
    expect(response.status).toBe(200);
    expect(response.json.data).toEqual({
      headoni: null,
      hostup: { ref: 'tkt_one' },
      many: [{ ref: 'tkt_two' }, null, null],
      node: null,
      _entities: [null, { provider: 'HOSTUP', ref: 'tkt_three' }, null],
    });
    const forbidden = (response.json.errors ?? []).map((error) => [error.path?.join('.'), error.extensions]);
    expect(forbidden).toEqual(
      expect.arrayContaining([
        ['headoni', { code: 'FORBIDDEN', provider: 'HEADONI', ref: '1247' }],
        ['many.1', { code: 'FORBIDDEN', provider: 'TICKITI', ref: '220009' }],
        // Forbidden before the ref is even looked at: the key learns nothing about INTERCOM.
        ['many.2', { code: 'FORBIDDEN', provider: 'INTERCOM', ref: 'bad/ref' }],
        ['node', { code: 'FORBIDDEN', provider: 'TEAMBATTLES', ref: 'tb-1' }],
        ['_entities.0', { code: 'FORBIDDEN', provider: 'INTERCOM', ref: '1295' }],
        ['_entities.2', { code: 'FORBIDDEN', provider: 'TICKITI', ref: '220010' }],
      ]),
    );
    expect(response.json.errors).toHaveLength(6);
    expect(response.json.errors?.[0]?.message).toBe('This gateway key may not read HEADONI tickets.');
    expect(gateway.connectors.HOSTUP.calls.sort()).toEqual(['tkt_one', 'tkt_three', 'tkt_two']);
    expect(gateway.upstreamCalls()).toBe(3);
  });

  it('sees only its own providers in `providers`', async () => {
    const query = '{ providers { provider configured origin } }';
    const restricted = await gateway.query(query, {}, bearer(HOSTUP_KEY));
    expect(restricted.json.data).toEqual({ providers: [{ provider: 'HOSTUP', configured: true, origin: 'https://hostup.example' }] });
    const full = await gateway.query(query, {}, bearer(FULL_KEY));
    expect((full.json.data?.['providers'] as unknown[]).length).toBe(5);
  });
});

describe('a key without internal', () => {
  const THREAD = `query($v: Visibility) {
    ticket(provider: TICKITI, ref: "220009") {
      messages(visibility: $v) { nativeId visibility bodyText attachments { name } }
      attachments { name }
    }
  }`;

  it.each([undefined, 'PUBLIC', 'INTERNAL'])('never returns, counts or hints at INTERNAL messages (visibility: %s)', async (visibility) => {
    const response = await gateway.query(THREAD, { v: visibility ?? null }, bearer(PUBLIC_KEY));
    const ticket = response.json.data?.['ticket'] as { messages: { nativeId: string; visibility: string }[]; attachments: { name: string }[] };
    expect(response.json.errors).toBeUndefined();
    expect(ticket.messages.map((m) => m.nativeId)).toEqual(visibility === 'INTERNAL' ? [] : ['1', '3']);
    // The note's attachment is gone from the ticket's list too.
    expect(ticket.attachments.map((a) => a.name)).toEqual(['root.txt', 'public-1.pdf', 'public-3.pdf']);
    expect(response.text).not.toMatch(/Staff only|internal-2|INTERNAL/);
  });

  it('while a key with internal sees the staff note and its attachment', async () => {
    const response = await gateway.query(THREAD, { v: null }, bearer(FULL_KEY));
    const ticket = response.json.data?.['ticket'] as { messages: { nativeId: string }[]; attachments: { name: string }[] };
    expect(ticket.messages.map((m) => m.nativeId)).toEqual(['1', '2', '3']);
    expect(ticket.attachments.map((a) => a.name)).toEqual(['root.txt', 'public-1.pdf', 'internal-2.pdf', 'public-3.pdf']);
  });
});

describe('logs', () => {
  it('name the caller on each request and never hold a key', async () => {
    await gateway.query(TICKET, { p: 'HOSTUP', r: 'tkt_logged' }, bearer(FULL_KEY));
    await gateway.query(TICKET, { p: 'HOSTUP', r: 'tkt_abc' }, bearer('wrong-key-0123456789abcdef'));
    const text = JSON.stringify(gateway.logs);
    expect(text).toContain('"caller":"full"');
    expect(text).toContain('refused a request with an unknown gateway key');
    for (const secret of [FULL_KEY, HOSTUP_KEY, PUBLIC_KEY, 'wrong-key-0123456789abcdef', sha256hex(HOSTUP_KEY)]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('gateway answers anyone');
  });
});

describe('createAuthenticator', () => {
  const authenticator = createAuthenticator({
    keys: [
      { name: 'a', token: FULL_KEY, internal: false },
      { name: 'b', tokenSha256: sha256hex(HOSTUP_KEY).toUpperCase(), providers: ['HEADONI', 'HOSTUP'], internal: true },
    ],
  });

  it('names the caller, its providers and whether it sees internal notes', () => {
    expect(authenticator.required).toBe(true);
    expect(authenticator.authenticate(`Bearer ${FULL_KEY}`)).toMatchObject({ name: 'a', internal: false, unrestricted: true });
    const b = authenticator.authenticate(`Bearer ${HOSTUP_KEY}`)!;
    expect([b.name, [...b.providers], b.internal, b.unrestricted]).toEqual(['b', ['HEADONI', 'HOSTUP'], true, false]);
  });

  it('compares digests, so keys of any length are refused without throwing', () => {
    for (const key of ['', 'x', FULL_KEY.slice(0, -1), `${FULL_KEY}${'y'.repeat(10_000)}`, '\u0000', 'ü'.repeat(64)]) {
      expect(authenticator.authenticate(`Bearer ${key}`)).toBeUndefined();
    }
    expect(authenticator.authenticate(undefined)).toBeUndefined();
    expect(authenticator.authenticate(null)).toBeUndefined();
  });

  it('without auth, everyone is the open caller', () => {
    const open = createAuthenticator(undefined);
    expect(open.required).toBe(false);
    expect(open.authenticate(undefined)).toBe(OPEN_CALLER);
    expect(open.authenticate('Bearer anything')).toBe(OPEN_CALLER);
  });
});
