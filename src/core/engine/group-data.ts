/**
 * What a finished row group commits (SPEC 3.7): its surviving rows, without the
 * `drop: true` columns, column by column as generated, or as rows after
 * post-batch processors.
 */
import { columnarRowGroup } from '../storage/columnar.ts';
import type { CommittedGroupInfo, Row, RowGroupData } from '../storage/types.ts';
import type { Plan, ProcessorBatch } from './plan.ts';
import type { RowGroup } from './row-group.ts';

/** The committed columns: the plan's output columns without `drop: true` ones. */
function committedColumns(plan: Plan): string[] {
  const hidden = new Set(plan.droppedColumns);
  return plan.outputColumns.filter((c) => !hidden.has(c));
}

/** A group with no post-batch processors, committed column by column as it was generated. */
export function columnarData(plan: Plan, group: RowGroup, locals: number[]): RowGroupData {
  const columns = committedColumns(plan);
  const whole = locals.length === group.size;
  const values = new Map<string, readonly unknown[]>();
  for (const c of columns) {
    const all = group.columns.get(c) ?? new Array<unknown>(group.size);
    values.set(c, whole ? all : locals.map((r) => all[r]));
  }
  return columnarRowGroup(
    {
      id: group.id,
      firstRow: group.firstRow,
      rowIndices: locals.map((r) => group.firstRow + r),
      columns,
    },
    values,
  );
}

/** A group after post-batch processors, from their rows. */
export function rowGroupData(plan: Plan, group: RowGroup, batch: ProcessorBatch): RowGroupData {
  const hidden = new Set(plan.droppedColumns);
  const columns = committedColumns(plan);
  if (batch.rows.length > 0) {
    // Processors may add or remove columns: keep the plan's order for known ones.
    const present = new Set<string>();
    for (const row of batch.rows) for (const k of Object.keys(row)) present.add(k);
    const known = new Set(columns);
    const kept = columns.filter((c) => present.has(c));
    for (const k of present) if (!known.has(k) && !hidden.has(k)) kept.push(k);
    columns.splice(0, columns.length, ...kept);
  }
  const rows = batch.rows.map((row) => {
    const out: Row = {};
    for (const c of columns) out[c] = row[c];
    return out;
  });
  const data: RowGroupData = {
    id: group.id,
    firstRow: group.firstRow,
    rowIndices: batch.rowIndices,
    columns,
    rows,
  };
  if (batch.extraTables && Object.keys(batch.extraTables).length > 0) {
    data.extraTables = {};
    for (const [name, tableRows] of Object.entries(batch.extraTables)) {
      const names = new Set<string>();
      for (const row of tableRows) for (const k of Object.keys(row)) names.add(k);
      data.extraTables[name] = { columns: [...names], rows: tableRows };
    }
  }
  return data;
}

/** The group's rows `locals` as a processor batch. */
export function batchOf(group: RowGroup, locals: number[]): ProcessorBatch {
  return {
    rows: locals.map((r) => group.row(r)),
    rowIndices: locals.map((r) => group.firstRow + r),
  };
}

/**
 * Inserts `entry` into `committed` in id order; returns its index. Groups mostly
 * finish in order, so the place is found from the end.
 */
export function insertCommitted(
  committed: CommittedGroupInfo[],
  entry: CommittedGroupInfo,
): number {
  let at = committed.length;
  while (at > 0 && committed[at - 1]!.id > entry.id) at--;
  committed.splice(at, 0, entry);
  return at;
}
