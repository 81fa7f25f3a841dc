/**
 * Rows to an Arrow table, one typed column per output column (SPEC 4). Buffers are
 * built directly: utf8 from offsets and UTF-8 bytes (vectorFromArray with Utf8 is
 * ~10x slower, tableFromArrays makes dictionaries), numbers into typed arrays.
 *
 * Each field carries its ColumnType as metadata (`tabsynth.type`), so a reader
 * (arrow-read.ts) gives back the same JS values: Dates, numbers vs bigints, parsed
 * JSON. Arrow's own schema travels inside Parquet files, so this survives export.
 */
import {
  Bool,
  Field,
  Float32,
  Float64,
  Int64,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { Row } from '../storage/types.ts';
import { jsonReplacer, misfit, toFloat, toInteger, toMillis, toText } from './cell-values.ts';
import { inferValuesType, isPlainObject } from './column-types.ts';
import type { ColumnType, ColumnTypes, ScalarType, StructField } from './column-types.ts';

/** Field metadata key holding the column's ColumnType as JSON. */
export const TYPE_METADATA_KEY = 'tabsynth.type';

/**
 * Builds a table of `columns` (in that order) from `rows`. `schema` fixes the types
 * (so every row group of a run agrees); columns it does not name are inferred from
 * these rows. A value that does not fit a fixed type fails with INVALID_ARGUMENT.
 * `metadata` becomes the schema's key-value metadata (kept in Parquet files too).
 */
export function rowsToArrowTable(
  rows: readonly Row[],
  columns: readonly string[],
  schema?: ColumnTypes,
  metadata?: ReadonlyMap<string, string>,
): Table {
  const values: Record<string, unknown[]> = {};
  for (const column of columns) values[column] = rows.map((r) => r[column]);
  return columnsToArrowTable(rows.length, values, columns, schema, metadata);
}

/**
 * rowsToArrowTable without row objects: `values[column]` holds the column's
 * `length` values in row order (a column without an array is all null). Same
 * types and bytes as rowsToArrowTable of the same rows; what a caller with
 * whole-column values (a generator's BatchValues, an array per column sent to a
 * worker instead of row objects) uses.
 */
export function columnsToArrowTable(
  length: number,
  values: Readonly<Record<string, readonly unknown[] | undefined>>,
  columns: readonly string[],
  schema?: ColumnTypes,
  metadata?: ReadonlyMap<string, string>,
): Table {
  return assembleTable(
    length,
    columns,
    (column) => {
      const given = values[column];
      if (given !== undefined && given.length !== length) {
        throw new TabsynthError(
          ErrorCodes.INVALID_ARGUMENT,
          `column "${column}": expected ${length} values (one per row), got ${given.length}`,
          { column },
        );
      }
      const columnValues = given ?? new Array<unknown>(length).fill(null);
      const type = schema?.[column] ?? inferValuesType(columnValues);
      return { data: buildData(columnValues, type, column), type };
    },
    metadata,
  );
}

/** A table of `columns`, in order, from each column's built data and its ColumnType. */
export function assembleTable(
  length: number,
  columns: readonly string[],
  build: (column: string) => { data: Data; type: ColumnType },
  metadata?: ReadonlyMap<string, string>,
): Table {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const column of columns) {
    const { data, type } = build(column);
    fields.push(fieldFor(column, data.type, type));
    children.push(data);
  }
  const arrowSchema = new Schema(fields, metadata ? new Map(metadata) : undefined);
  const struct = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children,
  });
  return new Table(arrowSchema, new RecordBatch(arrowSchema, struct));
}

/** The table as Arrow IPC stream bytes (the unit IndexedDB stores). */
export function arrowTableToIPC(table: Table): Uint8Array {
  return tableToIPC(table, 'stream');
}

/** A table back from IPC stream (or file) bytes. */
export function arrowTableFromIPC(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}

function fieldFor(name: string, type: DataType, columnType: ColumnType): Field {
  const metadata = new Map([[TYPE_METADATA_KEY, JSON.stringify(columnType)]]);
  return new Field(name, type, true, metadata);
}

/** One column's Arrow data from its values, as `type`. */
export function buildData(values: readonly unknown[], type: ColumnType, column: string): Data {
  switch (type.kind) {
    case 'struct':
      return buildStruct(values, type.fields, column);
    case 'list':
      return buildList(values, type.item, column);
    case 'list_float32':
      return buildFloatList(values, column);
    default:
      return buildScalar(values, type, column);
  }
}

