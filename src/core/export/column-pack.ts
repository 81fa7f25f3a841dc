/**
 * Column arrays packed for postMessage. Structured cloning an array clones it value
 * by value (16 ms a row group of 10,000 rows here, on the engine worker that sends
 * it), so a column whose values all share one plain type crosses as one buffer or
 * one string instead: numbers and dates as a Float64Array, booleans as a Uint8Array
 * (all transferred), strings joined into one string with their lengths. Anything
 * else (objects, mixed types, numbers with nulls) crosses as it is.
 */

/** One packed column. */
export type PackedColumn =
  | { kind: 'values'; values: readonly unknown[] }
  | { kind: 'number'; values: Float64Array }
  /** Epoch milliseconds of Date values. */
  | { kind: 'date'; values: Float64Array }
  /** 0 false, 1 true, 2 null. */
  | { kind: 'bool'; values: Uint8Array }
  /** The strings joined; each one's length in UTF-16 units, NULL_LENGTH for null. */
  | { kind: 'string'; text: string; lengths: Uint32Array };

/** The length that marks a null in a packed string column. */
export const NULL_LENGTH = 0xffffffff;
const BOOL_NULL = 2;

/** `values` packed, with the buffers to transfer. */
export function packColumn(values: readonly unknown[]): {
  column: PackedColumn;
  transfer: ArrayBuffer[];
} {
  const n = values.length;
  switch (n === 0 ? undefined : kindOf(values)) {
    case 'number': {
      const packed = new Float64Array(n);
      for (let i = 0; i < n; i++) packed[i] = values[i] as number;
      return { column: { kind: 'number', values: packed }, transfer: [packed.buffer] };
    }
    case 'date': {
      const packed = new Float64Array(n);
      for (let i = 0; i < n; i++) packed[i] = (values[i] as Date).getTime();
      return { column: { kind: 'date', values: packed }, transfer: [packed.buffer] };
    }
    case 'bool': {
      const packed = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        packed[i] = v === null || v === undefined ? BOOL_NULL : v ? 1 : 0;
      }
      return { column: { kind: 'bool', values: packed }, transfer: [packed.buffer] };
    }
    case 'string': {
      const lengths = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        lengths[i] = typeof v === 'string' ? v.length : NULL_LENGTH;
      }
      // join() writes null and undefined as '': their lengths mark them.
      return {
        column: { kind: 'string', text: values.join(''), lengths },
        transfer: [lengths.buffer],
      };
    }
    default:
      return { column: { kind: 'values', values }, transfer: [] };
  }
}

/** A packed column back to plain values (a fresh array the caller owns). */
export function unpackColumn(column: PackedColumn): unknown[] {
  switch (column.kind) {
    case 'values':
      // It crossed a thread: a fresh array.
      return column.values as unknown[];
    case 'number':
      return Array.from(column.values);
    case 'date':
      return Array.from(column.values, (ms) => new Date(ms));
    case 'bool':
      return Array.from(column.values, (b) => (b === BOOL_NULL ? null : b === 1));
    case 'string': {
      const { text, lengths } = column;
      const out = new Array<unknown>(lengths.length);
      let at = 0;
      for (let i = 0; i < lengths.length; i++) {
        const len = lengths[i]!;
        if (len === NULL_LENGTH) {
          out[i] = null;
        } else {
          out[i] = text.slice(at, at + len);
          at += len;
        }
      }
      return out;
    }
  }
}

/** Each column of `columns` packed, with every buffer to transfer. */
export function packColumns(columns: Readonly<Record<string, readonly unknown[]>>): {
  values: Record<string, PackedColumn>;
  transfer: ArrayBuffer[];
} {
  const values: Record<string, PackedColumn> = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, column] of Object.entries(columns)) {
    const packed = packColumn(column);
    values[name] = packed.column;
    transfer.push(...packed.transfer);
  }
  return { values, transfer };
}

/**
 * The one plain type every value has: numbers (no null: NaN and null differ),
 * valid dates (no null), booleans or strings (null or undefined allowed, read
 * back as null). Undefined when the column mixes types or holds anything else.
 */
function kindOf(values: readonly unknown[]): 'number' | 'date' | 'bool' | 'string' | undefined {
  let kind: 'number' | 'date' | 'bool' | 'string' | undefined;
  let nulls = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let k: typeof kind;
    if (v === null || v === undefined) {
      nulls = true;
      continue;
    } else if (typeof v === 'number') k = 'number';
    else if (typeof v === 'string') k = 'string';
    else if (typeof v === 'boolean') k = 'bool';
    else if (v instanceof Date && !Number.isNaN(v.getTime())) k = 'date';
    else return undefined;
    if (kind === undefined) kind = k;
    else if (kind !== k) return undefined;
  }
  if (nulls && (kind === 'number' || kind === 'date')) return undefined;
  return kind;
}
