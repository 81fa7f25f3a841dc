/**
 * Skips (SPEC 1): a cell whose skip.when holds, or whose upstream cell in the same
 * row was skipped (propagate_skip), gets skip.value and no task runs for it. The
 * same for per-cell and whole-column generators. A condition that cannot be
 * evaluated counts as true, with a warning, as in Data Designer.
 */
import type { TabsynthError } from '../errors.ts';
import { ErrorCodes, TemplateError } from '../errors.ts';
import type { Row } from '../storage/types.ts';
import type { GenInfo, RowGroup } from './row-group.ts';

/**
 * Whether cell (info, local) is skipped. `row` gives the row's values (only read when
 * skip.when has to be evaluated); `warn` gets a condition that could not be evaluated.
 */
export function shouldSkip(
  info: GenInfo,
  group: RowGroup,
  local: number,
  row: () => Readonly<Row>,
  warn: (warning: TabsynthError) => void,
): boolean {
  const gen = info.gen;
  if (gen.propagateSkip === true) {
    for (const up of info.upstream) if (group.skipped[up]?.[local] === 1) return true;
  }
  const when = gen.skipWhen;
  if (when === undefined) return false;
  try {
    return when(row());
  } catch (err) {
    warn(conditionWarning(gen.name, group.firstRow + local, err));
    return true;
  }
}

/** Writes a skipped cell: skip.value for the column, null for its side columns. */
export function writeSkip(info: GenInfo, group: RowGroup, local: number): void {
  const { outputs, skipValue } = info.gen;
  for (let i = 0; i < outputs.length; i++) {
    group.column(outputs[i]!)[local] = i === 0 ? (skipValue ?? null) : null;
  }
  group.skipped[info.index]![local] = 1;
}

/** `row`: the engine's index (from 0); the message counts rows from 1, as people do. */
function conditionWarning(column: string, row: number, err: unknown): TabsynthError {
  const why = err instanceof Error ? err.message : String(err);
  return new TemplateError(
    ErrorCodes.TEMPLATE_RENDER,
    `column '${column}': skip.when could not be evaluated for row ${row + 1} (${why}); counted as true, the cell got skip.value`,
    { column, row },
    { cause: err },
  );
}
