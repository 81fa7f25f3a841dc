/**
 * Parquet seed files, read by hyparquet (pure JavaScript, every codec through
 * hyparquet-compressors). INT64 values come back as bigint: they become numbers
 * when exact and text otherwise, so templates and the exporter see plain values.
 */
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { readError } from './csv.ts';
import type { SeedDataset } from './types.ts';

export async function parseParquet(name: string, bytes: Uint8Array): Promise<SeedDataset> {
  // hyparquet reads an ArrayBuffer; copy only when the bytes are a view into a larger one.
  const file =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.slice().buffer as ArrayBuffer);
  let columns: string[];
  let rows: Record<string, unknown>[];
  try {
    const metadata = parquetMetadata(file);
    columns = parquetSchema(metadata).children.map((c) => c.element.name);
    // Loaded on first use: importing it sets up wasm decoders, which every engine
    // start would otherwise pay for (~75 ms before a first preview).
    const { compressors } = await import('hyparquet-compressors');
    rows = await parquetReadObjects({ file, metadata, compressors });
  } catch (err) {
    throw readError(name, `not a readable Parquet file (${(err as Error).message})`);
  }
  const values = new Map<string, unknown[]>();
  for (const c of columns)
    values.set(
      c,
      rows.map((row) => plain(row[c])),
    );
  return { name, columns, values, rowCount: rows.length };
}

/** bigint to number when exact, else its decimal text; nested lists and structs likewise. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
