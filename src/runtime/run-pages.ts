/**
 * A page of a stored run's rows, as the app's run table asks for it: in run order
 * (only the groups the page covers are read, found from the manifest's row counts),
 * or sorted or filtered on a column (through a view the RowViewCache keeps, so that
 * later pages read only the groups their rows lie in).
 */
import { ErrorCodes, RunError } from '../core/errors.ts';
import type { PlanProcessor } from '../core/engine/plan.ts';
import type { Row, RunManifest } from '../core/storage/types.ts';
import { checkRange, groupRowsAt, manifestOf, readInRunOrder } from './read-rows.ts';
import type { DecodedGroup, GroupSource, RowPage, RowRange } from './read-rows.ts';
import { groupOf } from './row-index.ts';
import type { RowOrder, RowView, RowViewCache } from './row-index.ts';

/** Rows `range` asks for: a page of the run in run order, or of its sorted or filtered view. */
export async function readRunPage(
  source: GroupSource,
  runId: string,
  range: RowRange,
  views: RowViewCache,
): Promise<RowPage> {
  const { offset, limit } = checkRange(range);
  const manifest = await manifestOf(source, runId, 'read rows of');
  const afterRun = await views.afterRun(source, manifest);
  const order = orderOf(range, manifest, afterRun);
  if (!order.sort && !order.filter) {
    return readInRunOrder(source, manifest, afterRun, offset, limit);
  }
  const view = await views.view(source, manifest, afterRun, order);
  const positions = [...view.positions.subarray(offset, offset + limit)];
  const { columns, rows } = await rowsAt(source, manifest, afterRun, view, positions);
  return { columns, rows, positions, total: manifest.rowsWritten, matched: view.positions.length };
}

/** The sort and filter of `range`, checked against the run's columns. */
function orderOf(
  range: RowRange,
  manifest: RunManifest,
  afterRun: readonly PlanProcessor[],
): RowOrder {
  const order: RowOrder = {};
  // after_run processors may add columns the manifest does not list: those are not checked.
  const known = (column: string, what: string) => {
    if (afterRun.length > 0 || manifest.columns.includes(column)) return;
    throw new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `readRows: cannot ${what} on column "${column}": run "${manifest.runId}" has the columns ${manifest.columns.join(', ')}`,
    );
  };
  if (range.sort) {
    known(range.sort.column, 'sort');
    order.sort = { column: range.sort.column, descending: range.sort.descending ?? false };
  }
  if (range.filter && range.filter.text !== '') {
    known(range.filter.column, 'filter');
    order.filter = { column: range.filter.column, text: range.filter.text };
  }
  return order;
}

/** The rows at `positions` of `view`, in that order: each group they lie in is read once. */
async function rowsAt(
  source: GroupSource,
  manifest: RunManifest,
  afterRun: readonly PlanProcessor[],
  view: RowView,
  positions: readonly number[],
): Promise<DecodedGroup> {
  const byGroup = new Map<number, number[]>();
  for (const p of positions) {
    const k = groupOf(view.layout, p);
    const list = byGroup.get(k);
    if (list) list.push(p);
    else byGroup.set(k, [p]);
  }
  const found = new Map<number, Row>();
  let columns = manifest.columns;
  for (const [k, list] of [...byGroup].sort((a, b) => a[0] - b[0])) {
    const id = view.layout.ids[k]!;
    const start = view.layout.starts[k]!;
    const stored = await source.readStoredGroup(manifest.runId, id);
    const group = await groupRowsAt(
      stored,
      afterRun,
      list.map((p) => p - start),
    );
    columns = group.columns;
    list.forEach((p, i) => {
      const row = group.rows[i];
      if (row) found.set(p, row);
    });
  }
  return { columns, rows: positions.map((p) => found.get(p) ?? {}) };
}
