/**
 * An Arrow table straight from packed columns (column-pack.ts), as a compute
 * worker receives a row group: numbers, dates and booleans go from their typed
 * arrays into Arrow buffers and a string column is UTF-8 encoded in one call,
 * without first making a JS value per cell. The types and bytes are those of
 * columnsToArrowTable on the unpacked values; a column whose final type is not its
 * packed kind's own (a number column a run widened to JSON) is unpacked and built
 * the general way.
 */
import { Bool, Float64, Int64, TimestampMillisecond, makeData } from 'apache-arrow';
import type { Data, Table, Utf8 } from 'apache-arrow';
import { assembleTable, buildData, setInt64, utf8Data } from './arrow.ts';
import { unpackColumn, NULL_LENGTH } from './column-pack.ts';
import type { PackedColumn } from './column-pack.ts';
import { inferValuesType, mergeColumnTypes } from './column-types.ts';
import type { ColumnType, ColumnTypes } from './column-types.ts';

/** The ColumnType inferValuesType gives the unpacked values of `column`. */
function packedType(column: PackedColumn): ColumnType {
  switch (column.kind) {
    case 'number': {
      for (const v of column.values) if (!Number.isSafeInteger(v)) return { kind: 'float64' };
      return column.values.length > 0 ? { kind: 'int64', js: 'number' } : { kind: 'null' };
    }
    case 'date':
      return column.values.length > 0 ? { kind: 'timestamp' } : { kind: 'null' };
    case 'bool':
      return column.values.some((b) => b !== 2) ? { kind: 'bool' } : { kind: 'null' };
    case 'string':
      return column.lengths.some((n) => n !== NULL_LENGTH) ? { kind: 'utf8' } : { kind: 'null' };
    case 'values':
      return inferValuesType(column.values);
  }
}

/**
 * `columns` of a packed row group of `length` rows as a table, each column typed
 * as `known` widened by its values; returns the table and those types.
 */
export function packedToArrowTable(
  length: number,
  packed: Readonly<Record<string, PackedColumn>>,
  columns: readonly string[],
  known: ColumnTypes,
): { table: Table; types: ColumnTypes } {
  const fresh: ColumnTypes = {};
  for (const column of columns) {
    const col = packed[column];
    fresh[column] = col ? packedType(col) : { kind: 'null' };
  }
  const types = mergeColumnTypes(known, fresh);
  const table = assembleTable(length, columns, (column) => {
    const type = types[column]!;
    const col = packed[column];
    const values = col ? undefined : new Array<unknown>(length).fill(null);
    const data =
      (col && direct(col, type)) ?? buildData(values ?? unpackColumn(col!), type, column);
    return { data, type };
  });
  return { table, types };
}

/** The column's data built from its packed form, or undefined when `type` needs the general builder. */
function direct(col: PackedColumn, type: ColumnType): Data | undefined {
  if (col.kind === 'number' && type.kind === 'float64') {
    const n = col.values.length;
    return makeData({
      type: new Float64(),
      length: n,
      nullCount: 0,
      nullBitmap: allValid(n),
      data: col.values,
    });
  }
  if (col.kind === 'number' && type.kind === 'int64' && type.js === 'number') {
    return makeData({ ...wide(col.values), type: new Int64() });
  }
  if (col.kind === 'date' && type.kind === 'timestamp') {
    return makeData({ ...wide(col.values), type: new TimestampMillisecond() });
  }
  if (col.kind === 'bool' && type.kind === 'bool') return bools(col.values);
  if (col.kind === 'string' && type.kind === 'utf8') return utf8(col.text, col.lengths);
  return undefined;
}

/** Validity of `n` values, all present. */
function allValid(n: number): Uint8Array {
  return new Uint8Array((n + 7) >> 3).fill(0xff);
}

/** Safe integers as a 64-bit column, all present. */
function wide(values: Float64Array) {
  const n = values.length;
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) setInt64(out, words, i, values[i]!);
  return { length: n, nullCount: 0, nullBitmap: allValid(n), data: out };
}

function bools(values: Uint8Array): Data<Bool> {
  const n = values.length;
  const data = new Uint8Array((n + 7) >> 3);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const b = values[i];
    if (b === 2) {
      nullCount++;
      continue;
    }
    bitmap[i >> 3]! |= 1 << (i & 7);
    if (b === 1) data[i >> 3]! |= 1 << (i & 7);
  }
  return makeData({ type: new Bool(), length: n, nullCount, nullBitmap: bitmap, data });
}

/**
 * Utf8 from the joined text: one encode call. When every code unit is ASCII the
 * byte offsets are the UTF-16 lengths; otherwise each string's UTF-8 length is
 * counted from its code units (a surrogate pair is 4 bytes, as TextEncoder writes).
 * Undefined when the strings do not encode apart as they do joined.
 */
function utf8(text: string, lengths: Uint32Array): Data<Utf8> | undefined {
  const n = lengths.length;
  const bytes = new TextEncoder().encode(text);
  const ascii = bytes.length === text.length;
  const offsets = new Int32Array(n + 1);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  let at = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const len = lengths[i]!;
    if (len === NULL_LENGTH) {
      nullCount++;
    } else {
      bitmap[i >> 3]! |= 1 << (i & 7);
      pos += ascii ? len : utf8Length(text, at, at + len);
      at += len;
    }
    offsets[i + 1] = pos;
  }
  // A lone high surrogate ending one string and a lone low one starting the next
  // encode joined as one character: the general builder encodes them apart.
  if (pos !== bytes.length) return undefined;
  return utf8Data(offsets, bytes, bitmap, nullCount);
}

/** UTF-8 bytes of text[from, to) as TextEncoder writes them (a lone surrogate as U+FFFD, 3 bytes). */
function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < to) {
      const d = text.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        k++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
