/**
 * A cell's value written out in full for the row detail view: text as it is (line
 * breaks kept), numbers with every digit, datetimes as the tables show them
 * (lib/values.ts), and nested values
 * (a person, a judge's scores, structured output, an embedding) as indented JSON.
 */

import { datetimeStyle, formatDatetime, type DatetimeStyle } from './values.ts';

/** How a value is shown: its text, and whether that text is JSON of a nested value. */
export interface FullValue {
  text: string;
  kind: 'text' | 'number' | 'json' | 'empty';
}

/** `value` in full; a datetime in `style`, its column's (default: the value's own). */
export function fullValue(value: unknown, style?: DatetimeStyle): FullValue {
  if (value === null || value === undefined) return { text: 'null', kind: 'empty' };
  if (typeof value === 'string') return { text: value, kind: 'text' };
  if (typeof value === 'number' || typeof value === 'bigint') {
    return { text: String(value), kind: 'number' };
  }
  if (typeof value === 'boolean') return { text: String(value), kind: 'text' };
  if (value instanceof Date) {
    return { text: formatDatetime(value, style ?? datetimeStyle([value])), kind: 'text' };
  }
  return { text: JSON.stringify(value, jsonReplacer, 2), kind: 'json' };
}

/** JSON of values JSON.stringify does not take as they are: bigints, typed arrays. */
function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return Array.from(v as unknown as ArrayLike<number>);
  }
  return v;
}
