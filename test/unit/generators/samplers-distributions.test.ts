import { describe, expect, it } from 'vitest';
import {
  bernoulliMixtureSampler,
  bernoulliSampler,
  binomialSampler,
  poissonSampler,
} from '../../../src/core/generators/samplers/discrete.ts';
import { SCIPY_DISTRIBUTIONS, scipySampler } from '../../../src/core/generators/samplers/scipy.ts';
import { logGamma } from '../../../src/core/generators/samplers/distributions.ts';
import { drawCells, expectMoments, moments, quantile, share } from './sampler-stats.ts';

const N = 40_000;
const numbers = (xs: unknown[]) => xs as number[];

function binomialPmf(n: number, p: number, k: number): number {
  return Math.exp(
    logGamma(n + 1) -
      logGamma(k + 1) -
      logGamma(n - k + 1) +
      k * Math.log(p) +
      (n - k) * Math.log(1 - p),
  );
}

/** Each value's frequency within 5 standard errors of its probability. */
function expectFrequencies(xs: number[], pmf: (k: number) => number, ks: number[]): void {
  for (const k of ks) {
    const p = pmf(k);
    const se = Math.sqrt((p * (1 - p)) / xs.length);
    expect(Math.abs(share(xs, k) - p), `P(${k})`).toBeLessThan(5 * se + 1e-9);
  }
}

