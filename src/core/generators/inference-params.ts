import { Rng, mix32 } from '../random/seed.ts';

/** A number, or a distribution sampled once per request (Data Designer's shape). */
export type NumberOrDistribution =
  | number
  | { distribution_type: 'uniform'; params: { low: number; high: number } }
  | { distribution_type: 'manual'; params: { values: number[]; weights?: number[] | null } };

/** Salt that keeps parameter draws apart from the other draws of the same cell. */
const PARAMS_SALT = 0x5bd1e995;

/**
 * Samples temperature/top_p for one request from the cell's seed, so a cell's
 * parameters are reproducible (and so is its cached response, SPEC 3.8).
 */
export function sampleParameter(
  value: NumberOrDistribution | null | undefined,
  cellSeed: number,
  slot: number,
): number | undefined {
  if (value == null) return undefined;
  if (typeof value === 'number') return value;
  const rng = new Rng(mix32(cellSeed ^ PARAMS_SALT ^ Math.imul(slot + 1, 0x9e3779b1)));
  if (value.distribution_type === 'uniform') {
    return rng.uniform(value.params.low, value.params.high);
  }
  const { values, weights } = value.params;
  if (!weights) return values[rng.int(values.length)];
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let i = 0; i < values.length; i++) {
    u -= weights[i] ?? 0;
    if (u < 0) return values[i];
  }
  return values[values.length - 1];
}
