/**
 * SPEC 3.1: the seed-dataset columns compile to one root generator, like the
 * samplers. Checks, as ConfigError issues, that the host supplied the seed file,
 * that every seed column exists in it, and that the selection fits it.
 */
import { ConfigError, type ConfigIssue } from '../../errors.ts';
import type { ColumnGenerator } from '../../engine/plan.ts';
import { seedDatasetGenerator } from '../../generators/seed-dataset.ts';
import { selectRange } from '../../seed/sampling.ts';
import type { SeedDataset } from '../../seed/types.ts';
import type { SeedConfig, SeedDatasetColumnConfig } from '../types.ts';

export function compileSeedColumns(
  name: string,
  columns: { column: SeedDatasetColumnConfig; index: number }[],
  seed: SeedConfig | null,
  dataset: SeedDataset | undefined,
): ColumnGenerator {
  if (seed === null) {
    // validateConfig reports this per column; reaching here means an unvalidated config.
    throw new ConfigError([
      { path: 'seed_config', message: 'seed-dataset columns need a seed_config; found none' },
    ]);
  }
  if (dataset === undefined) {
    throw new ConfigError([
      {
        path: 'seed_config.source.path',
        message: `seed file '${seed.source.path}' was not supplied; expected its contents (the CLI reads it next to the config, the browser asks for the file)`,
      },
    ]);
  }
  const issues: ConfigIssue[] = [];
  const available = new Set(dataset.columns);
  for (const { column, index } of columns) {
    // A file without columns (an empty JSONL) is reported once, as having no rows.
    if (dataset.columns.length > 0 && !available.has(column.name)) {
      issues.push({
        path: `columns[${index}].name`,
        message: `seed-dataset column '${column.name}' is not a column of ${dataset.name}; expected one of: ${dataset.columns.join(', ')}`,
      });
    }
  }
  const range = selectRange(seed.selection_strategy, dataset.rowCount);
  if (typeof range === 'string') {
    const path =
      dataset.rowCount === 0 ? 'seed_config.source.path' : 'seed_config.selection_strategy';
    issues.push({ path, message: `seed file '${dataset.name}': ${range}` });
  }
  if (issues.length > 0 || typeof range === 'string') throw new ConfigError(issues);
  return seedDatasetGenerator(
    name,
    columns.map((c) => c.column.name),
    dataset,
    { range, strategy: seed.sampling_strategy },
  );
}
