/**
 * CSV seed files (RFC 4180, parsed by d3-dsv) with one type per column, as pandas'
 * `read_csv` would give it: a column whose every non-empty cell is a number becomes
 * numbers, one whose every non-empty cell is true/false becomes booleans, anything
 * else stays text. An empty cell is null in every column.
 */
import { csvParseRows } from 'd3-dsv';
import { ConfigError } from '../errors.ts';
import type { SeedDataset } from './types.ts';

/** Where read errors point in the config. */
const SEED_PATH = 'seed_config.source.path';

/** A decimal number as pandas reads one: sign, digits, optional fraction and exponent. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const BOOLEAN = /^(?:true|false)$/i;

/** Parses CSV text (a leading BOM is ignored) whose first record is the header. */
export function parseCsv(name: string, text: string): SeedDataset {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const open = unclosedQuote(body);
  if (open !== undefined) {
    // d3-dsv would take the rest of the file as that one field; pandas refuses it too.
    throw readError(
      name,
      `line ${open} opens a quoted field that is never closed (expected a closing " before the end of the file)`,
    );
  }
  const records = csvParseRows(body);
  const header = records[0];
  if (!header || (header.length === 1 && header[0] === '')) {
    throw readError(name, 'expected a header row of column names, found an empty file');
  }
  const columns = header.map((h, i) => (h === '' ? `Unnamed: ${i}` : h));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw readError(name, `column '${c}' appears twice in the header`);
    seen.add(c);
  }

  const raw: string[][] = columns.map(() => []);
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (record.length === 1 && record[0] === '') continue; // a blank line, as pandas skips
    if (record.length > columns.length) {
      throw readError(
        name,
        `record ${r + 1} has ${record.length} fields, expected at most ${columns.length} (the header's)`,
      );
    }
    for (let c = 0; c < columns.length; c++) raw[c]!.push(record[c] ?? '');
  }

  const values = new Map<string, unknown[]>();
  columns.forEach((c, i) => values.set(c, typed(raw[i]!)));
  return { name, columns, values, rowCount: raw[0]?.length ?? 0 };
}

/**
 * The 1-based line where a quoted field opens and the file ends before its
 * closing quote, or undefined when every quoted field is closed. A quote opens a
 * field only at its start (RFC 4180); one inside an unquoted field is text.
 */
function unclosedQuote(text: string): number | undefined {
  let line = 1;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (fieldStart && ch === 0x22) {
      const opened = line;
      // Inside quotes: "" is a quote, a lone " closes; newlines are part of the field.
      for (i++; ; i++) {
        if (i >= text.length) return opened;
        const q = text.charCodeAt(i);
        if (q === 0x0a) line++;
        else if (q === 0x22) {
          if (text.charCodeAt(i + 1) !== 0x22) break;
          i++;
        }
      }
      fieldStart = false;
      continue;
    }
    if (ch === 0x0a) line++;
    fieldStart = ch === 0x2c || ch === 0x0a || ch === 0x0d;
  }
  return undefined;
}

/** One column's cells, converted to the one type they all share. */
function typed(cells: string[]): unknown[] {
  const filled = cells.filter((s) => s !== '');
  if (filled.length > 0 && filled.every(isSafeNumber)) {
    return cells.map((s) => (s === '' ? null : Number(s)));
  }
  if (filled.length > 0 && filled.every((s) => BOOLEAN.test(s))) {
    return cells.map((s) => (s === '' ? null : s.toLowerCase() === 'true'));
  }
  return cells.map((s) => (s === '' ? null : s));
}

/** A number that survives the conversion (an integer past 2^53 stays text rather than lose digits). */
function isSafeNumber(s: string): boolean {
  if (!NUMBER.test(s)) return false;
  return !INTEGER.test(s) || Number.isSafeInteger(Number(s));
}

export function readError(name: string, message: string): ConfigError {
  return new ConfigError([{ path: SEED_PATH, message: `seed file '${name}': ${message}` }]);
}
