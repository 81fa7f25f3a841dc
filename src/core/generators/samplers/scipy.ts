/**
 * `scipy {dist_name, dist_params}`: the subset of scipy.stats that tabsynth draws
 * natively, with scipy's names and parameter names. Every distribution takes
 * `loc` (default 0) and, when continuous, `scale` (default 1, above 0): a draw is
 * loc + scale · x, x drawn from the standard form, exactly as scipy defines them.
 *
 * Continuous:
 *   norm; lognorm (s); expon; gamma (a); beta (a, b); uniform (on [loc, loc + scale));
 *   t (df); chi2 (df); laplace; logistic; cauchy; halfnorm; rayleigh;
 *   weibull_min (c); pareto (b); triang (c in [0, 1]); truncnorm (a < b, in standard units)
 * Discrete (loc only):
 *   randint (low < high, integers; draws in [low, high)); poisson (mu);
 *   binom (n, p); bernoulli (p); geom (p; support 1, 2, ...)
 *
 * Any other name is refused with the list above.
 */
import type { Rng } from '../../random/seed.ts';
import {
  binomial,
  poisson,
  standardBeta,
  standardExponential,
  standardGamma,
  truncatedNormal,
} from './distributions.ts';
import { invalidParam } from './errors.ts';
import type { SamplerDraw } from './types.ts';

/** A draw of a distribution's standard form (before loc and scale). */
type Standard = (rng: Rng) => number;

interface Distribution {
  /** Shape parameters, all required. */
  shapes: readonly string[];
  /** Discrete distributions take `loc` but no `scale`. */
  discrete: boolean;
  /** Builds the standard draw; `check` rejects a bad shape value. */
  make(shapes: Record<string, number>, check: ShapeCheck): Standard;
}

type ShapeCheck = (name: string, ok: boolean, expected: string) => void;

const positive = (v: number | undefined) => v !== undefined && v > 0 && Number.isFinite(v);
const probability = (v: number | undefined) => v !== undefined && v >= 0 && v <= 1;

const DISTRIBUTIONS: Readonly<Record<string, Distribution>> = {
  norm: { shapes: [], discrete: false, make: () => (rng) => rng.normal() },
  lognorm: {
    shapes: ['s'],
    discrete: false,
    make: ({ s }, check) => {
      check('s', positive(s), 'a number above 0');
      return (rng) => Math.exp(s! * rng.normal());
    },
  },
  expon: { shapes: [], discrete: false, make: () => standardExponential },
  gamma: {
    shapes: ['a'],
    discrete: false,
    make: ({ a }, check) => {
      check('a', positive(a), 'a number above 0');
      return (rng) => standardGamma(rng, a!);
    },
  },
  beta: {
    shapes: ['a', 'b'],
    discrete: false,
    make: ({ a, b }, check) => {
      check('a', positive(a), 'a number above 0');
      check('b', positive(b), 'a number above 0');
      return (rng) => standardBeta(rng, a!, b!);
    },
  },
  uniform: { shapes: [], discrete: false, make: () => (rng) => rng.next() },
  t: {
    shapes: ['df'],
    discrete: false,
    make: ({ df }, check) => {
      check('df', positive(df), 'a number above 0');
      const half = df! / 2;
      return (rng) => rng.normal() / Math.sqrt(standardGamma(rng, half) / half);
    },
  },
  chi2: {
    shapes: ['df'],
    discrete: false,
    make: ({ df }, check) => {
      check('df', positive(df), 'a number above 0');
      return (rng) => 2 * standardGamma(rng, df! / 2);
    },
  },
  laplace: {
    shapes: [],
    discrete: false,
    make: () => (rng) => {
      const u = rng.next() - 0.5;
      return u < 0 ? Math.log(1 + 2 * u) : -Math.log(1 - 2 * u);
    },
  },
  logistic: {
    shapes: [],
    discrete: false,
    make: () => (rng) => {
      let u = 0;
      while (u === 0) u = rng.next();
      return Math.log(u / (1 - u));
    },
  },
  cauchy: {
    shapes: [],
    discrete: false,
    make: () => (rng) => Math.tan(Math.PI * (rng.next() - 0.5)),
  },
  halfnorm: { shapes: [], discrete: false, make: () => (rng) => Math.abs(rng.normal()) },
  rayleigh: {
    shapes: [],
    discrete: false,
    make: () => (rng) => Math.sqrt(2 * standardExponential(rng)),
  },
  weibull_min: {
    shapes: ['c'],
    discrete: false,
    make: ({ c }, check) => {
      check('c', positive(c), 'a number above 0');
      return (rng) => Math.pow(standardExponential(rng), 1 / c!);
    },
  },
  pareto: {
    shapes: ['b'],
    discrete: false,
    make: ({ b }, check) => {
      check('b', positive(b), 'a number above 0');
      return (rng) => Math.pow(1 - rng.next(), -1 / b!);
    },
  },
  triang: {
    shapes: ['c'],
    discrete: false,
    make: ({ c }, check) => {
      check('c', probability(c), 'a number in [0, 1]');
      const mode = c!;
      return (rng) => {
        const u = rng.next();
        return u < mode ? Math.sqrt(u * mode) : 1 - Math.sqrt((1 - u) * (1 - mode));
      };
    },
  },
  truncnorm: {
    shapes: ['a', 'b'],
    discrete: false,
    make: ({ a, b }, check) => {
      check('b', a! < b!, `a number above a (${a})`);
      return (rng) => truncatedNormal(rng, a!, b!);
    },
  },
  randint: {
    shapes: ['low', 'high'],
    discrete: true,
    make: ({ low, high }, check) => {
      check('low', Number.isInteger(low), 'an integer');
      check('high', Number.isInteger(high) && high! > low!, `an integer above low (${low})`);
      const span = high! - low!;
      return (rng) => low! + rng.int(span);
    },
  },
  poisson: {
    shapes: ['mu'],
    discrete: true,
    make: ({ mu }, check) => {
      check('mu', positive(mu), 'a number above 0');
      return (rng) => poisson(rng, mu!);
    },
  },
  binom: {
    shapes: ['n', 'p'],
    discrete: true,
    make: ({ n, p }, check) => {
      check('n', Number.isInteger(n) && n! >= 0, 'an integer >= 0');
      check('p', probability(p), 'a probability in [0, 1]');
      return (rng) => binomial(rng, n!, p!);
    },
  },
  bernoulli: {
    shapes: ['p'],
    discrete: true,
    make: ({ p }, check) => {
      check('p', probability(p), 'a probability in [0, 1]');
      return (rng) => (rng.next() < p! ? 1 : 0);
    },
  },
  geom: {
    shapes: ['p'],
    discrete: true,
    make: ({ p }, check) => {
      check('p', probability(p) && p! > 0, 'a probability in (0, 1]');
      if (p === 1) return () => 1;
      const logQ = Math.log(1 - p!);
      return (rng) => Math.max(1, Math.ceil(Math.log(1 - rng.next()) / logQ));
    },
  },
};

