/**
 * `generate --out FILE.csv` / `FILE.jsonl` (Data Designer's other output formats):
 * a run's committed row groups in row order, one group in memory at a time, written
 * whole or not at all (file-output.ts).
 */
import { ErrorCodes, RunError } from '../core/errors.ts';
import { csvHeader, csvRows } from '../core/export/csv.ts';
import { jsonlRows } from '../core/export/jsonl.ts';
import type { RowGroupStore } from '../core/storage/types.ts';
import { writeFileAtomically } from './file-output.ts';
import { committedGroupReader } from './single-parquet.ts';

type TextFormat = 'csv' | 'jsonl';

/** Writes every committed row group of `runId` to `outFile`; resolves to the rows written. */
export async function writeTextFile(
  store: RowGroupStore,
  runId: string,
  outFile: string,
  format: TextFormat,
): Promise<number> {
  const manifest = await store.loadManifest(runId);
  if (!manifest) throw new RunError(ErrorCodes.RUN_NOT_FOUND, `no run "${runId}" to export`);
  const ids = manifest.committed.map((g) => g.id).sort((a, b) => a - b);
  const columns = manifest.columns;
  const read = committedGroupReader(store, runId);
  let rows = 0;
  await writeFileAtomically(outFile, async (handle) => {
    if (format === 'csv') await handle.write(csvHeader(columns));
    for (const id of ids) {
      const group = await read(id);
      const text = format === 'csv' ? csvRows(group.rows, columns) : jsonlRows(group.rows, columns);
      await handle.write(text);
      rows += group.rows.length;
    }
  });
  return rows;
}
