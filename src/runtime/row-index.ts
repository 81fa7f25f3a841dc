/**
 * Sorted or filtered views of a stored run's rows, for paging through them: the run
 * is scanned once, group by group, in the engine worker, for the columns the sort
 * and the filter name (one column when they name the same), and what is kept is an
 * index (a Uint32Array of row positions, 4 bytes a row: 12 MB for 3M rows). Later
 * pages of the same view read only the row groups their rows lie in.
 *
 * Cost of building a view: every committed group's record is read from IndexedDB
 * once (the whole record: groups are stored as one Arrow IPC buffer) and only the
 * named columns are turned into JS values, held in memory while the view is built (a
 * string column of 3M rows holds 3M strings): the filter's column until the filter
 * has run, the sort's until the sort ends, with a Float64Array of 8 bytes a row to
 * sort by.
 */
import type { PlanProcessor } from '../core/engine/plan.ts';
import { arrowTableFromIPC } from '../core/export/arrow.ts';
import { arrowColumnValues } from '../core/export/arrow-read.ts';
import type { RunManifest } from '../core/storage/types.ts';
import { afterRunProcessors, decodeGroup } from './read-rows.ts';
import type { GroupSource } from './read-rows.ts';

/** The order a page of rows is read in. */
export interface RowOrder {
  /** Sort by this column's values (nulls last either way; ties keep run order). Default: run order. */
  sort?: { column: string; descending?: boolean };
  /** Keep rows whose `column` shows `text` (case-insensitive; objects as JSON). Default: every row. */
  filter?: { column: string; text: string };
}

/** Where each group's rows start among the run's rows (as read, after_run processors applied). */
export interface RunLayout {
  /** Committed group ids, in row order. */
  ids: number[];
  /** `starts[k]`: position of group `ids[k]`'s first row; one more entry holds the row count. */
  starts: number[];
}

/** A view of a run: the positions of its rows, in the view's order. */
export interface RowView {
  layout: RunLayout;
  positions: Uint32Array;
}

/** The layout the manifest gives (each committed group's row count): no group is read. */
export function manifestLayout(manifest: RunManifest): RunLayout {
  const groups = [...manifest.committed].sort((a, b) => a.id - b.id);
  const starts = [0];
  for (const g of groups) starts.push(starts.at(-1)! + g.rows);
  return { ids: groups.map((g) => g.id), starts };
}

/** Group index of row `position` in `layout` (binary search). */
export function groupOf(layout: RunLayout, position: number): number {
  let lo = 0;
  let hi = layout.ids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.starts[mid]! <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The values of `columns` in every committed group, in row order (one array per
 * column, as `columns` lists them), with the layout they were read in (from the
 * manifest, or counted when after_run processors may drop rows). Each group is
 * read and decoded once, however many columns are asked for.
 */
async function scanColumns(
  source: GroupSource,
  manifest: RunManifest,
  afterRun: readonly PlanProcessor[],
  columns: readonly string[],
): Promise<{ values: unknown[][]; layout: RunLayout }> {
  const fromManifest = manifestLayout(manifest);
  const values = columns.map((): unknown[] => []);
  const starts = [0];
  for (const id of fromManifest.ids) {
    const stored = await source.readStoredGroup(manifest.runId, id);
    let parts: (readonly unknown[])[];
    if (afterRun.length === 0) {
      const table = arrowTableFromIPC(stored.ipc);
      parts = columns.map((column) => {
        const part = arrowColumnValues(table, column) ?? [];
        return part.length === 0 ? new Array<unknown>(stored.rows).fill(null) : part;
      });
    } else {
      const group = await decodeGroup(stored, afterRun);
      parts = columns.map((column) => group.rows.map((r) => r[column] ?? null));
    }
    parts.forEach((part, c) => {
      const out = values[c]!;
      for (const v of part) out.push(v);
    });
    starts.push(starts.at(-1)! + (parts[0]?.length ?? 0));
  }
  return { values, layout: { ids: fromManifest.ids, starts } };
}

/**
 * Builds the view `order` asks for: one scan of the run reads every column it names
 * (none in run order, which the manifest's row counts lay out).
 */
export async function buildView(
  source: GroupSource,
  manifest: RunManifest,
  afterRun: readonly PlanProcessor[],
  order: RowOrder,
): Promise<RowView> {
  const { filter, sort } = order;
  const named = [filter?.column, sort?.column].filter((c): c is string => c !== undefined);
  const columns = [...new Set(named)];
  if (columns.length === 0) {
    const layout = manifestLayout(manifest);
    return { layout, positions: allPositions(layout.starts.at(-1)!) };
  }
  const { values, layout } = await scanColumns(source, manifest, afterRun, columns);
  const valuesOf = (column: string) => values[columns.indexOf(column)]!;
  const positions = filter
    ? filterPositions(valuesOf(filter.column), filter.text)
    : allPositions(layout.starts.at(-1)!);
  // The sort needs only its own column: the filter's is let go before it runs.
  if (filter && filter.column !== sort?.column) values[columns.indexOf(filter.column)] = [];
  if (sort) sortPositions(positions, valuesOf(sort.column), sort.descending ?? false);
  return { layout, positions };
}

/** Every position of a run of `rows` rows, in run order. */
function allPositions(rows: number): Uint32Array {
  const positions = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) positions[i] = i;
  return positions;
}

