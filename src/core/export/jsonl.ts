/**
 * JSON Lines written a row group at a time: `jsonlRows` returns one JSON object per
 * row, keys in column order, each line ending in LF. Dates become ISO 8601 strings,
 * bigints numbers when safe (else decimal strings), embeddings (Float32Array) arrays
 * of numbers, non-finite numbers null (as JSON has no NaN).
 */
import type { Row } from '../storage/types.ts';
import { jsonReplacer } from './cell-values.ts';

/** The lines of `rows`, keys `columns` in that order. */
export function jsonlRows(rows: readonly Row[], columns: readonly string[]): string {
  let out = '';
  for (const row of rows) {
    const ordered: Row = {};
    for (const c of columns) ordered[c] = row[c] === undefined ? null : row[c];
    out += `${JSON.stringify(ordered, jsonReplacer)}\n`;
  }
  return out;
}
