import { describe, expect, it } from 'vitest';
import { categorySampler } from '../../../src/core/generators/samplers/category.ts';
import {
  gaussianSampler,
  uniformSampler,
} from '../../../src/core/generators/samplers/continuous.ts';
import { uuidSampler } from '../../../src/core/generators/samplers/uuid.ts';
import { makeConverter } from '../../../src/core/generators/samplers/convert.ts';
import type { SamplerDraw } from '../../../src/core/generators/samplers/types.ts';
import { Rng, cellSeed, hashString } from '../../../src/core/random/seed.ts';

const N = 50_000;

function drawMany(draw: SamplerDraw, n = N, column = 'c'): unknown[] {
  const rng = new Rng(0);
  const h = hashString(column);
  const out: unknown[] = [];
  for (let r = 0; r < n; r++) out.push(draw(rng.reseed(cellSeed(7, h, r)), {}));
  return out;
}

function stats(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, variance, min: Math.min(...xs), max: Math.max(...xs) };
}

describe('category sampler', () => {
  it('draws each value with its normalised weight', () => {
    const xs = drawMany(categorySampler({ values: ['a', 'b', 'c'], weights: [2, 1, 1] }));
    const share = (v: string) => xs.filter((x) => x === v).length / xs.length;
    expect(share('a')).toBeCloseTo(0.5, 1);
    expect(share('b')).toBeCloseTo(0.25, 1);
    expect(share('c')).toBeCloseTo(0.25, 1);
  });

  it('draws uniformly among values without weights, never anything else', () => {
    const xs = drawMany(categorySampler({ values: [1, 2, 3, 4] }));
    expect(new Set(xs)).toEqual(new Set([1, 2, 3, 4]));
    for (const v of [1, 2, 3, 4]) {
      expect(xs.filter((x) => x === v).length / xs.length).toBeGreaterThan(0.23);
      expect(xs.filter((x) => x === v).length / xs.length).toBeLessThan(0.27);
    }
  });
});

describe('uniform and gaussian samplers', () => {
  it('uniform stays in [low, high) with mean (low+high)/2 and variance (high-low)^2/12', () => {
    const s = stats(drawMany(uniformSampler({ low: 10, high: 20 })) as number[]);
    expect(s.min).toBeGreaterThanOrEqual(10);
    expect(s.max).toBeLessThan(20);
    expect(s.mean).toBeCloseTo(15, 1);
    expect(s.variance).toBeGreaterThan(100 / 12 - 0.3);
    expect(s.variance).toBeLessThan(100 / 12 + 0.3);
  });

  it('gaussian has the configured mean and stddev', () => {
    const s = stats(drawMany(gaussianSampler({ mean: 100, stddev: 15 })) as number[]);
    expect(s.mean).toBeGreaterThan(99.7);
    expect(s.mean).toBeLessThan(100.3);
    expect(Math.sqrt(s.variance)).toBeGreaterThan(14.7);
    expect(Math.sqrt(s.variance)).toBeLessThan(15.3);
  });
});

describe('uuid sampler', () => {
  it('writes 32 lower-case hex characters of a version-4 UUID, unique per cell', () => {
    const xs = drawMany(uuidSampler({}), 10_000) as string[];
    for (const x of xs.slice(0, 100))
      expect(x).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(new Set(xs).size).toBe(xs.length);
  });

  it('honours prefix, short_form and uppercase', () => {
    const [x] = drawMany(uuidSampler({ prefix: 'user-', short_form: true, uppercase: true }), 1);
    expect(x).toMatch(/^user-[0-9A-F]{8}$/);
  });
});

describe('uniform with bounds whose distance overflows', () => {
  it('draws finite values between them, not Infinity', () => {
    const xs = drawMany(uniformSampler({ low: -1e308, high: 1e308 }), 1000) as number[];
    expect(xs.every((x) => Number.isFinite(x) && x >= -1e308 && x <= 1e308)).toBe(true);
    expect(xs.some((x) => x < 0) && xs.some((x) => x > 0)).toBe(true);
  });
});

describe('decimal_places and convert_to', () => {
  it('rounds, then converts (int rounds half to even, as Data Designer)', () => {
    expect(makeConverter('x', { decimalPlaces: 2 })?.(3.14159)).toBe(3.14);
    expect(makeConverter('x', { convertTo: 'int' })?.(-3.9)).toBe(-4);
    expect(makeConverter('x', { convertTo: 'int' })?.(2.5)).toBe(2);
    expect(makeConverter('x', { convertTo: 'int' })?.(3.5)).toBe(4);
    expect(makeConverter('x', { convertTo: 'str', decimalPlaces: 1 })?.(2.25)).toBe('2.3');
    expect(makeConverter('x', {})).toBeUndefined();
  });

  it('decimal_places beyond what a number holds leave it as it is, not NaN or Infinity', () => {
    expect(makeConverter('x', { decimalPlaces: 400 })?.(0.1)).toBe(0.1);
    expect(makeConverter('x', { decimalPlaces: 400 })?.(0)).toBe(0);
    expect(makeConverter('x', { decimalPlaces: 300 })?.(12.5)).toBe(12.5);
    expect(makeConverter('x', { decimalPlaces: 2 })?.(1e300)).toBe(1e300);
    expect(makeConverter('x', { decimalPlaces: 20 })?.(1.23456e-15)).toBe(1.23456e-15);
  });

  it('names the column when a value cannot convert', () => {
    expect(() => makeConverter('age', { convertTo: 'int' })?.('old')).toThrow(
      /column 'age': convert_to int expected a number, found "old"/,
    );
  });
});
