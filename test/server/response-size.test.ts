/**
 * `limits.responseBytes`: the size walk is a lower bound of what JSON.stringify writes (so an
 * answer that fits is never refused), exact without escapes, and an answer over the limit is one
 * BAD_USER_INPUT error naming the limit, with what was read still cached.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonSizeOver } from '../../src/server/response-size.js';
import { PROVIDERS_CONFIG, startTestGateway, type TestGateway } from './fixtures.js';

/** The smallest limit the walk says `value` is not over. */
function measured(value: unknown): number {
  let low = 0;
  let high = 1;
  while (jsonSizeOver(value, high)) high *= 2;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (jsonSizeOver(value, middle)) low = middle + 1;
    else high = middle;
  }
  return low;
}

describe('jsonSizeOver', () => {
  it('measures exactly what JSON.stringify writes when no string needs escaping', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'abcXYZ 019._-') });
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, plain, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 5 }),
      object: fc.dictionary(plain, tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(fc.property(json, (value) => measured(value) === JSON.stringify(value).length));
  });

  it('never counts more than JSON.stringify writes, whatever the strings hold', () => {
    const json = fc.jsonValue();
    fc.assert(fc.property(json, (value) => measured(value) <= JSON.stringify(value).length));
  });

  it('stops as soon as the limit is passed', () => {
    const huge = Array.from({ length: 1_000_000 }, () => ({ body: 'x'.repeat(100) }));
    expect(jsonSizeOver(huge, 1000)).toBe(true);
    expect(jsonSizeOver(huge.slice(0, 1), 1000)).toBe(false);
  });
});

describe('limits.responseBytes', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ providers: PROVIDERS_CONFIG, limits: { responseBytes: 4000 } });
  });
  const query = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `t${i}: ticket(provider: HOSTUP, ref: "tkt_big") { ref subject messages { bodyText } }`).join(' ')} }`;

  it('replaces an answer over the limit with one BAD_USER_INPUT naming it; what was read stays cached', async () => {
    const over = await gateway.query(query(20));
    expect(over.status).toBe(200);
    expect(over.json.data).toBeNull();
    expect(over.json.errors).toEqual([
      {
        message:
          'This answer would be more than 4000 bytes of JSON (limits.responseBytes), so none of it is sent: ask for fewer tickets or fields (bodyHtml and bodyText are the largest).',
        extensions: { code: 'BAD_USER_INPUT', limit: 'responseBytes' },
      },
    ]);
    expect(gateway.upstreamCalls()).toBe(1);

    const within = await gateway.query(query(2));
    expect(within.json.errors).toBeUndefined();
    expect(JSON.stringify(within.json).length).toBeLessThanOrEqual(4000);
    expect((within.json.data?.['t1'] as { ref: string }).ref).toBe('tkt_big');
    // Served from the copy the refused answer read: no second vendor call.
    expect(gateway.upstreamCalls()).toBe(1);
  });
});