describe('bernoulli, binomial and poisson samplers', () => {
  it('bernoulli draws 1 with probability p and 0 otherwise', () => {
    const xs = numbers(drawCells(bernoulliSampler({ p: 0.3 }), N));
    expect(new Set(xs)).toEqual(new Set([0, 1]));
    expectMoments(xs, 0.3, 0.21);
  });

  it('bernoulli_mixture is 0 with probability 1 - p, else a draw of its distribution', () => {
    const draw = bernoulliMixtureSampler({
      p: 0.4,
      dist_name: 'norm',
      dist_params: { loc: 10, scale: 2 },
    });
    const xs = numbers(drawCells(draw, N));
    expect(share(xs, 0)).toBeGreaterThan(0.6 - 5 * Math.sqrt(0.24 / N));
    expect(share(xs, 0)).toBeLessThan(0.6 + 5 * Math.sqrt(0.24 / N));
    const nonZero = xs.filter((x) => x !== 0);
    expectMoments(nonZero, 10, 4);
    expectMoments(xs, 4, 25.6);
  });

  it('binomial matches the probability mass function for small n·p (inversion)', () => {
    const xs = numbers(drawCells(binomialSampler({ n: 20, p: 0.3 }), N));
    expectMoments(xs, 6, 4.2);
    expectFrequencies(xs, (k) => binomialPmf(20, 0.3, k), [0, 2, 4, 6, 8, 10, 12]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(20);
  });

  it('binomial has mean n·p and variance n·p·(1-p) for large n and p > 0.5 (BTRS)', () => {
    const xs = numbers(drawCells(binomialSampler({ n: 1000, p: 0.7 }), N));
    expectMoments(xs, 700, 210);
    expectFrequencies(xs, (k) => binomialPmf(1000, 0.7, k), [680, 695, 700, 705, 720]);
    expect(xs.every(Number.isInteger)).toBe(true);
  });

  it('binomial handles p = 0, p = 1 and n = 0', () => {
    expect(drawCells(binomialSampler({ n: 5, p: 0 }), 10)).toEqual(Array(10).fill(0));
    expect(drawCells(binomialSampler({ n: 5, p: 1 }), 10)).toEqual(Array(10).fill(5));
    expect(drawCells(binomialSampler({ n: 0, p: 0.5 }), 10)).toEqual(Array(10).fill(0));
  });

  it('poisson matches the probability mass function for a small mean', () => {
    const xs = numbers(drawCells(poissonSampler({ mean: 3 }), N));
    expectMoments(xs, 3, 3);
    const pmf = (k: number) => Math.exp(-3 + k * Math.log(3) - logGamma(k + 1));
    expectFrequencies(xs, pmf, [0, 1, 2, 3, 4, 6, 8]);
  });

  it('poisson has mean and variance equal to a large mean (PTRS)', () => {
    for (const mean of [10, 57.5]) {
      const xs = numbers(drawCells(poissonSampler({ mean }), N));
      expectMoments(xs, mean, mean);
      const pmf = (k: number) => Math.exp(-mean + k * Math.log(mean) - logGamma(k + 1));
      expectFrequencies(xs, pmf, [Math.round(mean) - 5, Math.round(mean), Math.round(mean) + 5]);
    }
  });

  it('refuses a p outside [0, 1], a negative n and a mean of 0', () => {
    expect(() => bernoulliSampler({ p: 1.5 })).toThrow(
      /bernoulli sampler: params.p expected a probability in \[0, 1\], found 1.5/,
    );
    expect(() => binomialSampler({ n: -1, p: 0.5 })).toThrow(
      /params.n expected an integer >= 0, found -1/,
    );
    expect(() => poissonSampler({ mean: 0 })).toThrow(
      /poisson sampler: params.mean expected a finite number above 0, found 0/,
    );
  });
});

const scipy = (dist_name: string, dist_params: Record<string, number> = {}) =>
  numbers(drawCells(scipySampler({ dist_name, dist_params }), N, dist_name));

describe('scipy sampler: moments of each supported distribution (scipy parameter names, loc, scale)', () => {
  const e = Math.exp;
  const cases: [string, Record<string, number>, number, number, number?][] = [
    ['norm', { loc: 5, scale: 2 }, 5, 4],
    ['lognorm', { s: 0.5, scale: 2 }, 2 * e(0.125), 4 * (e(0.25) - 1) * e(0.25), 0.08],
    ['expon', { scale: 3 }, 3, 9, 0.07],
    ['gamma', { a: 2.5, scale: 2 }, 5, 10, 0.06],
    ['gamma', { a: 0.5 }, 0.5, 0.5, 0.09],
    ['beta', { a: 2, b: 5 }, 2 / 7, 10 / (49 * 8)],
    ['uniform', { loc: 1, scale: 4 }, 3, 16 / 12],
    ['t', { df: 10 }, 0, 10 / 8, 0.07],
    ['chi2', { df: 4 }, 4, 8, 0.07],
    ['laplace', { loc: 1, scale: 2 }, 1, 8, 0.08],
    ['logistic', {}, 0, Math.PI ** 2 / 3, 0.06],
    ['halfnorm', {}, Math.sqrt(2 / Math.PI), 1 - 2 / Math.PI],
    ['rayleigh', {}, Math.sqrt(Math.PI / 2), (4 - Math.PI) / 2],
    ['weibull_min', { c: 2 }, Math.sqrt(Math.PI) / 2, 1 - Math.PI / 4],
    ['triang', { c: 0.3 }, 1.3 / 3, 0.79 / 18],
    ['randint', { low: 1, high: 7 }, 3.5, 35 / 12],
    ['poisson', { mu: 4, loc: 1 }, 5, 4],
    ['binom', { n: 10, p: 0.5 }, 5, 2.5],
    ['bernoulli', { p: 0.2 }, 0.2, 0.16],
    ['geom', { p: 0.25 }, 4, 12, 0.08],
  ];
  for (const [name, params, mean, variance, tolerance] of cases) {
    it(`${name} ${JSON.stringify(params)}: mean ${mean.toFixed(4)}, variance ${variance.toFixed(4)}`, () => {
      expectMoments(scipy(name, params), mean, variance, tolerance);
    });
  }

  it('randint draws integers in [low, high) only', () => {
    expect(new Set(scipy('randint', { low: -2, high: 2 }))).toEqual(new Set([-2, -1, 0, 1]));
  });

  it('cauchy and pareto (no finite variance) have the right quartiles', () => {
    const c = scipy('cauchy', { loc: 3, scale: 2 });
    expect(quantile(c, 0.25)).toBeCloseTo(1, 1);
    expect(quantile(c, 0.5)).toBeCloseTo(3, 1);
    expect(quantile(c, 0.75)).toBeCloseTo(5, 1);
    const p = scipy('pareto', { b: 3 });
    expect(Math.min(...p)).toBeGreaterThanOrEqual(1);
    expect(quantile(p, 0.5)).toBeCloseTo(2 ** (1 / 3), 1);
  });

  describe('truncnorm stays in [a, b] with the moments of the truncated density', () => {
    /** Mean and variance of the standard normal density on [a, b], by numerical integration. */
    function truncatedMoments(a: number, b: number) {
      const hi = Math.min(b, a + 12);
      const steps = 20_000;
      const h = (hi - a) / steps;
      let z = 0;
      let m1 = 0;
      let m2 = 0;
      for (let i = 0; i <= steps; i++) {
        const x = a + i * h;
        const w = (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * Math.exp(-0.5 * x * x);
        z += w;
        m1 += w * x;
        m2 += w * x * x;
      }
      const mean = m1 / z;
      return { mean, variance: m2 / z - mean * mean };
    }
    for (const [a, b] of [
      [-1, 2],
      [-3, 3],
      [0.5, 0.6],
      [2.5, Infinity],
      [3, 4],
      [-Infinity, -1],
    ] as const) {
      it(`a = ${a}, b = ${b}`, () => {
        const xs = scipy('truncnorm', { a, b });
        expect(Math.min(...xs)).toBeGreaterThanOrEqual(a);
        expect(Math.max(...xs)).toBeLessThanOrEqual(b);
        const t = truncatedMoments(Math.max(a, -12), Math.min(b, 12));
        expectMoments(xs, t.mean, t.variance, 0.06);
      });
    }
  });

  it('refuses an unknown dist_name, listing the supported ones', () => {
    expect(() => scipySampler({ dist_name: 'zipfian', dist_params: {} })).toThrow(
      new RegExp(
        `scipy sampler: params.dist_name expected one of the supported scipy distributions \\(${SCIPY_DISTRIBUTIONS.join(', ')}\\), found "zipfian"`,
      ),
    );
    expect(SCIPY_DISTRIBUTIONS).toEqual(
      expect.arrayContaining(['norm', 'lognorm', 'expon', 'gamma', 'beta', 'uniform', 'randint']),
    );
  });

  it('refuses unknown, missing and out-of-range parameters, naming them', () => {
    expect(() => scipySampler({ dist_name: 'gamma', dist_params: { shape: 2 } })).toThrow(
      /params.dist_params.shape expected a parameter of gamma \(a, loc, scale\), found 2/,
    );
    expect(() => scipySampler({ dist_name: 'beta', dist_params: { a: 2 } })).toThrow(
      /params.dist_params.b expected a value \(beta needs it\)/,
    );
    expect(() => scipySampler({ dist_name: 'lognorm', dist_params: { s: -1 } })).toThrow(
      /params.dist_params.s expected a number above 0, found -1/,
    );
    expect(() => scipySampler({ dist_name: 'norm', dist_params: { scale: 0 } })).toThrow(
      /params.dist_params.scale expected a number above 0, found 0/,
    );
    expect(() =>
      scipySampler({ dist_name: 'randint', dist_params: { low: 1, high: 7, scale: 2 } }),
    ).toThrow(/dist_params.scale expected a parameter of randint \(low, high, loc\)/);
  });

  it('draws the same value for the same cell, and different values for different cells', () => {
    const a = scipy('gamma', { a: 2 }).slice(0, 100);
    const b = scipy('gamma', { a: 2 }).slice(0, 100);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(100);
    expect(moments(a).variance).toBeGreaterThan(0);
  });
});