/** The distribution names this build draws, for messages and docs. */
export const SCIPY_DISTRIBUTIONS: readonly string[] = Object.keys(DISTRIBUTIONS);

/**
 * The draw of scipy distribution `name` with `params` (shape names, loc, scale).
 * `sampler` names the sampler in error messages (scipy or bernoulli_mixture).
 */
export function scipyDistribution(
  name: string,
  params: Readonly<Record<string, number>>,
  sampler = 'scipy',
): SamplerDraw & Standard {
  const dist = Object.hasOwn(DISTRIBUTIONS, name) ? DISTRIBUTIONS[name] : undefined;
  if (!dist)
    throw invalidParam(
      sampler,
      'dist_name',
      `one of the supported scipy distributions (${SCIPY_DISTRIBUTIONS.join(', ')})`,
      name,
    );
  const accepted = [...dist.shapes, 'loc', ...(dist.discrete ? [] : ['scale'])];
  for (const key of Object.keys(params)) {
    if (!accepted.includes(key))
      throw invalidParam(
        sampler,
        `dist_params.${key}`,
        `a parameter of ${name} (${accepted.join(', ')})`,
        params[key],
      );
  }
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'number' || Number.isNaN(value))
      throw invalidParam(sampler, `dist_params.${key}`, 'a number', value);
  }
  for (const shape of dist.shapes) {
    if (params[shape] === undefined)
      throw invalidParam(sampler, `dist_params.${shape}`, `a value (${name} needs it)`, null);
  }
  const check: ShapeCheck = (shape, ok, expected) => {
    if (!ok) throw invalidParam(sampler, `dist_params.${shape}`, expected, params[shape]);
  };
  const standard = dist.make(params, check);
  const loc = params['loc'] ?? 0;
  const scale = params['scale'] ?? 1;
  if (!positive(scale)) throw invalidParam(sampler, 'dist_params.scale', 'a number above 0', scale);
  if (loc === 0 && scale === 1) return standard;
  return (rng) => loc + scale * standard(rng);
}

export interface ScipyParams {
  /** A name among SCIPY_DISTRIBUTIONS. Required. */
  dist_name: string;
  /** Shape parameters by scipy's names, plus `loc` (default 0) and `scale` (default 1). Required. */
  dist_params: Record<string, number>;
}

/** `scipy`: a draw of the named distribution. */
export function scipySampler(params: ScipyParams): SamplerDraw {
  return scipyDistribution(params.dist_name, params.dist_params);
}
