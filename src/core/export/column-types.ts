/**
 * The Arrow/Parquet type of each output column (SPEC 4), inferred from the values a
 * run produced. A run fixes one `ColumnTypes` so every row group it writes has the
 * same schema; `mergeColumnTypes` widens it when a later group shows more.
 */
import type { Row } from '../storage/types.ts';

/** Types a struct field may take: scalars, or a JSON string for anything nested. */
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
  /** The field's type. */
  type: ScalarType;
}

export type ColumnType =
  | ScalarType
  /** Plain objects that all have the same keys (person, judge scores, structured output). */
  | { kind: 'struct'; fields: StructField[] }
  /** Float32Array or number[] values (embeddings); read back as Float32Array. */
  | { kind: 'list_float32' };

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

/** `type` widened to hold `value`. */
function widen(type: ColumnType, value: unknown): ColumnType {
  // Hot path (every row group of a run): a value the type already holds changes nothing.
  return holds(type, value) ? type : mergeType(type, typeOfValue(value));
}

/** Whether `mergeType(type, typeOfValue(value))` is `type` again, for the common scalar cases. */
function holds(type: ColumnType, value: unknown): boolean {
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
    default:
      return false;
  }
}

/**
 * The narrowest types that hold the values of both `a` and `b`: null gives way to
 * anything, int64 widens to float64, differing struct keys or kinds become JSON.
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

/** The type one value asks for. */
export function typeOfValue(value: unknown): ColumnType {
  if (value === null || value === undefined) return { kind: 'null' };
  const scalar = scalarTypeOf(value);
  if (scalar.kind !== 'json') return scalar;
  if (value instanceof Float32Array || isNumberArray(value)) return { kind: 'list_float32' };
  if (isPlainObject(value)) {
    const fields: StructField[] = [];
    for (const [name, v] of Object.entries(value)) {
      const t = v === undefined ? ({ kind: 'null' } as const) : scalarTypeOf(v);
      fields.push({ name, type: t });
    }
    if (fields.length > 0) return { kind: 'struct', fields };
  }
  return { kind: 'json' };
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
      if (value === null) return { kind: 'null' };
      if (value instanceof Date) return { kind: 'timestamp' };
      return { kind: 'json' };
    default:
      return { kind: 'json' };
  }
}

function mergeType(a: ColumnType, b: ColumnType): ColumnType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'struct' || b.kind === 'struct') {
    return a.kind === 'struct' && b.kind === 'struct' ? mergeStruct(a.fields, b.fields) : JSON_TYPE;
  }
  if (a.kind === 'list_float32' || b.kind === 'list_float32') {
    return a.kind === b.kind ? a : JSON_TYPE;
  }
  return mergeScalar(a, b);
}

const JSON_TYPE = { kind: 'json' } as const;

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

function mergeStruct(a: StructField[], b: StructField[]): ColumnType {
  if (a.length !== b.length) return JSON_TYPE;
  const fields: StructField[] = [];
  for (let i = 0; i < a.length; i++) {
    const fa = a[i];
    const fb = b.find((f) => f.name === fa?.name);
    if (!fa || !fb) return JSON_TYPE;
    fields.push({ name: fa.name, type: mergeScalar(fa.type, fb.type) });
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
