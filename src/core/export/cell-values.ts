/**
 * Checks and conversions of single cell values for the Arrow builders (arrow.ts):
 * each either returns what the column's buffer holds or fails with an
 * INVALID_ARGUMENT that names the column, the expected kind and the value found.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';

export function toInteger(v: unknown, column: string): number | bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw misfit(column, 'an integer', v);
}

export function toFloat(v: unknown, column: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw misfit(column, 'a number', v);
}

export function toMillis(v: unknown, column: string): number | null {
  if (!(v instanceof Date)) throw misfit(column, 'a Date', v);
  const ms = v.getTime();
  return Number.isNaN(ms) ? null : ms;
}

export function toText(v: unknown, column: string): string {
  if (typeof v === 'string') return v;
  throw misfit(column, 'a string', v);
}

/** JSON that also holds bigints (as numbers when safe, else strings) and typed arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  return value;
}

export function misfit(column: string, expected: string, found: unknown): TabsynthError {
  const shown = typeof found === 'object' ? (found?.constructor?.name ?? 'object') : typeof found;
  return new TabsynthError(
    ErrorCodes.INVALID_ARGUMENT,
    `column "${column}": expected ${expected} to match the column's type, got ${shown} (${String(found).slice(0, 40)})`,
    { column },
  );
}
