/**
 * A row group to Arrow IPC bytes with the run's column types: the unit IndexedDB
 * stores (SPEC 4). Runs in a compute worker (compute.worker.ts) or inline.
 */
import { arrowTableToIPC, rowsToArrowTable } from '../core/export/arrow.ts';
import { inferColumnTypes, mergeColumnTypes } from '../core/export/column-types.ts';
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