/** Positions whose value shows `text`, case-insensitively. */
function filterPositions(values: readonly unknown[], text: string): Uint32Array {
  const needle = text.toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (shown(values[i]).toLowerCase().includes(needle)) out.push(i);
  }
  return Uint32Array.from(out);
}

/** A value as a filter reads it: text as is, numbers in full, dates in ISO form, objects as JSON. */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return String(value as number | boolean | bigint);
}

/**
 * Sorts `positions` by their values: numbers (and dates) by value, then booleans, then
 * text (by UTF-16 code units), then nulls, last either way; ties keep run order.
 * Comparator sorts of 1M entries took seconds (a JS call per comparison): instead each
 * value gets its rank among the distinct values (found by native sorts), and rank and
 * position are packed into one float (rank x n + position, exact below 2^53) that a
 * native Float64Array sort orders without a comparator.
 */
function sortPositions(positions: Uint32Array, values: readonly unknown[], descending: boolean) {
  const numbers: number[] = [];
  const texts: string[] = [];
  for (const p of positions) {
    const v = values[p];
    if (isNumeric(v)) {
      const n = Number(v);
      if (!Number.isNaN(n)) numbers.push(n);
    } else if (v !== null && v !== undefined && typeof v !== 'boolean') texts.push(shown(v));
  }
  const distinctNumbers = distinct(Float64Array.from(numbers).sort());
  const distinctTexts = distinct(texts.sort());
  const textRank = new Map<string, number>();
  distinctTexts.forEach((t, i) => textRank.set(t, i));
  const nulls = distinctNumbers.length + 2 + distinctTexts.length;
  const rankOf = (v: unknown): number => {
    if (v === null || v === undefined) return nulls;
    if (isNumeric(v)) {
      const n = Number(v);
      return Number.isNaN(n) ? nulls : lowerBound(distinctNumbers, n);
    }
    if (typeof v === 'boolean') return distinctNumbers.length + (v ? 1 : 0);
    return distinctNumbers.length + 2 + textRank.get(shown(v))!;
  };
  const n = values.length;
  const packed = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const rank = rankOf(values[p]);
    packed[i] = (descending && rank !== nulls ? nulls - 1 - rank : rank) * n + p;
  }
  packed.sort();
  for (let i = 0; i < packed.length; i++) positions[i] = packed[i]! % n;
}

function isNumeric(v: unknown): v is number | bigint | Date {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof Date;
}

/** The distinct entries of sorted `sorted`. */
function distinct<T extends number | string>(sorted: ArrayLike<T>): T[] {
  const out: T[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** Index of `x` in sorted `sorted` (which holds it). */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Views built for a run, kept until the run commits more rows; the last few kept. And
 * each of those runs' after_run processors, found once (reading the run's launch record
 * and compiling its config), not for every page.
 */
export class RowViewCache {
  readonly #views = new Map<string, RowView>();
  readonly #afterRun = new Map<string, Promise<PlanProcessor[]>>();
  readonly #max: number;

  /** `max`: views kept at most, and runs' after_run processors. Default: 4. */
  constructor(max = 4) {
    this.#max = max;
  }

  /** The after_run processors of the run `manifest` describes (afterRunProcessors), found on first use. */
  afterRun(source: GroupSource, manifest: RunManifest): Promise<PlanProcessor[]> {
    const { runId } = manifest;
    const known = recent(this.#afterRun, runId);
    if (known) return known;
    const found = afterRunProcessors(source, manifest);
    this.#afterRun.set(runId, found);
    // A failure is not kept: the next page tries again.
    found.catch(() => {
      if (this.#afterRun.get(runId) === found) this.#afterRun.delete(runId);
    });
    trim(this.#afterRun, this.#max);
    return found;
  }

  /** The view `order` of the run `manifest` describes, built on first use. */
  async view(
    source: GroupSource,
    manifest: RunManifest,
    afterRun: readonly PlanProcessor[],
    order: RowOrder,
  ): Promise<RowView> {
    const key = JSON.stringify([
      manifest.runId,
      manifest.rowsWritten,
      manifest.committed.length,
      order,
    ]);
    const hit = recent(this.#views, key);
    if (hit) return hit;
    const view = await buildView(source, manifest, afterRun, order);
    this.#views.set(key, view);
    trim(this.#views, this.#max);
    return view;
  }

  /** Forgets every view of `runId`, and its after_run processors (it was deleted). */
  forget(runId: string): void {
    this.#afterRun.delete(runId);
    for (const key of [...this.#views.keys()]) {
      if ((JSON.parse(key) as unknown[])[0] === runId) this.#views.delete(key);
    }
  }
}

/** `map`'s entry for `key`, moved to the newest end (kept longest by `trim`); undefined when none. */
function recent<V>(map: Map<string, V>, key: string): V | undefined {
  const value = map.get(key);
  if (value === undefined) return undefined;
  map.delete(key);
  map.set(key, value);
  return value;
}

/** Drops `map`'s oldest entries (first inserted) until it holds `max`. */
function trim(map: Map<string, unknown>, max: number): void {
  for (const old of map.keys()) {
    if (map.size <= max) break;
    map.delete(old);
  }
}
