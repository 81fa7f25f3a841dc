/**
 * One Parquet file from a run's committed row groups, streamed group by group:
 * each group is read back, rebuilt with the run's unified column types (a later
 * group may have widened a type), handed to parquet-wasm's `transformParquetStream`
 * as one record batch, and the Parquet bytes it produces go straight to disk.
 * Only one row group is in memory at a time.
 *
 * Parquet row groups: the writer cuts a row group every `bufferSize` rows (the
 * run's row-group size), so a run whose groups are full gets exactly one Parquet
 * row group per committed row group. parquet-wasm 0.8 has no call to end a row
 * group early, so after a group that lost rows the boundaries shift: the rows and
 * their order are still exactly those committed.
 */
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Table as WasmTable, transformParquetStream } from 'parquet-wasm/esm';
import type { RecordBatch as WasmRecordBatch } from 'parquet-wasm/esm';
import { ErrorCodes, RunError, StoreError, TabsynthError } from '../core/errors.ts';
import { arrowTableToIPC, rowsToArrowTable } from '../core/export/arrow.ts';
import { inferColumnTypes, mergeColumnTypes } from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import { buildWriterProperties, writeParquetBytes } from '../core/export/parquet.ts';
import type { ParquetCompression } from '../core/export/parquet.ts';
import type { Row, RowGroupStore } from '../core/storage/types.ts';
import { DirectoryStore, writeAtomic } from './directory-store.ts';
import { initParquetNode } from './parquet-init.ts';

export interface SingleParquetOptions {
  /** Default: 'zstd'. */
  compression?: ParquetCompression;
  /** Aborts between row groups; the partial file is removed. */
  signal?: AbortSignal;
}

export interface SingleParquetResult {
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

  let rows = 0;
  let next = 0;
  const batches = new ReadableStream<WasmRecordBatch>({
    async pull(controller) {
      options.signal?.throwIfAborted();
      const id = ids[next++];
      if (id === undefined) return controller.close();
      const group = await store.readRowGroup(runId, id);
      rows += group.rows.length;
      const table = rowsToArrowTable(group.rows, columns, types);
      for (const batch of WasmTable.fromIPCStream(arrowTableToIPC(table)).recordBatches()) {
        controller.enqueue(batch);
      }
    },
  });
  const properties = buildWriterProperties({
    compression: options.compression ?? 'zstd',
    rowGroupSize: Math.max(1, manifest.bufferSize),
  });
  const parquet = (await transformParquetStream(batches, properties)) as ReadableStream<Uint8Array>;

  const tmp = join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.tmp`);
  let bytes = 0;
  try {
    const handle = await open(tmp, 'w');
    try {
      const reader = parquet.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        await handle.write(r.value);
        bytes += r.value.byteLength;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, outFile);
  } catch (err) {
    await rm(tmp, { force: true });
    if (
      err instanceof Error &&
      'code' in err &&
      typeof err.code === 'string' &&
      !(err instanceof TabsynthError)
    ) {
      throw new StoreError(
        ErrorCodes.STORE_IO,
        `cannot write ${outFile}: ${err.message}`,
        {},
        { cause: err },
      );
    }
    throw err;
  }
  return { rows, rowGroups: ids.length, bytes };
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
 * Processors' second output tables (schema_transform) of a run, each written next
 * to `outFile` as `<stem>.<processor>.parquet`. Returns the files written.
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
    const target = join(dirname(outFile), `${basename(outFile, '.parquet')}.${name}.parquet`);
    const table = rowsToArrowTable(rows, columns, inferColumnTypes(rows, columns));
    await writeAtomic(target, writeParquetBytes(table, { compression }));
    written.push(target);
  }
  return written;
}