function buildScalar(values: readonly unknown[], type: ScalarType, column: string): Data {
  switch (type.kind) {
    case 'int64':
      return buildWide(values, new Int64(), (v) => toInteger(v, column));
    case 'float64':
      return buildFloat64(values, column);
    case 'timestamp':
      return buildWide(values, new TimestampMillisecond(), (v) => toMillis(v, column));
    case 'bool':
      return buildBool(values, column);
    case 'utf8':
    case 'null':
      return buildUtf8(values, (v) => toText(v, column));
    case 'json':
      return buildUtf8(values, (v) => JSON.stringify(v, jsonReplacer) ?? null);
  }
}

interface Validity {
  bitmap: Uint8Array;
  nullCount: number;
}

/** A validity bitmap (1 = value present); `present(i)` says whether value i is. */
function validity(length: number, present: (i: number) => boolean): Validity {
  const bitmap = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < length; i++) {
    if (present(i)) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount++;
  }
  return { bitmap, nullCount };
}

const isPresent = (v: unknown) => v !== null && v !== undefined;

/** Whether typed arrays are little-endian here (Arrow's byte order); all our hosts are. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 2 ** 32;

/**
 * A 64-bit column (int64, timestamp) from values that `convert` turns into safe
 * integers or bigints (null: a null cell). Safe integers are written as two 32-bit
 * words, no BigInt made per value.
 */
function buildWide<T extends Int64 | TimestampMillisecond>(
  values: readonly unknown[],
  type: T,
  convert: (v: unknown) => number | bigint | null,
): Data<T> {
  const n = values.length;
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const x = isPresent(v) ? convert(v) : null;
    if (x === null) {
      nullCount++;
      continue;
    }
    bitmap[i >> 3]! |= 1 << (i & 7);
    setInt64(out, words, i, x);
  }
  const props = { type, length: n, nullCount, nullBitmap: bitmap, data: out };
  // makeData's overloads cannot see that T is one of Int64, Timestamp.
  return makeData(props as never) as unknown as Data<T>;
}

/**
 * Writes `x` as element `i` of `out`; `words` is an Int32Array over `out`'s buffer.
 * A safe integer is written as two 32-bit words, no BigInt made.
 */
export function setInt64(
  out: BigInt64Array,
  words: Int32Array,
  i: number,
  x: number | bigint,
): void {
  if (typeof x === 'bigint' || !LITTLE_ENDIAN) {
    out[i] = BigInt(x);
  } else {
    words[2 * i] = x | 0;
    words[2 * i + 1] = Math.floor(x / TWO_32);
  }
}

function buildFloat64(values: readonly unknown[], column: string): Data<Float64> {
  const n = values.length;
  const out = new Float64Array(n);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!isPresent(v)) {
      nullCount++;
      continue;
    }
    bitmap[i >> 3]! |= 1 << (i & 7);
    out[i] = toFloat(v, column);
  }
  return makeData({ type: new Float64(), length: n, nullCount, nullBitmap: bitmap, data: out });
}

function buildBool(values: readonly unknown[], column: string): Data<Bool> {
  const data = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (!isPresent(v)) return;
    if (typeof v !== 'boolean') throw misfit(column, 'a boolean', v);
    if (v) data[i >> 3]! |= 1 << (i & 7);
  });
  const { bitmap, nullCount } = validity(values.length, (i) => isPresent(values[i]));
  return makeData({ type: new Bool(), length: values.length, nullCount, nullBitmap: bitmap, data });
}

/**
 * Utf8 from offsets + bytes, encoding straight into one growing buffer. ASCII is
 * copied code unit by code unit (most generated text is short and ASCII, where a
 * call into TextEncoder per value costs more than the copy); anything else goes
 * through `encodeInto`.
 */
