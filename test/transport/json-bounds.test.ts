import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonBoundsScanner, jsonTextProblem } from '../../src/transport/json-bounds.js';

const bounds = { maxDepth: 64, maxArrayLength: 10_000 };

describe('jsonTextProblem: what JSON.parse is never asked to do', () => {
  it('passes nesting up to the bound and refuses one level more', () => {
    expect(jsonTextProblem(`${'['.repeat(64)}${']'.repeat(64)}`, bounds)).toBeUndefined();
    expect(jsonTextProblem(`${'['.repeat(65)}${']'.repeat(65)}`, bounds)).toBe('it nests deeper than 64 levels');
    expect(jsonTextProblem(`{"a":${'{"b":'.repeat(70)}1${'}'.repeat(71)}`, bounds)).toBe('it nests deeper than 64 levels');
  });

  it('refuses a million nested arrays', () => {
    expect(jsonTextProblem('['.repeat(1_000_000), bounds)).toBe('it nests deeper than 64 levels');
  });

  it('refuses an array over the bound wherever it is, and passes one at the bound', () => {
    const parts = (n: number) => `{"ticket_parts":{"ticket_parts":[${new Array(n).fill('{}').join(',')}],"total":1}}`;
    expect(jsonTextProblem(parts(10_000), bounds)).toBeUndefined();
    expect(jsonTextProblem(parts(10_001), bounds)).toBe('it holds an array of more than 10000 items');
    expect(jsonTextProblem(parts(1_300_000), bounds)).toBe('it holds an array of more than 10000 items');
    expect(jsonTextProblem(`[[1,2],[3]]`, { maxDepth: 4, maxArrayLength: 2 })).toBeUndefined();
    expect(jsonTextProblem(`[[1,2,3]]`, { maxDepth: 4, maxArrayLength: 2 })).toBe('it holds an array of more than 2 items');
  });

  it("counts neither an object's members nor brackets and commas inside strings", () => {
    const members = `{${Array.from({ length: 20 }, (_, i) => `"k${i}":1`).join(',')}}`;
    expect(jsonTextProblem(members, { maxDepth: 4, maxArrayLength: 2 })).toBeUndefined();
    expect(jsonTextProblem(JSON.stringify({ body: '[,,,,[[[[', quoted: '"[[,,\\"' }), { maxDepth: 2, maxArrayLength: 2 })).toBeUndefined();
  });
});

describe('JsonBoundsScanner: the same scan, fed as the chunks arrive', () => {
  const small = { maxDepth: 3, maxArrayLength: 3 };
  /** Text made of the characters the scan looks at, so every split lands somewhere that matters. */
  const jsonish = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', ',', '"', '\\', 'a', ':'), maxLength: 80 });

  it('finds exactly what one scan of the whole text finds, wherever the text is cut', () => {
    fc.assert(
      fc.property(jsonish, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((start, index) => text.slice(start, [...at, text.length][index]));
        const scanner = new JsonBoundsScanner(small);
        let found: string | undefined;
        for (const piece of pieces) found = scanner.feed(piece) ?? found;
        expect(found).toBe(jsonTextProblem(text, small));
      }),
      { numRuns: 2000 },
    );
  });

  it('carries an escape across a cut: a quote after a backslash at the end of a piece stays in the string', () => {
    const scanner = new JsonBoundsScanner(small);
    expect(scanner.feed('["a\\')).toBeUndefined();
    // The escaped quote keeps the string open, so these brackets are text.
    expect(scanner.feed('"[[[[[')).toBeUndefined();
    expect(jsonTextProblem('["a\\"[[[[[', small)).toBeUndefined();
    expect(new JsonBoundsScanner(small).feed('["a"[[[[[')).toBe('it nests deeper than 3 levels');
  });
});
