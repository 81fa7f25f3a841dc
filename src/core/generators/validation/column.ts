/**
 * The `validation` column: a whole-column generator that validates its row group's
 * rows in chunks of `batch_size`. As Data Designer's ValidationColumnGenerator:
 * a `remote` validator gets every target column of a row together (one record per
 * row); a per-value validator (`code`, and tabsynth's `regex` and `json_schema`)
 * checks each target column on its own, so with several target columns the value
 * is `{<column>: {is_valid, errors}, ...}` and with one it is `{is_valid, errors}`.
 */
import { ErrorCodes, TabsynthError, cancelledError } from '../../errors.ts';
import type { BatchContext, BatchValues, ColumnGenerator } from '../../engine/plan.ts';
import type { RemoteValidator } from './remote.ts';
import type { ValidationOutput } from './types.ts';
import type { ValueCheck, ValueValidator } from './value.ts';

export type ValidatorKind =
  /** Judges one value at a time, each target column separately. */
  | { kind: 'value'; validator: ValueValidator }
  /** Judges whole rows (their target columns together), a batch per request. */
  | { kind: 'rows'; validator: RemoteValidator };

interface ValidationGeneratorOptions {
  /** The column's name, its only output. */
  name: string;
  /** Generators whose columns it reads. */
  upstream: string[];
  /** Columns validated, at least one. */
  targetColumns: string[];
  /** Rows per validation call, at least 1. Default (in the config): 10. */
  batchSize: number;
  validator: ValidatorKind;
}

export function validationGenerator(options: ValidationGeneratorOptions): ColumnGenerator {
  const { name, targetColumns, batchSize, validator } = options;
  return {
    name,
    granularity: 'column',
    outputs: [name],
    upstream: options.upstream,
    async generate(ctx): Promise<BatchValues> {
      const values =
        validator.kind === 'value'
          ? byValue(ctx, await readyCheck(name, validator.validator))
          : await byRows(ctx, validator.validator);
      return { columns: { [name]: values } };
    },
  };

  function byValue(ctx: BatchContext, check: ValueCheck): unknown[] {
    const n = ctx.rowIndices.length;
    const perColumn = targetColumns.map(() => new Array<ValidationOutput>(n));
    for (const [c, column] of targetColumns.entries()) {
      const values = ctx.columns.get(column) ?? [];
      for (let start = 0; start < n; start += batchSize) {
        if (ctx.signal.aborted) throw cancelledError(ctx.signal);
        for (let i = start; i < Math.min(n, start + batchSize); i++) {
          perColumn[c]![i] = check(values[i]);
        }
      }
    }
    if (targetColumns.length === 1) return perColumn[0]!;
    return Array.from({ length: n }, (_, i) =>
      Object.fromEntries(targetColumns.map((column, c) => [column, perColumn[c]![i]])),
    );
  }

  async function byRows(ctx: BatchContext, remote: RemoteValidator): Promise<unknown[]> {
    const columns = targetColumns.map((column) => [column, ctx.columns.get(column) ?? []] as const);
    const records = ctx.rowIndices.map((_, i) =>
      Object.fromEntries(columns.map(([column, values]) => [column, values[i] ?? null])),
    );
    const batches: Promise<ValidationOutput[]>[] = [];
    for (let start = 0; start < records.length; start += batchSize) {
      batches.push(remote.validate(records.slice(start, start + batchSize), ctx.signal));
    }
    return (await Promise.all(batches)).flat();
  }
}

/** The validator's check; a grammar that fails to load fails the row group with the reason. */
async function readyCheck(name: string, validator: ValueValidator): Promise<ValueCheck> {
  try {
    return await validator.ready();
  } catch (err) {
    if (err instanceof TabsynthError) throw err;
    throw new TabsynthError(
      ErrorCodes.GENERATOR_FAILED,
      `validation column '${name}': could not load its validator: ${err instanceof Error ? err.message : String(err)}`,
      { column: name },
      { cause: err },
    );
  }
}
