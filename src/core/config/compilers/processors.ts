/**
 * SPEC 1 processors to PlanProcessors. `post_generation` (Data Designer's name)
 * runs after the whole run (`after_run`). Every processor passes on the
 * `extraTables` of the batch it receives.
 */
import { ConfigError } from '../../errors.ts';
import type { PlanProcessor, ProcessorBatch } from '../../engine/plan.ts';
import type { ProcessorConfig } from '../types.ts';
import { compileSchemaTransform } from './schema-transform.ts';

/** The side table of dropped columns' values, named as Data Designer's folder for it. */
export const DROPPED_COLUMNS_TABLE = 'dropped-columns';

/**
 * `preserve_dropped_columns` (Data Designer's RunConfig): a post-batch processor, run
 * before every other, that copies the values of `columns` (removed later by `drop:
 * true` or a drop_columns processor) into the batch's `dropped-columns` table.
 */
export function droppedColumnsKeeper(columns: readonly string[]): PlanProcessor {
  return {
    name: DROPPED_COLUMNS_TABLE,
    stage: 'post_batch',
    process: (batch): ProcessorBatch => ({
      ...batch,
      extraTables: {
        ...batch.extraTables,
        [DROPPED_COLUMNS_TABLE]: batch.rows.map((row) =>
          Object.fromEntries(columns.map((c) => [c, row[c] ?? null])),
        ),
      },
    }),
  };
}

export function compileProcessor(p: ProcessorConfig, index: number): PlanProcessor {
  const stage = p.build_stage === 'post_generation' ? 'after_run' : p.build_stage;
  const where = `processors[${index}]`;
  if (p.processor_type === 'drop_columns') {
    const names = new Set(p.column_names);
    return {
      name: p.name,
      stage,
      process: (batch) => ({
        ...batch,
        rows: batch.rows.map((row) =>
          Object.fromEntries(Object.entries(row).filter(([k]) => !names.has(k))),
        ),
      }),
    };
  }
  if (stage === 'pre_batch') {
    // Only root columns exist before a batch: the table would miss every other column.
    throw new ConfigError(
      [
        {
          path: `${where}.build_stage`,
          message: `processor '${p.name}': schema_transform reshapes finished rows; expected build_stage post_batch or post_generation, found pre_batch`,
        },
      ],
      'CONFIG_INVALID',
    );
  }
  const transform = compileSchemaTransform(p.template, `${where}.template`);
  return {
    name: p.name,
    stage,
    // As in Data Designer: the dataset goes on unchanged; the reshaped rows are a table of their own.
    process: (batch): ProcessorBatch => ({
      ...batch,
      extraTables: { ...batch.extraTables, [p.name]: batch.rows.map(transform) },
    }),
  };
}
