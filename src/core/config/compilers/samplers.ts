import type { ColumnGenerator } from '../../engine/plan.ts';
import { samplerGroupGenerator } from '../../generators/sampler-group.ts';
import { samplerColumn } from '../../generators/samplers/registry.ts';
import type { Row } from '../../storage/types.ts';
import type { Constraint, SamplerColumnConfig } from '../types.ts';

type Condition = (source: string, where: string) => (row: Readonly<Row>) => boolean;

/**
 * SPEC 3.1: every sampler column, in dependency order, in one generator; the
 * constraints on them are met by rejection sampling inside it (SPEC 1).
 */
export function compileSamplers(
  name: string,
  columns: { column: SamplerColumnConfig; index: number }[],
  constraints: Constraint[],
  condition: Condition,
  options: { upstream?: string[]; runRows?: number } = {},
): ColumnGenerator {
  return samplerGroupGenerator(
    name,
    columns.map(({ column, index }) =>
      samplerColumn(column, (source) => condition(source, `columns[${index}].conditional_params`)),
    ),
    { constraints, ...options },
  );
}
