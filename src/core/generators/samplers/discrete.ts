/**
 * The discrete samplers of SPEC 1: `bernoulli {p}`, `binomial {n, p}`, `poisson {mean}`,
 * and `bernoulli_mixture {p, dist_name, dist_params}` (0 with probability 1 - p,
 * otherwise a draw of a scipy distribution, see scipy.ts).
 */
import type { SamplerDraw } from './types.ts';
import { binomial, poisson } from './distributions.ts';
import { scipyDistribution } from './scipy.ts';
import { invalidParam } from './errors.ts';

export interface BernoulliParams {
  /** Probability of 1, in [0, 1]. Required. */
  p: number;
}

/** `bernoulli`: 1 with probability p, else 0. */
export function bernoulliSampler({ p }: BernoulliParams): SamplerDraw {
  checkProbability('bernoulli', p);
  return (rng) => (rng.next() < p ? 1 : 0);
}

export interface BinomialParams {
  /** Trials, an integer >= 0. Required. */
  n: number;
  /** Success probability in [0, 1]. Required. */
  p: number;
}

/** `binomial`: successes in n trials. */
export function binomialSampler({ n, p }: BinomialParams): SamplerDraw {
  if (!Number.isInteger(n) || n < 0) throw invalidParam('binomial', 'n', 'an integer >= 0', n);
  checkProbability('binomial', p);
  return (rng) => binomial(rng, n, p);
}

export interface PoissonParams {
  /** Mean events per interval, above 0. Required. */
  mean: number;
}

/** `poisson`: events in an interval with the given mean. */
export function poissonSampler({ mean }: PoissonParams): SamplerDraw {
  if (!(mean > 0) || !Number.isFinite(mean))
    throw invalidParam('poisson', 'mean', 'a finite number above 0', mean);
  return (rng) => poisson(rng, mean);
}

export interface BernoulliMixtureParams {
  /** Probability of drawing from the distribution rather than 0, in [0, 1]. Required. */
  p: number;
  /** A scipy.stats distribution name among those of scipy.ts. Required. */
  dist_name: string;
  /** Its parameters (shape names, loc, scale). Required. */
  dist_params: Record<string, number>;
}

/** `bernoulli_mixture`: 0 with probability 1 - p, otherwise a draw of the distribution. */
export function bernoulliMixtureSampler(params: BernoulliMixtureParams): SamplerDraw {
  checkProbability('bernoulli_mixture', params.p);
  const p = params.p;
  const dist = scipyDistribution(params.dist_name, params.dist_params, 'bernoulli_mixture');
  return (rng) => (rng.next() < p ? dist(rng) : 0);
}

function checkProbability(sampler: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw invalidParam(sampler, 'p', 'a probability in [0, 1]', p);
}
