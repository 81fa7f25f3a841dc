/**
 * Seeding (SPEC section 2): every draw of cell (column c, row r) comes from a
 * generator seeded by hash(run seed, c, r), r the global row index. Nothing here
 * depends on row-group size, worker count or completion order.
 */

/** 32-bit FNV-1a of a string, the column's part of a cell seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The murmur3 finaliser: a good 32-bit mix. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Folds a run seed of any size (a safe integer) into 32 bits. */
function runSeed32(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  return mix32(lo ^ mix32(hi ^ 0x9e3779b9));
}

/**
 * The seed of cell (column, row): hash(run seed, column, row).
 * `columnHash` is hashString(column name), computed once per column by the caller.
 */
export function cellSeed(runSeed: number, columnHash: number, row: number): number {
  const rowLo = row >>> 0;
  const rowHi = Math.floor(row / 0x1_0000_0000) >>> 0;
  let h = mix32(runSeed32(runSeed) ^ columnHash);
  h = mix32(h ^ rowLo);
  return mix32(h ^ Math.imul(rowHi, 0x27d4eb2f) ^ 0x165667b1);
}

/**
 * sfc32: a small, fast generator with a 128-bit state, passing PractRand far
 * beyond what a cell draws. One per cell, seeded from the cell seed.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = this.#b = this.#c = this.#d = 0;
    this.reseed(seed);
  }

  /**
   * Re-seeds in place (cheaper than a new object in hot loops): the state starts
   * from fixed constants and the seed, then 12 rounds mix it. The rounds run on
   * locals (3x faster than on the fields: a cell reseeds for every draw).
   */
  reseed(seed: number): this {
    let a = 0x9e3779b9 | 0;
    let b = 0x243f6a88 | 0;
    let c = 0xb7e15162 | 0;
    let d = seed | 0;
    for (let i = 0; i < 12; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    return this;
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller; one value per call, no cached spare, so draws stay per-cell). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
