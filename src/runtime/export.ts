/**
 * Streamed export of a stored run (SPEC 4), in the export worker: committed row
 * groups are read from IndexedDB one at a time, in row order, and written as
 * Parquet (through parquet-wasm, one Parquet row group per committed group of
 * whatever size, spliced by core/export/parquet-groups.ts), CSV or JSONL to a
 * file handle or a Blob.
 *
 * Only one row group is decoded at a time. Groups stored with the run's final
 * column types go to Parquet as their stored Arrow IPC bytes; a group stored before
 * a type was widened is decoded and re-encoded with the final types. The run's
 * `after_run` processors (e.g. drop_columns at post_generation) are applied here,
 * group by group: committed groups stay as generated so a run can resume.
 */
import type { PlanProcessor } from '../core/engine/plan.ts';
import { ErrorCodes, RunError } from '../core/errors.ts';
import { sameColumnType } from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import { csvHeader, csvRows } from '../core/export/csv.ts';
import { jsonlRows } from '../core/export/jsonl.ts';
import type { ParquetCompression } from '../core/export/parquet.ts';
import { writeParquetGroups } from '../core/export/parquet-groups.ts';
import type { ParquetGroupInput } from '../core/export/parquet-groups.ts';
import type { Row } from '../core/storage/types.ts';
import { encodeRowGroup } from './encode.ts';
import type { ExportFormat, ExportResult } from './engine-api.ts';
import type { IdbRunStore, StoredGroup } from './idb-store.ts';
import { initParquetBrowser } from './parquet-init.ts';
import { afterRunOf, decodeGroup } from './read-rows.ts';
import { exportBaseName } from './run-names.ts';
import type { WorkerResult } from './protocol.ts';

export interface ExportJob {
  runId: string;
  /** Default: 'parquet'. */
  format?: ExportFormat;
  /** Default: 'zstd'. */
  compression?: ParquetCompression;
  /** Write here as a stream; default: return a Blob. */
  fileHandle?: FileSystemFileHandle;
  /** A processor's second output table (its name) instead of the dataset. Default: the dataset. */
  table?: string;
}

/** The export worker's API (workers/export.worker.ts). */
export interface ExportWorkerApi {
  /** Exports from the runs database `dbName` (default RUNS_DB). */
  exportRun(
    job: ExportJob,
    dbName?: string,
    onProgress?: (rowsWritten: number, rowsTotal: number) => unknown,
  ): Promise<WorkerResult<ExportResult>>;
}

const MIME: Record<ExportFormat, string> = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
};

/** Where exported bytes go. */
interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<Blob | undefined>;
  abort(): Promise<void>;
}

export async function exportStoredRun(
  store: IdbRunStore,
  job: ExportJob,
  onProgress?: (rowsWritten: number, rowsTotal: number) => void,
): Promise<ExportResult> {
  const format = job.format ?? 'parquet';
  if (!(format in MIME)) {
    throw new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `export format: expected 'parquet', 'csv' or 'jsonl', got ${JSON.stringify(format)}`,
    );
  }
  const manifest = await store.loadManifest(job.runId);
  if (!manifest) throw new RunError(ErrorCodes.RUN_NOT_FOUND, `no run "${job.runId}" to export`);
  const ids = manifest.committed.map((g) => g.id).sort((a, b) => a - b);
  if (ids.length === 0) {
    throw new RunError(
      ErrorCodes.RUN_NOTHING_COMMITTED,
      `run "${job.runId}" has no committed rows to export yet`,
    );
  }
  const info = await store.runInfo(job.runId);
  const launch = await store.loadLaunch(job.runId);
  const table = job.table;
  let source: GroupSource;
  if (table === undefined) {
    const afterRun = await afterRunOf(manifest, launch);
    source = new GroupSource((id) => store.readStoredGroup(job.runId, id), {
      ids,
      columns: manifest.columns,
      types: info.types,
      afterRun,
    });
  } else {
    const tableInfo = info.tables?.[table];
    if (!tableInfo) {
      const names = Object.keys(info.tables ?? {});
      throw new RunError(
        ErrorCodes.INVALID_ARGUMENT,
        `export table: run "${job.runId}" has no processor table ${JSON.stringify(table)} (it has ${names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : 'none'})`,
      );
    }
    source = new GroupSource((id) => store.readStoredTable(job.runId, table, id), {
      ids,
      columns: tableInfo.columns,
      types: tableInfo.types,
      afterRun: [],
    });
  }
  const sink = await openSink(job.fileHandle);
  let bytes = 0;
  const write = async (chunk: Uint8Array) => {
    bytes += chunk.byteLength;
    await sink.write(chunk);
  };
  const report = () => onProgress?.(source.rowsRead, manifest.rowsWritten);
  try {
    if (format === 'parquet') {
      await writeParquet(source, job.compression ?? 'zstd', write, report);
    } else {
      const encoder = new TextEncoder();
      let first = true;
      for (let group = await source.next(); group; group = await source.next()) {
        if (first && format === 'csv') await write(encoder.encode(csvHeader(group.columns)));
        first = false;
        const text =
          format === 'csv'
            ? csvRows(group.rows, group.columns)
            : jsonlRows(group.rows, group.columns);
        await write(encoder.encode(text));
        report();
      }
    }
  } catch (err) {
    await sink.abort();
    throw err;
  }
  const blob = await sink.close();
  const base = exportBaseName(job.runId, launch?.name, table);
  return {
    ...(blob ? { blob: new Blob([blob], { type: MIME[format] }) } : {}),
    rows: source.rowsRead,
    rowGroups: ids.length,
    bytes,
    fileName: `${base}.${format}`,
  };
}

