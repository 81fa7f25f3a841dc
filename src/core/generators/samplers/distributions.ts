/**
 * Random variates that the cell's generator (random/seed.ts) does not draw itself:
 * gamma, beta, Poisson, binomial, truncated normal, and the log-gamma function
 * they need. Each takes the cell's Rng and draws only from it, so a cell's value
 * depends on its seed alone (SPEC 2). Standard algorithms, chosen to be exact and
 * allocation-free:
 * - gamma: Marsaglia & Tsang (2000), with the shape < 1 boost.
 * - Poisson: multiplication (Knuth) below mean 10, PTRS (Hörmann 1993) above.
 * - binomial: inversion below n·p = 10, BTRS (Hörmann 1993) above.
 * - truncated normal: normal, uniform or exponential proposals (Robert 1995).
 */
import type { Rng } from '../../random/seed.ts';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Exponential with rate 1. */
export function standardExponential(rng: Rng): number {
  return -Math.log(1 - rng.next());
}

/** Gamma with shape `a` > 0 and scale 1. */
export function standardGamma(rng: Rng, a: number): number {
  if (a < 1) {
    // Gamma(a) = Gamma(a + 1) · U^(1/a).
    let u = 0;
    while (u === 0) u = rng.next();
    return standardGamma(rng, a + 1) * Math.pow(u, 1 / a);
  }
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as X / (X + Y) of two gammas. */
export function standardBeta(rng: Rng, a: number, b: number): number {
  const x = standardGamma(rng, a);
  const y = standardGamma(rng, b);
  return x / (x + y);
}

/** Poisson with mean `mean` >= 0. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  const slam = Math.sqrt(mean);
  const loglam = Math.log(mean);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <=
      -mean + k * loglam - logGamma(k + 1)
    )
      return k;
  }
}

/** Binomial: successes in `n` trials (an integer >= 0) of probability `p`. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomialLow(rng, n, 1 - p);
  return binomialLow(rng, n, p);
}

function binomialLow(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  if (n * p < 10) {
    // Inversion: walk the probability mass function from 0.
    const s = p / q;
    const a = (n + 1) * s;
    const r0 = Math.pow(q, n);
    for (;;) {
      let r = r0;
      let u = rng.next();
      let x = 0;
      while (u > r) {
        u -= r;
        x++;
        if (x > n) break;
        r *= a / x - s;
      }
      if (x <= n) return x;
    }
  }
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logGamma(m + 1) + logGamma(n - m + 1);
  for (;;) {
    const u = rng.next() - 0.5;
    let v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logGamma(k + 1) - logGamma(n - k + 1) + (k - m) * lpq) return k;
  }
}

/** Standard normal restricted to [lo, hi] (lo < hi; either may be infinite). */
export function truncatedNormal(rng: Rng, lo: number, hi: number): number {
  if (lo > 0) return tail(rng, lo, hi);
  if (hi < 0) return -tail(rng, -hi, -lo);
  if (hi - lo < 2.5) {
    // Contains 0 and narrow: uniform proposal, accepted with density exp(-x²/2).
    for (;;) {
      const x = lo + (hi - lo) * rng.next();
      if (rng.next() < Math.exp(-0.5 * x * x)) return x;
    }
  }
  // Contains 0 and wide: at least half of the mass lies inside.
  for (;;) {
    const x = rng.normal();
    if (x >= lo && x <= hi) return x;
  }
}

/** The part of [lo, hi] right of 0 (0 < lo < hi). */
function tail(rng: Rng, lo: number, hi: number): number {
  if (hi !== Infinity && Math.exp((lo * lo - hi * hi) / 2) > 0.3) {
    for (;;) {
      const x = lo + (hi - lo) * rng.next();
      if (rng.next() < Math.exp((lo * lo - x * x) / 2)) return x;
    }
  }
  const rate = (lo + Math.sqrt(lo * lo + 4)) / 2;
  for (;;) {
    const x = lo + standardExponential(rng) / rate;
    if (x > hi) continue;
    const d = x - rate;
    if (rng.next() < Math.exp(-0.5 * d * d)) return x;
  }
}
