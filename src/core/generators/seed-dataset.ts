/**
 * SPEC 3.1: every seed-dataset column forms one generator. One from_scratch task
 * fills all of them for a row group, each row copying the seed row that
 * SeedRowPicker assigns to its global index (ordered or shuffled, wrapping around).
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { BatchContext, BatchValues, ColumnGenerator } from '../engine/plan.ts';
import type { IndexRange, SeedConfig } from '../config/types.ts';
import { SeedRowPicker } from '../seed/sampling.ts';
import type { SeedDataset } from '../seed/types.ts';

interface SeedGeneratorOptions {
  /** The seed file's rows selected for the run (already checked against the file). Required. */
  range: IndexRange;
  /** Default (in the config): 'ordered'. */
  strategy: SeedConfig['sampling_strategy'];
}

/** Fills `columns` (names that exist in `dataset`) from the dataset's rows. */
export function seedDatasetGenerator(
  name: string,
  columns: string[],
  dataset: SeedDataset,
  options: SeedGeneratorOptions,
): ColumnGenerator {
  const sources = columns.map((c) => {
    const values = dataset.values.get(c);
    if (!values) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `seed column '${c}': expected a column of ${dataset.name}, found columns ${dataset.columns.join(', ')}`,
      );
    }
    return values;
  });
  let picker: SeedRowPicker | undefined;
  return {
    name,
    granularity: 'column',
    outputs: [...columns],
    upstream: [],
    generate(ctx: BatchContext): BatchValues {
      if (picker === undefined || picker.runSeed !== ctx.runSeed) {
        picker = new SeedRowPicker(options.range, options.strategy, ctx.runSeed);
      }
      const p = picker;
      const seedRows = ctx.rowIndices.map((r) => p.pick(r));
      const out: Record<string, unknown[]> = {};
      columns.forEach((c, i) => {
        const source = sources[i]!;
        out[c] = seedRows.map((s) => source[s]);
      });
      return { columns: out };
    },
  };
}
