/** fast-check settings and generators shared by the property tests of test/security. */
import fc from 'fast-check';
import { PROVIDERS, type Provider } from '../../src/domain/provider.js';

/**
 * A fixed seed keeps CI repeatable; `FC_SEED=<n>` (or `FC_SEED=random`) explores further, and a
 * failure prints the seed and path that reproduce it.
 */
export const FC_PARAMS: fc.Parameters<unknown> = {
  seed: process.env['FC_SEED'] === 'random' ? undefined : Number(process.env['FC_SEED'] ?? 20_261_123),
};

export const provider = fc.constantFrom<Provider>(...PROVIDERS);

/** A ref each provider accepts (CONTRACT §2). */
export const VALID_REF: Record<Provider, fc.Arbitrary<string>> = {
  HEADONI: fc.stringMatching(/^[0-9]{1,20}$/),
  TICKITI: fc.stringMatching(/^[0-9]{1,20}$/),
  INTERCOM: fc.stringMatching(/^[0-9]{1,20}$/),
  HOSTUP: fc.oneof(fc.stringMatching(/^tkt_[a-z0-9]{1,64}$/), fc.stringMatching(/^[0-9]{1,20}$/)),
  TEAMBATTLES: fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
};

/** Pieces that make refs look almost right, and the classic path and header smuggling tricks. */
const REF_PIECES = [
  '0', '7', '1247', 'tkt_', 'tkt_abc', 'TKT_', 'a', 'Z', '_', '-', '/', '\\', '.', '..', '../', '%2F', '%2e%2e', '%00', '\u0000',
  '?', '#', '&', '=', ' ', '\t', '\n', '\r\n', '+', '١', '０', 'é', '\u200b', '\ud83d\ude00', '\ud800', '${x}', '{}', '"', "'",
];

/** Arbitrary strings of every kind: any Unicode (lone surrogates too), and ref-like ones. */
export const anyRef: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(fc.constantFrom(...REF_PIECES), { maxLength: 8 }).map((pieces) => pieces.join('')),
  fc.stringMatching(/^[0-9a-z_-]{0,140}$/),
  provider.chain((p) => VALID_REF[p]),
);

/** Values that break mappers: wrong types, prototype keys, extremes. */
export const HOSTILE_VALUES: unknown[] = [
  null, '', ' ', 0, -1, 1.5, 1e21, -1e21, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, true, false, [], {}, [null], { 0: 1 },
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype',
  '<script>alert(1)</script>', 'x'.repeat(10_000), '2026-13-45T99:99:99Z', '+275760-09-13T00:00:00.001Z', 'NaN', '-0',
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
