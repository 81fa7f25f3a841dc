/**
 * Whether a run directory's part files share one Parquet schema (SPEC 6). Each part
 * is written with the types its run had seen so far, so a column that was all null in
 * one shard's groups (or whole numbers in one, text in another) differs between
 * parts; a reader of DIR/part-*.parquet (DuckDB, polars, Spark) takes one file's
 * schema for all and may refuse or cast the rest. `merge --out` writes one file with
 * the widened types; this says when that is needed. Only each part's footer is read.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import type { SchemaTree } from 'hyparquet';
import { join } from 'node:path';

/** Enough of the end of a part file to hold its footer in one read. */
const FOOTER_FETCH = 16 * 1024;

/** A column's Parquet type as text: `INT64`, `BYTE_ARRAY STRING`, `{a: INT64}`, `LIST<...>`. */
function describe(node: SchemaTree): string {
  const e = node.element;
  if (node.children.length > 0) {
    const kind = e.converted_type ?? e.logical_type?.type;
    const inner = node.children.map((c) => `${c.element.name}: ${describe(c)}`).join(', ');
    return kind ? `${kind}<${inner}>` : `{${inner}}`;
  }
  const logical = e.logical_type?.type ?? e.converted_type;
  return [e.type, logical].filter((p) => p !== undefined).join(' ');
}

/** Top-level column to its type description, of one Parquet file. */
async function partColumnTypes(path: string): Promise<Map<string, string>> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH });
  const root = parquetSchema(metadata);
  return new Map(root.children.map((c) => [c.element.name, describe(c)]));
}

/**
 * One line per column whose type differs between the parts: "column x is INT64 in
 * part-00001.parquet, BYTE_ARRAY STRING in part-00000.parquet", each type with the
 * first part (in name order) that has it. None when every part agrees.
 */
export async function schemaDisagreements(
  dir: string,
  parts: readonly string[],
): Promise<string[]> {
  /** column -> type -> first part with it */
  const seen = new Map<string, Map<string, string>>();
  for (const part of [...parts].sort()) {
    for (const [column, type] of await partColumnTypes(join(dir, part))) {
      let types = seen.get(column);
      if (!types) seen.set(column, (types = new Map()));
      if (!types.has(type)) types.set(type, part);
    }
  }
  const lines: string[] = [];
  for (const [column, types] of seen) {
    if (types.size < 2) continue;
    const where = [...types].map(([type, part]) => `${type} in ${part}`).join(', ');
    lines.push(`column ${column} is ${where}`);
  }
  return lines;
}
