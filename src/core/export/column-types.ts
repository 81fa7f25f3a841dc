/**
 * The Arrow/Parquet type of each output column (SPEC 4), inferred from the values a
 * run produced. A run fixes one `ColumnTypes` so every row group it writes has the
 * same schema; `mergeColumnTypes` widens it when a later group shows more.
 */
import type { Row } from '../storage/types.ts';

/** Types that hold one value each (no children). */
export type ScalarType =
  /** Every value seen was null; written as utf8. */
  | { kind: 'null' }
  /** Whole numbers. `js` is how they come back: 'number' (safe integers) or 'bigint'. */
  | { kind: 'int64'; js: 'number' | 'bigint' }
  | { kind: 'float64' }
  | { kind: 'utf8' }
  | { kind: 'bool' }
  /** Date values, stored as milliseconds since the epoch (UTC). */
  | { kind: 'timestamp' }
  /** Anything else, stored as its JSON text and parsed back on read. */
  | { kind: 'json' };

export interface StructField {
  /** The object key. */
  name: string;
  /** The field's type: a scalar, or (up to MAX_NESTING_DEPTH levels) a struct or list. */
  type: ColumnType;
}

export type ColumnType =
  | ScalarType
  /** Plain objects that all have the same keys (person, judge scores, structured output). */
  | { kind: 'struct'; fields: StructField[] }
  /**
   * Arrays whose elements share one type (a list of objects, strings, numbers,
   * booleans; nulls allowed). `item` is `null` while only empty arrays were seen.
   * Number arrays at the top level are embeddings (list_float32) instead.
   */
  | { kind: 'list'; item: ColumnType }
  /** Float32Array values anywhere, or number[] values of a column (embeddings); read back as Float32Array. */
  | { kind: 'list_float32' };

/** Levels of structs and lists a column type may have; values nested deeper become JSON text. */
export const MAX_NESTING_DEPTH = 8;

/** Column name to type. */
export type ColumnTypes = Record<string, ColumnType>;

/** The type of every column over all the rows given. */
export function inferColumnTypes(rows: readonly Row[], columns: readonly string[]): ColumnTypes {
  const types: ColumnTypes = {};
  for (const column of columns) {
    let type: ColumnType = { kind: 'null' };
    for (const row of rows) {
      type = widen(type, row[column]);
      if (type.kind === 'json') break;
    }
    types[column] = type;
  }
  return types;
}

/** The type of one column from its values (inferColumnTypes without row objects). */
export function inferValuesType(values: readonly unknown[]): ColumnType {
  let type: ColumnType = { kind: 'null' };
  for (const value of values) {
    type = widen(type, value);
    if (type.kind === 'json') break;
  }
  return type;
}

/** inferValuesType of each of `columns` (a missing column infers as null). */
export function inferColumnValuesTypes(
  values: Readonly<Record<string, readonly unknown[] | undefined>>,
  columns: readonly string[],
): ColumnTypes {
  const types: ColumnTypes = {};
  for (const column of columns) types[column] = inferValuesType(values[column] ?? []);
  return types;
}

/** `type` widened to hold `value`. */
function widen(type: ColumnType, value: unknown): ColumnType {
  // Hot path (every row group of a run): a value the type already holds changes nothing.
  return holds(type, value, true) ? type : mergeType(type, typeOfValue(value));
}

/**
 * Whether `mergeType(type, typeOfValue(value))` is `type` again: true only when
 * sure, so a false costs the slow path, never a wrong type. `top`: whether `value`
 * is a column's value (where number arrays are embeddings) rather than nested.
 */
function holds(type: ColumnType, value: unknown, top: boolean): boolean {
  if (value === null || value === undefined) return true;
  switch (type.kind) {
    case 'utf8':
      return typeof value === 'string';
    case 'float64':
      return typeof value === 'number';
    case 'int64':
      return type.js === 'bigint'
        ? typeof value === 'bigint'
        : typeof value === 'number' && Number.isSafeInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'timestamp':
      return value instanceof Date;
    case 'struct':
      return holdsStruct(type.fields, value);
    case 'list':
      if (!Array.isArray(value) || (top && isNumberArray(value))) return false;
      for (const item of value) if (!holds(type.item, item, false)) return false;
      return true;
    case 'list_float32':
      return value instanceof Float32Array || (top && isNumberArray(value));
    default:
      return false;
  }
}

function holdsStruct(fields: readonly StructField[], value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let keys = 0;
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) keys++;
  if (keys !== fields.length) return false;
  for (const f of fields) {
    if (!Object.prototype.hasOwnProperty.call(value, f.name)) return false;
    if (!holds(f.type, value[f.name], false)) return false;
  }
  return true;
}

/**
 * The narrowest types that hold the values of both `a` and `b`: null gives way to
 * anything, int64 widens to float64, struct fields and list items widen the same
 * way; differing struct keys or kinds become JSON.
 * Columns only one side knows keep that side's type.
 */
