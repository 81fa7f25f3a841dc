import { describe, expect, it } from 'vitest';
import {
  Profiler,
  estimateTokens,
  histogram,
  profileRows,
} from '../../../src/core/profile/profile.ts';

describe('SPEC 3.10 profile', () => {
  it('counts nulls and unique values per column', () => {
    const [a] = profileRows([{ a: 'x' }, { a: null }, { a: 'y' }, { a: 'x' }], ['a']);
    expect(a).toMatchObject({ name: 'a', kind: 'string', count: 4, nulls: 1, unique: 2 });
    expect(a?.top).toEqual([
      { value: 'x', count: 2 },
      { value: 'y', count: 1 },
    ]);
  });

  it('numbers get min, max, mean, std and an equal-width histogram', () => {
    const rows = [1, 2, 3, 4].map((v) => ({ n: v }));
    const [n] = profileRows(rows, ['n'], { bins: 3 });
    expect(n?.numeric).toMatchObject({ min: 1, max: 4, mean: 2.5 });
    expect(n?.numeric?.std).toBeCloseTo(Math.sqrt(1.25));
    expect(n?.numeric?.histogram.counts).toEqual([1, 1, 2]);
    expect(histogram([5, 5], 5, 5, 10).counts).toEqual([2]);
  });

  it('model text gets token statistics', () => {
    const [t] = profileRows([{ t: 'abcd' }, { t: 'abcdefgh' }], ['t']);
    expect(t?.text).toMatchObject({ minChars: 4, maxChars: 8, meanChars: 6, totalTokens: 3 });
    expect(estimateTokens('')).toBe(0);
  });

  it('validation columns get a pass rate, judge columns a score distribution', () => {
    const rows = [
      { v: { is_valid: true, errors: [] }, j: { quality: { score: 3, reasoning: 'ok' } } },
      { v: { is_valid: false, errors: ['x'] }, j: { quality: { score: 1, reasoning: 'no' } } },
      { v: { is_valid: true, errors: [] }, j: { quality: { score: 3, reasoning: 'ok' } } },
    ];
    const [v, j] = profileRows(rows, ['v', 'j']);
    expect(v?.passRate).toEqual({ valid: 2, total: 3 });
    expect(j?.scores).toEqual({
      quality: [
        { value: '1', count: 1 },
        { value: '3', count: 2 },
      ],
    });
  });

  it('rows added in chunks profile as rows added at once; a late column was null before', () => {
    const rows = [{ a: 1 }, { a: 2, b: 'x' }, { a: 3 }];
    const p = new Profiler();
    p.add(rows.slice(0, 1));
    p.add(rows.slice(1));
    expect(p.result()).toEqual(profileRows(rows));
    expect(p.result()[1]).toMatchObject({ name: 'b', count: 3, nulls: 2 });
  });
});
