/**
 * Unexpected errors are masked as INTERNAL_SERVER_ERROR with the request id; the same id and the
 * whole story go to the log. Every response carries `x-request-id`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { requestIdFrom } from '../../src/server/request-id.js';
import { BUG_REF, PROVIDERS_CONFIG, startTestGateway, type TestGateway } from './fixtures.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ providers: PROVIDERS_CONFIG });
});

describe('an unexpected error', () => {
  it('is masked in the response: only the message, code and request id', async () => {
    const response = await gateway.query(`{ ticket(provider: HOSTUP, ref: "${BUG_REF}") { ref } }`);
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json).toEqual({
      data: { ticket: null },
      errors: [
        {
          message: 'Unexpected error.',
          locations: [{ line: 1, column: 3 }],
          path: ['ticket'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        },
      ],
    });
    expect(response.text).not.toMatch(/mapper bug|stack|at /);
  });

  it('goes to the log once, in full, under the same request id', async () => {
    const before = gateway.logs.length;
    const response = await gateway.query(`{ ticket(provider: TICKITI, ref: "${BUG_REF}") { ref } }`);
    const requestId = response.headers['x-request-id'];
    const lines = gateway.logs.slice(before).filter((line) => line['level'] === 50);
    expect(lines).toHaveLength(1);
    const [line] = lines as [Record<string, unknown> & { err: { message: string; stack: string; type: string } }];
    expect(line['requestId']).toBe(requestId);
    expect(line['path']).toBe('ticket');
    expect(line.err.type).toBe('Error');
    expect(line.err.message).toBe("mapper bug: cannot read properties of undefined (reading 'id') in TICKITI 500");
    expect(line.err.stack).toContain('CountingConnector.fetchTicket');
  });

  it('fails only its own field: the rest of the query is served', async () => {
    const response = await gateway.query(
      `{ tickets(refs: [{ provider: HOSTUP, ref: "tkt_ok" }, { provider: HEADONI, ref: "${BUG_REF}" }]) { ref } }`,
    );
    expect(response.json.data).toEqual({ tickets: [{ ref: 'tkt_ok' }, null] });
    expect(response.json.errors?.map((error) => [error.path, error.extensions?.['code']])).toEqual([[['tickets', 1], 'INTERNAL_SERVER_ERROR']]);
  });
});

describe('request ids', () => {
  it('keep a safe incoming x-request-id and use it in the log', async () => {
    const response = await gateway.query('{ providers { provider } }', {}, { 'x-request-id': 'edge-7f3a.42_b' });
    expect(response.headers['x-request-id']).toBe('edge-7f3a.42_b');
    expect(gateway.logs.some((line) => line['requestId'] === 'edge-7f3a.42_b' && line['msg'] === 'request served')).toBe(true);
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['with spaces', 'hello world'],
    ['with a quote', 'id"injected'],
    ['with a log-forging newline', 'id\u2028{"level":60}'],
    ['empty', ''],
  ])('replace an unsafe one (%s) with a fresh UUID', (_what, incoming) => {
    expect(requestIdFrom(incoming)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('are on every response, errors and all, and differ between requests', async () => {
    const ok = await gateway.query('{ providers { provider } }');
    const invalid = await gateway.query('{ nope }');
    const notJson = await gateway.post('{not json');
    const ids = [ok, invalid, notJson].map((response) => response.headers['x-request-id']);
    expect(new Set(ids).size).toBe(3);
    expect([ok.status, invalid.status, notJson.status]).toEqual([200, 400, 400]);
  });
});
