import type { ColumnGenerator } from '../../engine/plan.ts';
import { ConfigError, TabsynthError, type ConfigIssue } from '../../errors.ts';
import { samplerGroupGenerator, type SamplerColumn } from '../../generators/sampler-group.ts';
import { samplerColumn } from '../../generators/samplers/registry.ts';
import type { Row } from '../../storage/types.ts';
import type { Constraint, SamplerColumnConfig } from '../types.ts';

type Condition = (source: string, where: string) => (row: Readonly<Row>) => boolean;

/**
 * SPEC 3.1: every sampler column, in dependency order, in one generator; the
 * constraints on them are met by rejection sampling inside it (SPEC 1). Params a
 * sampler cannot use (an unknown scipy distribution) are reported at their column,
 * every column's at once.
 */
export function compileSamplers(
  name: string,
  columns: { column: SamplerColumnConfig; index: number }[],
  constraints: Constraint[],
  condition: Condition,
  options: { upstream?: string[]; runRows?: number } = {},
): ColumnGenerator {
  const issues: ConfigIssue[] = [];
  const compiled = columns.flatMap(({ column, index }): SamplerColumn[] => {
    try {
      return [
        samplerColumn(column, (source) =>
          condition(source, `columns[${index}].conditional_params`),
        ),
      ];
    } catch (err) {
      if (err instanceof ConfigError) issues.push(...err.issues);
      else if (err instanceof TabsynthError) issues.push(paramIssue(err, column, index));
      else throw err;
      return [];
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return samplerGroupGenerator(name, compiled, { constraints, ...options });
}

/**
 * A sampler's refusal of its params, at the param when only `params` can hold it
 * (or at convert_to, for a strftime format), its message naming the column once.
 */
function paramIssue(err: TabsynthError, column: SamplerColumnConfig, index: number): ConfigIssue {
  const param = err.details['param'];
  const conditional = Object.keys(column.conditional_params).length > 0;
  const at =
    typeof param === 'string' && !conditional
      ? `.params.${param}`
      : 'format' in err.details
        ? '.convert_to'
        : '';
  const named = `column '${column.name}'`;
  const message = err.message.startsWith(named) ? err.message : `${named}: ${err.message}`;
  return { path: `columns[${index}]${at}`, message };
}
