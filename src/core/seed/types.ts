/**
 * Seed datasets (SPEC 1, `seed-dataset` columns): the bytes a host hands to core
 * and the table core reads from them. Core has no file system: Node reads the
 * config's `seed_config.source.path` (src/node/seed-files.ts), the browser hands
 * over a File's bytes.
 */

/** A seed file as the host provides it. */
export interface SeedSource {
  /** The file's name (its extension picks the reader: .csv, .jsonl, .json, .parquet). Required. */
  name: string;
  /** The file's content. Required. */
  bytes: Uint8Array;
}

/** A seed file read into columns. Values: string, number, boolean, null, Date, or JSON-like objects. */
export interface SeedDataset {
  /** The file's name, for messages. */
  name: string;
  /** Column names in the file's order. */
  columns: string[];
  /** One array of values per column, each `rowCount` long. */
  values: Map<string, unknown[]>;
  /** Number of rows. */
  rowCount: number;
}

/** Builds a SeedDataset from row objects; columns in first-seen order, missing cells null. */
export function datasetFromRows(
  name: string,
  rows: readonly Record<string, unknown>[],
): SeedDataset {
  const values = new Map<string, unknown[]>();
  rows.forEach((row, r) => {
    for (const key of Object.keys(row)) {
      let column = values.get(key);
      if (!column) {
        column = new Array<unknown>(rows.length).fill(null);
        values.set(key, column);
      }
      column[r] = row[key] ?? null;
    }
  });
  return { name, columns: [...values.keys()], values, rowCount: rows.length };
}