function buildUtf8(
  values: readonly unknown[],
  toString: (v: unknown) => string | null,
): Data<Utf8> {
  const n = values.length;
  const encoder = new TextEncoder();
  const offsets = new Int32Array(n + 1);
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nullCount = 0;
  let bytes = new Uint8Array(1024 + n * 16);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const text = isPresent(v) ? toString(v) : null;
    if (text === null) {
      nullCount++;
    } else {
      bitmap[i >> 3]! |= 1 << (i & 7);
      const len = text.length;
      // UTF-16 code unit -> at most 3 UTF-8 bytes.
      if (pos + len * 3 > bytes.length) {
        const grown = new Uint8Array(Math.max(pos + len * 3, bytes.length * 2));
        grown.set(bytes.subarray(0, pos));
        bytes = grown;
      }
      let k = 0;
      for (; k < len; k++) {
        const code = text.charCodeAt(k);
        if (code >= 0x80) break;
        bytes[pos + k] = code;
      }
      pos += k;
      if (k < len) pos += encodeInto(encoder, text.slice(k), bytes.subarray(pos));
    }
    offsets[i + 1] = pos;
  }
  return utf8Data(offsets, bytes.subarray(0, pos), bitmap, nullCount);
}

/** Utf8 data of `offsets.length - 1` strings: their UTF-8 `bytes`, validity and nulls. */
export function utf8Data(
  offsets: Int32Array,
  bytes: Uint8Array,
  bitmap: Uint8Array,
  nullCount: number,
): Data<Utf8> {
  return makeData({
    type: new Utf8(),
    length: offsets.length - 1,
    nullCount,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    data: bytes,
  });
}

/** `encodeInto` where the host has it (all of ours do); `encode` otherwise. */
function encodeInto(encoder: TextEncoder, text: string, target: Uint8Array): number {
  const e = encoder as TextEncoder & {
    encodeInto?: (s: string, t: Uint8Array) => { written: number };
  };
  if (e.encodeInto) return e.encodeInto(text, target).written;
  const encoded = encoder.encode(text);
  target.set(encoded);
  return encoded.length;
}

function buildStruct(
  values: readonly unknown[],
  fields: readonly StructField[],
  column: string,
): Data<Struct> {
  values.forEach((v) => {
    if (isPresent(v) && !isPlainObject(v)) throw misfit(column, 'an object', v);
  });
  const children = fields.map((f) =>
    buildData(
      values.map((v) => (isPlainObject(v) ? v[f.name] : null)),
      f.type,
      `${column}.${f.name}`,
    ),
  );
  const arrowFields = fields.map((f, i) => fieldFor(f.name, children[i]!.type, f.type));
  const { bitmap, nullCount } = validity(values.length, (i) => isPresent(values[i]));
  return makeData({
    type: new Struct(arrowFields),
    length: values.length,
    nullCount,
    nullBitmap: bitmap,
    children,
  });
}

/** A list column: offsets into one child built from every array's elements in order. */
function buildList(values: readonly unknown[], item: ColumnType, column: string): Data<List> {
  const offsets = new Int32Array(values.length + 1);
  const flat: unknown[] = [];
  values.forEach((v, i) => {
    if (isPresent(v)) {
      if (!Array.isArray(v)) throw misfit(column, 'an array', v);
      for (const x of v as unknown[]) flat.push(x);
    }
    offsets[i + 1] = flat.length;
  });
  const child = buildData(flat, item, `${column}[]`);
  const { bitmap, nullCount } = validity(values.length, (i) => isPresent(values[i]));
  return makeData({
    type: new List(fieldFor('item', child.type, item)),
    length: values.length,
    nullCount,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    child,
  });
}

function buildFloatList(values: readonly unknown[], column: string): Data<List<Float32>> {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  values.forEach((v, i) => {
    if (isPresent(v)) {
      if (
        !(v instanceof Float32Array) &&
        !(Array.isArray(v) && v.every((x) => typeof x === 'number'))
      ) {
        throw misfit(column, 'a Float32Array or an array of numbers', v);
      }
      total += v.length;
    }
    offsets[i + 1] = total;
  });
  const flat = new Float32Array(total);
  values.forEach((v, i) => {
    if (v instanceof Float32Array || Array.isArray(v)) flat.set(v as ArrayLike<number>, offsets[i]);
  });
  const child = makeData({ type: new Float32(), length: total, nullCount: 0, data: flat });
  const { bitmap, nullCount } = validity(values.length, (i) => isPresent(values[i]));
  return makeData({
    type: new List(new Field('item', new Float32(), true)),
    length: values.length,
    nullCount,
    nullBitmap: bitmap,
    valueOffsets: offsets,
    child,
  });
}
