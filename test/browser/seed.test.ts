import { expect, it } from 'vitest';
import { Rng, cellSeed, hashString } from '../../src/core/random/seed.ts';
import { GOLDEN_CELL } from '../support/golden-draws.ts';

it('SPEC 2 determinism: a browser draws what Node draws for the same cell', () => {
  const seed = cellSeed(GOLDEN_CELL.runSeed, hashString(GOLDEN_CELL.column), GOLDEN_CELL.row);
  const rng = new Rng(seed);
  expect(seed).toBe(GOLDEN_CELL.seed);
  expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual(GOLDEN_CELL.draws);
});
