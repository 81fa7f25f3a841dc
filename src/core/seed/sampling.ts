/**
 * Which seed row each output row takes (SPEC 1 and 2, Data Designer's seed.py).
 *
 * The selection is a contiguous range of the file: all of it, an IndexRange
 * (`end` inclusive) or a PartitionBlock (num_partitions contiguous blocks of
 * floor(size / num_partitions) rows, the last one taking the remainder).
 * Output row r reads selection position p = r mod n in pass k = floor(r / n):
 * `ordered` takes position p itself, `shuffle` takes position perm_k(p) of a
 * permutation seeded by (run seed, k). So every row's seed row is a function of
 * (run seed, r) alone, whatever the row-group size or completion order.
 */
import type { IndexRange, SeedConfig } from '../config/types.ts';
import { Rng, cellSeed, hashString } from '../random/seed.ts';

/** Stream name of the shuffle permutations in the cell-seed hash. */
const SHUFFLE_STREAM = hashString('__seed_dataset/shuffle');
/** Permutations kept: a row group spans at most two passes unless the selection is tiny. */
const CACHED_PASSES = 4;

/** The selected rows of a file of `size` rows, or a message saying why there are none. */
export function selectRange(
  selection: SeedConfig['selection_strategy'],
  size: number,
): IndexRange | string {
  if (size === 0) return 'the file has no rows';
  if (selection === null) return { start: 0, end: size - 1 };
  if ('start' in selection) {
    if (selection.end >= size) {
      return `selection_strategy end ${selection.end} is past the last row (${size - 1}); the file has ${size} rows`;
    }
    return { start: selection.start, end: selection.end };
  }
  if (selection.num_partitions > size) {
    return `selection_strategy num_partitions ${selection.num_partitions} is more than the file's ${size} rows`;
  }
  const block = Math.floor(size / selection.num_partitions);
  const start = selection.index * block;
  const last = selection.index === selection.num_partitions - 1;
  return { start, end: last ? size - 1 : start + block - 1 };
}

/** Maps output rows to seed rows for one run. */
export class SeedRowPicker {
  readonly #start: number;
  readonly #size: number;
  readonly #shuffle: boolean;
  /** The run seed the shuffle permutations come from. */
  readonly runSeed: number;
  readonly #perms = new Map<number, Uint32Array>();

  constructor(range: IndexRange, strategy: SeedConfig['sampling_strategy'], runSeed: number) {
    this.#start = range.start;
    this.#size = range.end - range.start + 1;
    this.#shuffle = strategy === 'shuffle';
    this.runSeed = runSeed;
  }

  /** The seed-file row that output row `row` (global index) reads. */
  pick(row: number): number {
    const position = row % this.#size;
    if (!this.#shuffle) return this.#start + position;
    return this.#start + this.#permutation(Math.floor(row / this.#size))[position]!;
  }

  /** Fisher-Yates over 0..n-1, seeded by (run seed, pass). */
  #permutation(pass: number): Uint32Array {
    let perm = this.#perms.get(pass);
    if (perm) return perm;
    perm = new Uint32Array(this.#size);
    for (let i = 0; i < perm.length; i++) perm[i] = i;
    const rng = new Rng(cellSeed(this.runSeed, SHUFFLE_STREAM, pass));
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    if (this.#perms.size >= CACHED_PASSES) {
      this.#perms.delete(this.#perms.keys().next().value!);
    }
    this.#perms.set(pass, perm);
    return perm;
  }
}
