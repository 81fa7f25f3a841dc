import type { SamplerDraw } from './types.ts';

export interface CategoryParams {
  /** The values to draw from. */
  values: readonly (string | number)[];
  /** Relative weights, one per value; normalised. Default: equal weights. */
  weights?: readonly number[] | null;
}

/** `category`: a weighted draw among `values` (weights normalised). */
export function categorySampler(params: CategoryParams): SamplerDraw {
  const values = params.values;
  const n = values.length;
  if (!params.weights) return (rng) => values[rng.int(n)];
  const total = params.weights.reduce((a, b) => a + b, 0);
  // Cumulative, normalised; the last bound is exactly 1 so a draw always lands.
  const bounds = new Float64Array(n);
  let acc = 0;
  params.weights.forEach((w, i) => {
    acc += w / total;
    bounds[i] = acc;
  });
  bounds[n - 1] = 1;
  return (rng) => {
    const u = rng.next();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < bounds[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  };
}