export function mergeColumnTypes(a: ColumnTypes, b: ColumnTypes): ColumnTypes {
  const out: ColumnTypes = { ...a };
  for (const [name, type] of Object.entries(b)) {
    const prev = out[name];
    out[name] = prev === undefined ? type : mergeType(prev, type);
  }
  return out;
}

/** Whether two types are the same. */
export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The type one value asks for (as a column's value: number arrays are embeddings). */
export function typeOfValue(value: unknown): ColumnType {
  return typeAt(value, 0);
}

/** The type of a value nested `depth` levels inside a column's value. */
function typeAt(value: unknown, depth: number): ColumnType {
  if (value === null || value === undefined) return NULL_TYPE;
  const scalar = scalarTypeOf(value);
  if (scalar.kind !== 'json') return scalar;
  if (value instanceof Float32Array) return { kind: 'list_float32' };
  if (depth >= MAX_NESTING_DEPTH) return JSON_TYPE;
  if (Array.isArray(value)) {
    if (depth === 0 && isNumberArray(value)) return { kind: 'list_float32' };
    let item: ColumnType = NULL_TYPE;
    for (const v of value as unknown[]) {
      item = mergeType(item, typeAt(v, depth + 1));
      if (item.kind === 'json') return JSON_TYPE;
    }
    return { kind: 'list', item };
  }
  if (isPlainObject(value)) {
    const fields: StructField[] = [];
    for (const [name, v] of Object.entries(value))
      fields.push({ name, type: typeAt(v, depth + 1) });
    if (fields.length > 0) return { kind: 'struct', fields };
  }
  return JSON_TYPE;
}

function scalarTypeOf(value: unknown): ScalarType {
  switch (typeof value) {
    case 'string':
      return { kind: 'utf8' };
    case 'boolean':
      return { kind: 'bool' };
    case 'bigint':
      return { kind: 'int64', js: 'bigint' };
    case 'number':
      return Number.isSafeInteger(value) ? { kind: 'int64', js: 'number' } : { kind: 'float64' };
    case 'object':
      if (value === null) return NULL_TYPE;
      if (value instanceof Date) return { kind: 'timestamp' };
      return JSON_TYPE;
    default:
      return JSON_TYPE;
  }
}

const NULL_TYPE = { kind: 'null' } as const;
const JSON_TYPE = { kind: 'json' } as const;

function mergeType(a: ColumnType, b: ColumnType): ColumnType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'struct' || b.kind === 'struct') {
    return a.kind === 'struct' && b.kind === 'struct' ? mergeStruct(a.fields, b.fields) : JSON_TYPE;
  }
  if (a.kind === 'list' && b.kind === 'list') {
    const item = mergeType(a.item, b.item);
    return item.kind === 'json' ? JSON_TYPE : { kind: 'list', item };
  }
  // Empty arrays (a list of nothing yet) fit an embedding column.
  if (a.kind === 'list_float32' || b.kind === 'list_float32') {
    const other = a.kind === 'list_float32' ? b : a;
    if (other.kind === 'list_float32') return a;
    return other.kind === 'list' && other.item.kind === 'null'
      ? { kind: 'list_float32' }
      : JSON_TYPE;
  }
  if (a.kind === 'list' || b.kind === 'list') return JSON_TYPE;
  return mergeScalar(a, b);
}

function mergeScalar(a: ScalarType, b: ScalarType): ScalarType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'int64' && b.kind === 'int64') {
    return a.js === b.js ? a : { kind: 'int64', js: 'bigint' };
  }
  const numeric = (t: ScalarType) => t.kind === 'int64' || t.kind === 'float64';
  // A bigint column stays exact: mixing it with fractions goes to JSON rather than lose digits.
  if (numeric(a) && numeric(b)) {
    const bigint = (t: ScalarType) => t.kind === 'int64' && t.js === 'bigint';
    return bigint(a) || bigint(b) ? JSON_TYPE : { kind: 'float64' };
  }
  return a.kind === b.kind ? a : JSON_TYPE;
}

/** Structs with the same keys merge field by field (a conflicting field becomes JSON). */
function mergeStruct(a: StructField[], b: StructField[]): ColumnType {
  if (a.length !== b.length) return JSON_TYPE;
  const fields: StructField[] = [];
  for (const fa of a) {
    const fb = b.find((f) => f.name === fa.name);
    if (!fb) return JSON_TYPE;
    fields.push({ name: fa.name, type: mergeType(fa.type, fb.type) });
  }
  return { kind: 'struct', fields };
}

function isNumberArray(value: unknown): value is number[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const v of value) if (typeof v !== 'number') return false;
  return true;
}

/** An object made by `{}`, JSON.parse or Object.create(null): no class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
