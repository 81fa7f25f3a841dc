import { ConfigError } from '../../errors.ts';
import type { PlanProcessor } from '../../engine/plan.ts';
import type { ProcessorConfig } from '../types.ts';

/** SPEC 1 processors; `post_generation` (Data Designer's name) runs after the whole run. */
export function compileProcessor(p: ProcessorConfig, index: number): PlanProcessor {
  const stage = p.build_stage === 'post_generation' ? 'after_run' : p.build_stage;
  if (p.processor_type === 'drop_columns') {
    const names = new Set(p.column_names);
    return {
      name: p.name,
      stage,
      process: (batch) => ({
        rowIndices: batch.rowIndices,
        rows: batch.rows.map((row) =>
          Object.fromEntries(Object.entries(row).filter(([k]) => !names.has(k))),
        ),
      }),
    };
  }
  throw new ConfigError(
    [
      {
        path: `processors[${index}].processor_type`,
        message: `processor '${p.name}': ${p.processor_type} is valid but not run by this build yet`,
      },
    ],
    'CONFIG_UNSUPPORTED',
  );
}
