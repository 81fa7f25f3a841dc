/**
 * Which seed row each output row reads (SPEC 1 seed-dataset, SPEC 2 determinism):
 * ordered and shuffled, wrapping around, within an IndexRange or a PartitionBlock.
 */
import { describe, expect, it } from 'vitest';
import type { BatchContext } from '../../../src/core/engine/plan.ts';
import type { SeedConfig } from '../../../src/core/config/types.ts';
import { seedDatasetGenerator } from '../../../src/core/generators/seed-dataset.ts';
import { SeedRowPicker, selectRange } from '../../../src/core/seed/sampling.ts';
import { datasetFromRows } from '../../../src/core/seed/types.ts';

const picks = (picker: SeedRowPicker, n: number) =>
  Array.from({ length: n }, (_, r) => picker.pick(r));
const range = (start: number, end: number) => ({ start, end });

describe('selection_strategy', () => {
  it('IndexRange: end is inclusive, as in Data Designer', () => {
    expect(selectRange({ start: 2, end: 4 }, 10)).toEqual(range(2, 4));
    expect(selectRange(null, 10)).toEqual(range(0, 9));
  });

  it('PartitionBlock: contiguous blocks of floor(size / n), the last taking the remainder', () => {
    const blocks = [0, 1, 2].map((index) => selectRange({ index, num_partitions: 3 }, 11));
    expect(blocks).toEqual([range(0, 2), range(3, 5), range(6, 10)]);
  });

  it('a selection the file cannot hold says why', () => {
    expect(selectRange({ start: 0, end: 10 }, 10)).toMatch(/end 10 is past the last row \(9\)/);
    expect(selectRange({ index: 0, num_partitions: 4 }, 3)).toMatch(
      /num_partitions 4 is more than the file's 3 rows/,
    );
    expect(selectRange(null, 0)).toMatch(/no rows/);
  });
});

describe('sampling_strategy', () => {
  it('ordered reads the selection in order and wraps around to its start', () => {
    const picker = new SeedRowPicker(range(3, 5), 'ordered', 0);
    expect(picks(picker, 8)).toEqual([3, 4, 5, 3, 4, 5, 3, 4]);
  });

  it('shuffle reads every selected row once per pass, in a new order each pass', () => {
    const picker = new SeedRowPicker(range(10, 29), 'shuffle', 7);
    const all = picks(picker, 60);
    const passes = [all.slice(0, 20), all.slice(20, 40), all.slice(40, 60)];
    const selected = Array.from({ length: 20 }, (_, i) => 10 + i);
    for (const pass of passes) expect([...pass].sort((a, b) => a - b)).toEqual(selected);
    expect(passes[0]).not.toEqual(selected); // shuffled
    expect(passes[1]).not.toEqual(passes[0]); // reshuffled on wrap-around
  });

  it('shuffle depends on the run seed and on nothing else', () => {
    const a = picks(new SeedRowPicker(range(0, 49), 'shuffle', 1), 120);
    expect(picks(new SeedRowPicker(range(0, 49), 'shuffle', 1), 120)).toEqual(a);
    expect(picks(new SeedRowPicker(range(0, 49), 'shuffle', 2), 120)).not.toEqual(a);
    // asking rows out of order (late row groups first) gives the same rows
    const late = new SeedRowPicker(range(0, 49), 'shuffle', 1);
    const backwards = Array.from({ length: 120 }, (_, i) => 119 - i).map((r) => late.pick(r));
    expect(backwards.reverse()).toEqual(a);
  });
});

describe('the seed generator', () => {
  const dataset = datasetFromRows(
    'people.csv',
    Array.from({ length: 7 }, (_, i) => ({ id: i, name: `p${i}`, extra: i * 10 })),
  );

  function runGroups(strategy: SeedConfig['sampling_strategy'], rows: number, groupSize: number) {
    const gen = seedDatasetGenerator('__seed', ['name', 'id'], dataset, {
      range: range(1, 5),
      strategy,
    });
    const out: unknown[][] = [];
    for (let first = 0; first < rows; first += groupSize) {
      const rowIndices = Array.from(
        { length: Math.min(groupSize, rows - first) },
        (_, i) => first + i,
      );
      const ctx = {
        rowIndices,
        rows: rowIndices.map(() => ({})),
        runSeed: 42,
      } as unknown as BatchContext;
      const values = gen.generate(ctx) as { columns: Record<string, unknown[]> };
      rowIndices.forEach((_, i) =>
        out.push([values.columns['id']![i], values.columns['name']![i]]),
      );
    }
    return out;
  }

  it('3.1 fills every seed column of a row from the same seed row, only the named columns', () => {
    const gen = seedDatasetGenerator('__seed', ['name', 'id'], dataset, {
      range: range(1, 5),
      strategy: 'ordered',
    });
    expect(gen.outputs).toEqual(['name', 'id']);
    for (const [id, name] of runGroups('shuffle', 12, 12)) expect(name).toBe(`p${String(id)}`);
    expect(runGroups('ordered', 7, 7).map(([id]) => id)).toEqual([1, 2, 3, 4, 5, 1, 2]);
  });

  it('2 the same rows whatever the row-group size', () => {
    for (const strategy of ['ordered', 'shuffle'] as const) {
      const whole = runGroups(strategy, 23, 23);
      expect(runGroups(strategy, 23, 4)).toEqual(whole);
      expect(runGroups(strategy, 23, 1)).toEqual(whole);
    }
  });
});
