/** Helpers for the samplers' statistical tests: many cells of one column, summarised. */
import { expect } from 'vitest';
import type { SamplerDraw } from '../../../src/core/generators/samplers/types.ts';
import { Rng, cellSeed, hashString } from '../../../src/core/random/seed.ts';
import type { Row } from '../../../src/core/storage/types.ts';

/** Draws of rows 0..n-1 of column `column`, each from its own cell generator (SPEC 2). */
export function drawCells(draw: SamplerDraw, n: number, column = 'c', row: Row = {}): unknown[] {
  const rng = new Rng(0);
  const h = hashString(column);
  const out: unknown[] = new Array(n);
  for (let r = 0; r < n; r++) out[r] = draw(rng.reseed(cellSeed(11, h, r)), row);
  return out;
}

export function moments(xs: readonly number[]): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, variance: ss / (xs.length - 1) };
}

/**
 * The sample mean lies within 5 standard errors of `mean` and the sample variance
 * within `varTolerance` (relative) of `variance`.
 */
export function expectMoments(
  xs: readonly number[],
  mean: number,
  variance: number,
  varTolerance = 0.05,
): void {
  const m = moments(xs);
  const se = Math.sqrt(variance / xs.length);
  expect(Math.abs(m.mean - mean), `mean ${m.mean} vs ${mean}`).toBeLessThan(5 * se);
  expect(
    Math.abs(m.variance - variance) / variance,
    `variance ${m.variance} vs ${variance}`,
  ).toBeLessThan(varTolerance);
}

/** The q-quantile of xs (sorted copy). */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** Share of xs equal to v. */
export function share(xs: readonly unknown[], v: unknown): number {
  let k = 0;
  for (const x of xs) if (x === v) k++;
  return k / xs.length;
}
