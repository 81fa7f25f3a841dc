/**
 * One Parquet file from a run's committed row groups, streamed group by group:
 * each group is read back, rebuilt with the run's unified column types (a later
 * group may have widened a type), written by parquet-wasm as a Parquet row group
 * of exactly its rows and spliced into the file (core/export/parquet-groups.ts),
 * its bytes going straight to disk. Only one row group is in memory at a time.
 *
 * One Parquet row group per committed row group, whatever its size: a group that
 * lost rows (dropped rows, the last group) keeps its own boundaries.
 */
import { dirname, join, basename } from 'node:path';
import { ErrorCodes, RunError } from '../core/errors.ts';
import { arrowTableToIPC, rowsToArrowTable } from '../core/export/arrow.ts';
import { inferColumnTypes, mergeColumnTypes } from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import { writeParquetBytes } from '../core/export/parquet.ts';
import type { ParquetCompression } from '../core/export/parquet.ts';
import { writeParquetGroups } from '../core/export/parquet-groups.ts';
import type { ParquetGroupInput } from '../core/export/parquet-groups.ts';
import type { Row, RowGroupData, RowGroupStore } from '../core/storage/types.ts';
import { DirectoryStore } from './directory-store.ts';
import { writeAtomic } from './atomic-files.ts';
import { initParquetNode } from './parquet-init.ts';
import { writeFileAtomically } from './file-output.ts';

interface SingleParquetOptions {
  /** Default: 'zstd'. */
  compression?: ParquetCompression;
  /** Aborts between row groups; the partial file is removed. */
  signal?: AbortSignal;
}

interface SingleParquetResult {
  /** Rows written. */
  rows: number;
  /** Committed row groups read. */
  rowGroups: number;
  /** Bytes of the file. */
  bytes: number;
}

/**
 * Writes every committed row group of `runId` in `store`, in row order, to
 * `outFile` (atomically: a temp file renamed at the end).
 */
export async function writeSingleParquet(
  store: RowGroupStore,
  runId: string,
  outFile: string,
  options: SingleParquetOptions = {},
): Promise<SingleParquetResult> {
  initParquetNode();
  const manifest = await store.loadManifest(runId);
  if (!manifest) throw new RunError(ErrorCodes.RUN_NOT_FOUND, `no run "${runId}" to export`);
  const ids = manifest.committed.map((g) => g.id).sort((a, b) => a - b);
  if (ids.length === 0) {
    throw new RunError(
      ErrorCodes.RUN_NOTHING_COMMITTED,
      `run "${runId}" has no committed row groups to export`,
    );
  }
  const types = await unifiedTypes(store, runId, ids);
  const columns = manifest.columns;

  const read = committedGroupReader(store, runId);
  async function* groups(): AsyncGenerator<ParquetGroupInput> {
    for (const id of ids) {
      const group = await read(id);
      const table = rowsToArrowTable(group.rows, columns, types);
      yield { ipc: arrowTableToIPC(table), rows: group.rows.length };
    }
  }

  const written = await writeFileAtomically(outFile, (handle) =>
    writeParquetGroups(
      groups(),
      { compression: options.compression ?? 'zstd', signal: options.signal },
      async (chunk) => {
        await handle.write(chunk);
      },
    ),
  );
  return { rows: written.rows, rowGroups: ids.length, bytes: written.bytes };
}

/**
 * Reads a committed row group of `runId`, the ids taken from a manifest the caller
 * loaded: a DirectoryStore reads the part file without loading the manifest again.
 */
export function committedGroupReader(
  store: RowGroupStore,
  runId: string,
): (id: number) => Promise<RowGroupData> {
  return store instanceof DirectoryStore
    ? (id) => store.readCommittedPart(runId, id)
    : (id) => store.readRowGroup(runId, id);
}

/**
 * The widest types over all groups, so every batch has one schema. A DirectoryStore
 * reads them from the file footers; another store's groups are read once more.
 */
async function unifiedTypes(
  store: RowGroupStore,
  runId: string,
  ids: number[],
): Promise<ColumnTypes> {
  let types: ColumnTypes = {};
  for (const id of ids) {
    const groupTypes =
      store instanceof DirectoryStore
        ? await store.rowGroupTypes(runId, id)
        : await store.readRowGroup(runId, id).then((g) => inferColumnTypes(g.rows, g.columns));
    types = mergeColumnTypes(types, groupTypes);
  }
  return types;
}

/**
 * Processors' second output tables (schema_transform, dropped columns) of a run, each
 * written next to `outFile` (any extension) as `<stem>.<table>.parquet`. Returns the
 * files written.
 */
export async function writeExtraTables(
  store: DirectoryStore,
  runId: string,
  outFile: string,
  compression: ParquetCompression = 'zstd',
): Promise<string[]> {
  const manifest = await store.loadManifest(runId);
  if (!manifest) return [];
  const ids = manifest.committed.map((g) => g.id).sort((a, b) => a - b);
  const written: string[] = [];
  for (const name of await store.extraTableNames(runId)) {
    const rows: Row[] = [];
    let columns: string[] = [];
    for (const id of ids) {
      const part = await store.readExtraTable(runId, name, id);
      if (!part) continue;
      if (columns.length === 0) columns = part.columns;
      rows.push(...part.rows);
    }
    const stem = basename(outFile).replace(/\.[^.]*$/, '');
    const target = join(dirname(outFile), `${stem}.${name}.parquet`);
    const table = rowsToArrowTable(rows, columns, inferColumnTypes(rows, columns));
    await writeAtomic(target, writeParquetBytes(table, { compression }));
    written.push(target);
  }
  return written;
}
