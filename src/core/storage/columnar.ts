/**
 * Rows held column by column. The engine keeps a row group's values as one array
 * per column: a sampler's output array is adopted as it is, numbers stay unboxed,
 * and no object per row lives for the group's lifetime (row objects that outlive
 * V8's young generation made every scavenge copy them: 1.6x the generation time).
 * Row objects are made only where a consumer wants one.
 */
import type { Row, RowGroupData } from './types.ts';

/** Values by column name, each aligned with the same rows. */
export type ColumnValues = ReadonlyMap<string, readonly unknown[]>;

/** Row `i` as a new object: every column whose value there is not undefined. */
export function rowAt(columns: ColumnValues, i: number): Row {
  const row: Row = {};
  for (const [name, values] of columns) {
    const v = values[i];
    if (v !== undefined) row[name] = v;
  }
  return row;
}

/** Rows `0..length-1` as objects. */
export function rowsOf(columns: ColumnValues, length: number): Row[] {
  const rows = new Array<Row>(length);
  for (let i = 0; i < length; i++) rows[i] = rowAt(columns, i);
  return rows;
}

/** `rows` column by column, for `columns` (a missing key reads as undefined). */
export function columnsOf(
  rows: readonly Readonly<Row>[],
  columns: readonly string[],
): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const c of columns)
    out.set(
      c,
      rows.map((r) => r[c]),
    );
  return out;
}

/** Each column's values at `indices`, in that order. */
export function gatherColumns(
  columns: ColumnValues,
  indices: readonly number[],
): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [name, values] of columns) {
    const picked = new Array<unknown>(indices.length);
    for (let i = 0; i < indices.length; i++) picked[i] = values[indices[i]!];
    out.set(name, picked);
  }
  return out;
}

/**
 * One reused object showing row `i` of `columns` (every column assigned, so a value
 * of a previous row never shows through). For tight loops whose reader does not keep
 * the object past the next `at` call, e.g. a template rendering one row.
 */
export class RowView {
  readonly #columns: [string, readonly unknown[]][];
  readonly #row: Row = {};

  /** `only`: show just these columns (those present). Default: every column. */
  constructor(columns: ColumnValues, only?: readonly string[]) {
    if (only === undefined) {
      this.#columns = [...columns];
    } else {
      this.#columns = [];
      for (const name of only) {
        const values = columns.get(name);
        if (values !== undefined) this.#columns.push([name, values]);
      }
    }
  }

  at(i: number): Readonly<Row> {
    const row = this.#row;
    for (const [name, values] of this.#columns) row[name] = values[i];
    return row;
  }
}

/**
 * A RowGroupData given column by column: `values` holds each of `columns`; `rows`
 * are made from them on first read. (A class getter, not a closure defined on the
 * object: V8 kept every group's columns alive through the closure's context.)
 */
class ColumnarRowGroup implements RowGroupData {
  readonly id: number;
  readonly firstRow: number;
  readonly rowIndices: number[];
  readonly columns: string[];
  readonly values: ColumnValues;
  #rows: Row[] | undefined;

  constructor(data: Omit<RowGroupData, 'rows' | 'values'>, values: ColumnValues) {
    this.id = data.id;
    this.firstRow = data.firstRow;
    this.rowIndices = data.rowIndices;
    this.columns = data.columns;
    this.values = values;
  }

  get rows(): Row[] {
    return (this.#rows ??= rowsOf(pick(this.values, this.columns), this.rowIndices.length));
  }
}

/** A RowGroupData given column by column (see ColumnarRowGroup). */
export function columnarRowGroup(
  data: Omit<RowGroupData, 'rows' | 'values' | 'extraTables'>,
  values: ColumnValues,
): RowGroupData {
  return new ColumnarRowGroup(data, values);
}

function pick(values: ColumnValues, columns: readonly string[]): ColumnValues {
  const out = new Map<string, readonly unknown[]>();
  for (const c of columns) {
    const v = values.get(c);
    if (v !== undefined) out.set(c, v);
  }
  return out;
}
