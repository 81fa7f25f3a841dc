import type { SamplerDraw } from './types.ts';

export interface UniformParams {
  /** Inclusive lower bound. */
  low: number;
  /** Exclusive upper bound; greater than `low`. */
  high: number;
}

/** `uniform`: continuous, in [low, high). */
export function uniformSampler({ low, high }: UniformParams): SamplerDraw {
  const span = high - low;
  if (Number.isFinite(span)) return (rng) => low + span * rng.next();
  // Bounds so far apart that their distance overflows (-1e308 to 1e308): a weighted
  // mean of the two stays finite where low + Infinity * u would not.
  return (rng) => {
    const u = rng.next();
    return low * (1 - u) + high * u;
  };
}

export interface GaussianParams {
  mean: number;
  /** Greater than 0. */
  stddev: number;
}

/** `gaussian`: normal with `mean` and `stddev`. */
export function gaussianSampler({ mean, stddev }: GaussianParams): SamplerDraw {
  return (rng) => mean + stddev * rng.normal();
}
