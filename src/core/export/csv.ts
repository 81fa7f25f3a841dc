/**
 * CSV (RFC 4180) written a row group at a time: `csvHeader` once, then `csvRows`
 * per group, each returning text the caller encodes and streams. Records end in
 * CRLF; a field is quoted when it holds a comma, a quote, CR or LF, and its quotes
 * are doubled. Values: strings as they are, numbers and bigints in decimal,
 * booleans as true/false, Dates as ISO 8601 (UTC), null/undefined as an empty
 * field, anything nested (objects, lists, embeddings) as its JSON text.
 */
import type { Row } from '../storage/types.ts';
import { jsonReplacer } from './cell-values.ts';

const NEEDS_QUOTES = /[",\r\n]/;

/** The header record: the column names. */
export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvField).join(',')}\r\n`;
}

/** The records of `rows`, `columns` in that order. */
export function csvRows(rows: readonly Row[], columns: readonly string[]): string {
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) line += ',';
      line += csvField(csvText(row[columns[c]!]));
    }
    out += `${line}\r\n`;
  }
  return out;
}

/** One value as CSV text, before quoting. */
function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : String(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return JSON.stringify(value, jsonReplacer) ?? '';
  }
}

/** A field quoted when RFC 4180 requires it. */
function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