/** Row groups read from IndexedDB ahead of the one being encoded. */
const READ_AHEAD = 4;

async function writeParquet(
  source: GroupSource,
  compression: ParquetCompression,
  write: (chunk: Uint8Array) => Promise<void>,
  report: () => void,
): Promise<void> {
  await initParquetBrowser();
  // Groups read ahead: IndexedDB reads the next ones while this one is encoded.
  async function* groups(): AsyncGenerator<ParquetGroupInput> {
    const ahead: Promise<ParquetGroupInput | undefined>[] = [];
    try {
      for (;;) {
        while (ahead.length < READ_AHEAD) {
          const read = source.nextIpc();
          read.catch(() => undefined); // a failed read ahead is reported when its turn comes
          ahead.push(read);
        }
        const group = await ahead.shift()!;
        if (!group) return;
        yield group;
      }
    } finally {
      ahead.length = 0; // abandoned on abort or failure
    }
  }
  await writeParquetGroups(groups(), { compression, onGroup: report }, write);
}

/** What a GroupSource streams: the dataset, or one processor's table. */
interface GroupSourceSpec {
  /** Committed group ids in row order. */
  ids: number[];
  /** The output's columns in order. */
  columns: string[];
  /** The output's final column types. */
  types: ColumnTypes;
  /** after_run processors to apply to each group (none for a processor's table). */
  afterRun: PlanProcessor[];
}

/** The committed groups of a run, one at a time, as rows or as Arrow IPC with the final types. */
class GroupSource {
  rowsRead = 0;
  #next = 0;
  readonly #readGroup: (id: number) => Promise<StoredGroup>;
  readonly #ids: number[];
  readonly #columns: string[];
  readonly #types: ColumnTypes;
  readonly #afterRun: PlanProcessor[];

  constructor(readGroup: (id: number) => Promise<StoredGroup>, spec: GroupSourceSpec) {
    this.#readGroup = readGroup;
    this.#ids = spec.ids;
    this.#columns = spec.columns;
    this.#types = spec.types;
    this.#afterRun = spec.afterRun;
  }

  /** The next group's rows (after_run processors applied), or undefined at the end. */
  async next(): Promise<{ columns: string[]; rows: Row[] } | undefined> {
    const stored = await this.#read();
    return stored ? this.#rows(stored) : undefined;
  }

  /** The next group as Arrow IPC bytes with the run's final types, or undefined at the end. */
  async nextIpc(): Promise<ParquetGroupInput | undefined> {
    const stored = await this.#read();
    if (!stored) return undefined;
    const columns = this.#columns;
    const asStored =
      this.#afterRun.length === 0 &&
      sameColumns(stored.columns, columns) &&
      columns.every((c) => {
        const a = stored.types[c];
        const b = this.#types[c];
        return a !== undefined && b !== undefined && sameColumnType(a, b);
      });
    if (asStored) {
      this.rowsRead += stored.rows;
      return { ipc: stored.ipc, rows: stored.rows };
    }
    const group = await this.#rows(stored);
    if (this.#afterRun.length === 0) group.columns = columns;
    // The final types; encodeRowGroup widens them by the group's values (and types a column after_run made).
    const types = pick(this.#types, group.columns);
    return { ipc: encodeRowGroup(group.rows, group.columns, types).ipc, rows: group.rows.length };
  }

  async #read(): Promise<StoredGroup | undefined> {
    const id = this.#ids[this.#next++];
    return id === undefined ? undefined : this.#readGroup(id);
  }

  async #rows(stored: StoredGroup): Promise<{ columns: string[]; rows: Row[] }> {
    const group = await decodeGroup(stored, this.#afterRun);
    this.rowsRead += group.rows.length;
    return group;
  }
}

async function openSink(handle: FileSystemFileHandle | undefined): Promise<Sink> {
  if (handle) {
    const writable = await handle.createWritable();
    return {
      write: (chunk) => writable.write(chunk as Uint8Array<ArrayBuffer>),
      close: async () => {
        await writable.close();
        return undefined;
      },
      abort: () => writable.abort().catch(() => undefined),
    };
  }
  // Chunks are folded into a Blob every few MB: the browser may keep a large Blob on disk.
  let blob = new Blob([]);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const fold = () => {
    blob = new Blob([blob, ...(pending as Uint8Array<ArrayBuffer>[])]);
    pending = [];
    pendingBytes = 0;
  };
  return {
    write: (chunk) => {
      // parquet-wasm may reuse its buffer: keep a copy.
      pending.push(chunk.slice());
      pendingBytes += chunk.byteLength;
      if (pendingBytes > 8 << 20) fold();
      return Promise.resolve();
    },
    close: () => {
      fold();
      return Promise.resolve(blob);
    },
    abort: () => Promise.resolve(),
  };
}

/** The same column names in the same order. */
function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function pick(types: ColumnTypes, columns: readonly string[]): ColumnTypes {
  const out: ColumnTypes = {};
  for (const c of columns) if (types[c] !== undefined) out[c] = types[c];
  return out;
}
