/**
 * An Arrow table back to rows, restoring the JS values rowsToArrowTable was given:
 * each field's `tabsynth.type` metadata says how (int64 as number or bigint, Dates,
 * parsed JSON, structs as plain objects, embeddings as Float32Array). Fields without
 * that metadata come back as Arrow gives them, with structs as plain objects.
 */
import type { Field, Table, Vector } from 'apache-arrow';
import type { Row } from '../storage/types.ts';
import { TYPE_METADATA_KEY } from './arrow.ts';
import type { ColumnType, ColumnTypes, ScalarType } from './column-types.ts';

/** The rows of `table`, column order as in its schema. */
export function arrowTableToRows(table: Table): { columns: string[]; rows: Row[] } {
  return arrowRowsAt(table);
}

/**
 * Rows `indices` of `table` (default: every row), in that order: only those rows'
 * values are read, so a page of a large group costs its rows, not the group's.
 */
export function arrowRowsAt(
  table: Table,
  indices?: readonly number[],
): { columns: string[]; rows: Row[] } {
  const columns = table.schema.fields.map((f) => f.name);
  const rows: Row[] = Array.from({ length: indices?.length ?? table.numRows }, () => ({}));
  table.schema.fields.forEach((field, c) => {
    const vector = table.getChildAt(c);
    if (!vector) return;
    const read = readerFor(field);
    for (let k = 0; k < rows.length; k++) rows[k]![field.name] = read(vector, indices?.[k] ?? k);
  });
  return { columns, rows };
}

/**
 * One column of `table` as the values arrowTableToRows gives for it, or undefined
 * when the table has no such column: what reading a single column costs.
 */
export function arrowColumnValues(table: Table, name: string): unknown[] | undefined {
  const c = table.schema.fields.findIndex((f) => f.name === name);
  const field = table.schema.fields[c];
  const vector = table.getChildAt(c);
  if (!field || !vector) return undefined;
  const read = readerFor(field);
  const out = new Array<unknown>(table.numRows);
  for (let i = 0; i < out.length; i++) out[i] = read(vector, i);
  return out;
}

/** The ColumnTypes recorded in a table's field metadata (columns without it are left out). */
export function columnTypesOf(table: Table): ColumnTypes {
  const types: ColumnTypes = {};
  for (const field of table.schema.fields) {
    const type = typeOfField(field);
    if (type) types[field.name] = type;
  }
  return types;
}

type Reader = (vector: Vector, i: number) => unknown;

function typeOfField(field: Field): ColumnType | undefined {
  const raw = field.metadata.get(TYPE_METADATA_KEY);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as ColumnType;
  } catch {
    return undefined;
  }
}

function readerFor(field: Field): Reader {
  const type = typeOfField(field);
  if (type) return typeReader(type);
  return (vector, i) => plain(vector.get(i));
}

/** How to read a value of `type` (nested types read their children the same way). */
function typeReader(type: ColumnType): Reader {
  switch (type.kind) {
    case 'struct': {
      const readers = type.fields.map((f) => typeReader(f.type));
      return (vector, i) => {
        if (!vector.isValid(i)) return null;
        const out: Record<string, unknown> = {};
        type.fields.forEach((f, k) => {
          const child = vector.getChildAt(k);
          out[f.name] = child ? readers[k]!(child, i) : null;
        });
        return out;
      };
    }
    case 'list': {
      const read = typeReader(type.item);
      return (vector, i) => {
        if (!vector.isValid(i)) return null;
        const items = vector.get(i) as Vector;
        const out = new Array<unknown>(items.length);
        for (let j = 0; j < items.length; j++) out[j] = read(items, j);
        return out;
      };
    }
    case 'list_float32':
      return (vector, i) => {
        const v = vector.get(i) as Vector | null;
        return v === null ? null : Float32Array.from(v.toArray() as ArrayLike<number>);
      };
    default:
      return scalarReader(type);
  }
}

function scalarReader(type: ScalarType): Reader {
  const get = (vector: Vector, i: number): unknown => (vector.isValid(i) ? vector.get(i) : null);
  switch (type.kind) {
    case 'int64':
      if (type.js === 'bigint') return get;
      return (vector, i) => {
        const v = get(vector, i);
        return typeof v === 'bigint' ? Number(v) : v;
      };
    case 'timestamp':
      return (vector, i) => {
        const v = get(vector, i);
        return v === null ? null : new Date(Number(v));
      };
    case 'json':
      return (vector, i) => {
        const v = get(vector, i);
        return typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
      };
    default:
      return get;
  }
}

/** Arrow's row proxies as plain objects. */
function plain(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'toJSON' in value) {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}
