/**
 * A row group to Arrow IPC bytes with the run's column types: the unit IndexedDB
 * stores (SPEC 4). Runs in a compute worker (compute.worker.ts) or inline.
 */
import { arrowTableToIPC, columnsToArrowTable } from '../core/export/arrow.ts';
import { inferColumnValuesTypes, mergeColumnTypes } from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import { columnsOf } from '../core/storage/columnar.ts';
import type { ColumnValues } from '../core/storage/columnar.ts';
import { packedToArrowTable } from '../core/export/arrow-packed.ts';
import { packColumns } from '../core/export/column-pack.ts';
import type { PackedColumn } from '../core/export/column-pack.ts';
import type { Row } from '../core/storage/types.ts';

export interface EncodedGroup {
  /** Arrow IPC stream bytes, their buffer exactly this long (safe to transfer and store). */
  ipc: Uint8Array;
  /** `known` widened by this group's values: the types the bytes were written with. */
  types: ColumnTypes;
}

/** Turns a row group's columns into stored bytes; the IndexedDB store calls it once per commit. */
export interface RowGroupEncoder {
  /** `values` holds each of `columns`, `length` values long. */
  encode(
    values: ColumnValues,
    length: number,
    columns: string[],
    known: ColumnTypes,
  ): Promise<EncodedGroup>;
}

/** Encodes `rows` with `known` types widened by what these rows hold. */
export function encodeRowGroup(rows: Row[], columns: string[], known: ColumnTypes): EncodedGroup {
  return encodeColumns(Object.fromEntries(columnsOf(rows, columns)), rows.length, columns, known);
}

/** Encodes on the calling thread. */
export const inlineEncoder: RowGroupEncoder = {
  encode: (values, length, columns, known) =>
    Promise.resolve(encodeColumns(Object.fromEntries(values), length, columns, known)),
};

/** `bytes` over a buffer of its own (IndexedDB and postMessage would copy the whole buffer). */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return bytes.slice();
}

/** A row group as one packed array per column: what crosses to a compute worker instead of row objects. */
export interface ColumnBlock {
  /** Rows in the group. */
  length: number;
  /** Values by column, in row order, packed (column-pack.ts). */
  values: Record<string, PackedColumn>;
}

/** `columns` of `values` as a ColumnBlock, with the buffers to transfer. */
export function toColumnBlock(
  values: ColumnValues,
  length: number,
  columns: readonly string[],
): { block: ColumnBlock; transfer: ArrayBuffer[] } {
  const plain: Record<string, readonly unknown[]> = {};
  for (const column of columns) plain[column] = values.get(column) ?? new Array<unknown>(length);
  const packed = packColumns(plain);
  return { block: { length, values: packed.values }, transfer: packed.transfer };
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
  const { table, types } = packedToArrowTable(block.length, block.values, columns, known);
  return { ipc: ownBuffer(arrowTableToIPC(table)), types };
}

/** Columns (`length` values each) to stored bytes, `known` types widened by their values. */
export function encodeColumns(
  values: Readonly<Record<string, readonly unknown[] | undefined>>,
  length: number,
  columns: readonly string[],
  known: ColumnTypes,
): EncodedGroup {
  const types = mergeColumnTypes(known, inferColumnValuesTypes(values, columns));
  const bytes = arrowTableToIPC(columnsToArrowTable(length, values, columns, types));
  return { ipc: ownBuffer(bytes), types };
}
