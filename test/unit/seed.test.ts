import { describe, expect, it } from 'vitest';
import { Rng, cellSeed, hashString } from '../../src/core/random/seed.ts';
import { GOLDEN_CELL } from '../support/golden-draws.ts';

describe('SPEC 2 determinism: cell seeds', () => {
  it('depends on run seed, column and global row only', () => {
    const c = hashString('age');
    expect(cellSeed(42, c, 7)).toBe(cellSeed(42, c, 7));
    expect(cellSeed(42, c, 7)).not.toBe(cellSeed(43, c, 7));
    expect(cellSeed(42, c, 7)).not.toBe(cellSeed(42, hashString('name'), 7));
    expect(cellSeed(42, c, 7)).not.toBe(cellSeed(42, c, 8));
  });

  it('draws the golden values (the browser test checks the same ones)', () => {
    const seed = cellSeed(GOLDEN_CELL.runSeed, hashString(GOLDEN_CELL.column), GOLDEN_CELL.row);
    const rng = new Rng(seed);
    expect(seed).toBe(GOLDEN_CELL.seed);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual(GOLDEN_CELL.draws);
  });

  it('keeps rows beyond 2^32 apart', () => {
    const c = hashString('x');
    expect(cellSeed(1, c, 5)).not.toBe(cellSeed(1, c, 5 + 2 ** 32));
  });

  it('draws uniform values in [0, 1) with the expected mean', () => {
    const rng = new Rng(123);
    let sum = 0;
    const n = 100_000;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
  });
});
