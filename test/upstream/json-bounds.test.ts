import { describe, expect, it } from 'vitest';
import { nestingProblem, shapeProblem } from '../../src/upstream/json-bounds.js';

describe('nestingProblem', () => {
  it('passes nesting up to the bound and refuses one level more', () => {
    expect(nestingProblem(`${'['.repeat(64)}${']'.repeat(64)}`, 64)).toBeUndefined();
    expect(nestingProblem(`${'['.repeat(65)}${']'.repeat(65)}`, 64)).toBe('it nests deeper than 64 levels');
    expect(nestingProblem(`{"a":${'{"b":'.repeat(70)}1${'}'.repeat(71)}`, 64)).toBe('it nests deeper than 64 levels');
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestingProblem(JSON.stringify({ body: '['.repeat(1000), quoted: '"[[[[\\"' }), 2)).toBeUndefined();
  });

  it('refuses a million nested arrays without parsing them', () => {
    expect(nestingProblem('['.repeat(1_000_000), 64)).toBe('it nests deeper than 64 levels');
  });
});

describe('shapeProblem', () => {
  it('refuses an array over the bound wherever it is, without looking at its items', () => {
    const parts = new Array(1_300_000).fill({});
    expect(shapeProblem({ ticket_parts: { ticket_parts: parts } }, 10_000)).toBe('it holds an array of 1300000 items (at most 10000 are read)');
    expect(shapeProblem([[1, 2, 3]], 2)).toBe('it holds an array of 3 items (at most 2 are read)');
  });

  it('passes arrays within the bound', () => {
    expect(shapeProblem({ messages: new Array(10_000).fill(0), nested: [{ a: [1] }] }, 10_000)).toBeUndefined();
  });
});
