/**
 * `generate --out FILE.csv` / `FILE.jsonl` (Data Designer's other output formats):
 * a run's committed row groups in row order, one group in memory at a time, written
 * to a temp file renamed over FILE at the end.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, RunError, StoreError, TabsynthError } from '../core/errors.ts';
import { csvHeader, csvRows } from '../core/export/csv.ts';
import { jsonlRows } from '../core/export/jsonl.ts';
import type { RowGroupStore } from '../core/storage/types.ts';

export type TextFormat = 'csv' | 'jsonl';

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
  const tmp = join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.tmp`);
  let rows = 0;
  try {
    const handle = await open(tmp, 'w');
    try {
      if (format === 'csv') await handle.write(csvHeader(columns));
      for (const id of ids) {
        const group = await store.readRowGroup(runId, id);
        const text =
          format === 'csv' ? csvRows(group.rows, columns) : jsonlRows(group.rows, columns);
        await handle.write(text);
        rows += group.rows.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, outFile);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof TabsynthError) throw err;
    throw new StoreError(
      ErrorCodes.STORE_IO,
      `cannot write ${outFile}: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  return rows;
}
