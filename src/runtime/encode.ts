/**
 * A row group to Arrow IPC bytes with the run's column types: the unit IndexedDB
 * stores (SPEC 4). Runs in a compute worker (compute.worker.ts) or inline.
 */
import { arrowTableToIPC, columnsToArrowTable, rowsToArrowTable } from '../core/export/arrow.ts';
import {
  inferColumnTypes,
  inferValuesType,
  mergeColumnTypes,
} from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import type { Row } from '../core/storage/types.ts';

export interface EncodedGroup {
  /** Arrow IPC stream bytes, their buffer exactly this long (safe to transfer and store). */
  ipc: Uint8Array;
  /** `known` widened by this group's values: the types the bytes were written with. */
  types: ColumnTypes;
}

/** Turns rows into stored bytes; the IndexedDB store calls it once per commit. */
export interface RowGroupEncoder {
  encode(rows: Row[], columns: string[], known: ColumnTypes): Promise<EncodedGroup>;
}

/** Encodes `rows` with `known` types widened by what these rows hold. */
export function encodeRowGroup(rows: Row[], columns: string[], known: ColumnTypes): EncodedGroup {
  const types = mergeColumnTypes(known, inferColumnTypes(rows, columns));
  const bytes = arrowTableToIPC(rowsToArrowTable(rows, columns, types));
  return { ipc: ownBuffer(bytes), types };
}

/** Encodes on the calling thread. */
export const inlineEncoder: RowGroupEncoder = {
  encode: (rows, columns, known) => Promise.resolve(encodeRowGroup(rows, columns, known)),
};

/** `bytes` over a buffer of its own (IndexedDB and postMessage would copy the whole buffer). */
export function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return bytes.slice();
}

/** A row group as one array per column: what crosses to a compute worker instead of row objects. */
export interface ColumnBlock {
  /** Rows in the group. */
  length: number;
  /**
   * Values by column, in row order: a Float64Array (transferred) where every value
   * is a number, else the values as they are.
   */
  values: Record<string, unknown[] | Float64Array>;
}

/** Columns packed for postMessage: numeric ones as Float64Arrays, with their buffers to transfer. */
export function packColumns(columns: Readonly<Record<string, unknown[]>>): {
  values: Record<string, unknown[] | Float64Array>;
  transfer: ArrayBuffer[];
} {
  const values: Record<string, unknown[] | Float64Array> = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, column] of Object.entries(columns)) {
    if (column.length > 0 && column.every((v) => typeof v === 'number')) {
      const packed = Float64Array.from(column as number[]);
      values[name] = packed;
      transfer.push(packed.buffer);
    } else {
      values[name] = column;
    }
  }
  return { values, transfer };
}

/** A packed column back to plain values. */
export function unpackColumn(column: unknown[] | Float64Array): unknown[] {
  return column instanceof Float64Array ? Array.from(column) : column;
}

/** `rows` as a ColumnBlock of `columns`, with the buffers to transfer. */
export function toColumnBlock(
  rows: readonly Row[],
  columns: readonly string[],
): { block: ColumnBlock; transfer: ArrayBuffer[] } {
  const plain: Record<string, unknown[]> = {};
  for (const column of columns) plain[column] = rows.map((r) => r[column]);
  const { values, transfer } = packColumns(plain);
  return { block: { length: rows.length, values }, transfer };
}

/**
 * encodeRowGroup of a ColumnBlock: the same types (each column inferred, then
 * merged with `known`) and the same bytes as the rows it came from.
 */
export function encodeColumnBlock(
  block: ColumnBlock,
  columns: readonly string[],
  known: ColumnTypes,
): EncodedGroup {
  // Typed arrays index and iterate like the arrays the Arrow builder reads.
  const values = block.values as Record<string, readonly unknown[] | undefined>;
  const fresh: ColumnTypes = {};
  for (const column of columns) {
    fresh[column] = inferValuesType(values[column] ?? []);
  }
  const types = mergeColumnTypes(known, fresh);
  const bytes = arrowTableToIPC(columnsToArrowTable(block.length, values, columns, types));
  return { ipc: ownBuffer(bytes), types };
}
