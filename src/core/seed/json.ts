/**
 * JSON Lines seed files (one object per line) and `.json` files holding an array
 * of objects (pandas' `orient='records'`). Columns come in first-seen key order;
 * a key missing from a row is null there. Values keep their JSON types.
 */
import { readError } from './csv.ts';
import { datasetFromRows, type SeedDataset } from './types.ts';

/** Parses JSONL text; blank lines are skipped, anything else must be a JSON object. */
export function parseJsonl(name: string, text: string): SeedDataset {
  const rows: Record<string, unknown>[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw readError(name, `line ${i + 1} is not valid JSON (${(err as Error).message})`);
    }
    rows.push(asObject(name, value, `line ${i + 1}`));
  }
  return datasetFromRows(name, rows);
}

/** Parses a `.json` file: an array of objects, or (as pandas' lines=True) JSON Lines. */
export function parseJson(name: string, text: string): SeedDataset {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('[')) return parseJsonl(name, text);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw readError(name, `not valid JSON (${(err as Error).message})`);
  }
  const items = value as unknown[];
  return datasetFromRows(
    name,
    items.map((item, i) => asObject(name, item, `item ${i}`)),
  );
}

function asObject(name: string, value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw readError(name, `${where}: expected a JSON object (one row), found ${found}`);
  }
  return value as Record<string, unknown>;
}
