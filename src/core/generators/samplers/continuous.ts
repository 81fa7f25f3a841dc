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
  return (rng) => low + span * rng.next();
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
