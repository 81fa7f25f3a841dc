/** A seed file's bytes to a SeedDataset, the reader chosen by the file's extension. */
import { parseCsv, readError } from './csv.ts';
import { parseJson, parseJsonl } from './json.ts';
import { parseParquet } from './parquet.ts';
import type { SeedDataset, SeedSource } from './types.ts';

/** Reads CSV, JSONL, JSON (array of objects) or Parquet; throws ConfigError at `seed_config.source.path`. */
export async function readSeedDataset(source: SeedSource): Promise<SeedDataset> {
  const { name, bytes } = source;
  const ext = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'parquet') return parseParquet(name, bytes);
  if (ext !== 'csv' && ext !== 'jsonl' && ext !== 'json') {
    throw readError(name, `expected a .csv, .jsonl, .json or .parquet file, found '.${ext ?? ''}'`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw readError(name, 'expected UTF-8 text, found bytes that are not UTF-8');
  }
  if (ext === 'csv') return parseCsv(name, text);
  return ext === 'jsonl' ? parseJsonl(name, text) : parseJson(name, text);
}
