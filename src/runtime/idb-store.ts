/**
 * The browser's RowGroupStore (SPEC 4): IndexedDB through idb-keyval, one database.
 *
 * Keys, per run:
 * - `m/<runId>`: the RunManifest;
 * - `g/<runId>/<id>`: a committed row group as Arrow IPC bytes (StoredGroup);
 * - `i/<runId>`: RunInfo: bytes stored and the run's widened column types;
 * - `l/<runId>`: LaunchRecord: what resume needs besides the manifest (the seed
 *   file, whether models were simulated);
 * - `t/<runId>/<processor>/<id>`: the group's rows of a processor's second output
 *   table (schema_transform), as Arrow IPC bytes (StoredGroup).
 *
 * `commit` writes the group, its processors' tables, the manifest that lists it and
 * the run's info in one `setMany`, which is one IndexedDB transaction: a crash
 * leaves all of them or none.
 * A commit that fails for space rejects with STORE_QUOTA and changes nothing, so
 * every group committed before stays readable and exportable.
 */
import { ErrorCodes, RunError, StoreError } from '../core/errors.ts';
import { arrowTableFromIPC } from '../core/export/arrow.ts';
import { arrowTableToRows } from '../core/export/arrow-read.ts';
import { mergeColumnTypes } from '../core/export/column-types.ts';
import type { ColumnTypes } from '../core/export/column-types.ts';
import type { RowGroupData, RowGroupStore, RunManifest } from '../core/storage/types.ts';
import { inlineEncoder } from './encode.ts';
import type { EncodedGroup, RowGroupEncoder } from './encode.ts';
import { idbBackend, isQuotaError } from './idb-backend.ts';
import type { KvBackend } from './idb-backend.ts';
import { fromRanges, toRanges } from '../core/storage/row-ranges.ts';
import { columnsOf } from '../core/storage/columnar.ts';
import type { ColumnValues } from '../core/storage/columnar.ts';

/** The database runs live in. */
export const RUNS_DB = 'tabsynth-runs';

/** One committed row group as stored. */
export interface StoredGroup {
  id: number;
  /** Global index of the group's first row. */
  firstRow: number;
  /** Surviving row indices as [first, last] runs (a full group is one pair). */
  ranges: [number, number][];
  /** Rows in the group. */
  rows: number;
  columns: string[];
  /** The types `ipc` was written with (may be narrower than the run's final types). */
  types: ColumnTypes;
  /** Arrow IPC stream bytes. */
  ipc: Uint8Array;
  /** Names of the processors' tables stored with this group (under `t/` keys). Default: none. */
  tables?: string[];
}

/** A processor's output table across a run's committed groups. */
export interface TableInfo {
  /** Its columns, in order of first appearance. */
  columns: string[];
  /** Its column types, widened by every committed group. */
  types: ColumnTypes;
}

/** Per-run bookkeeping written with every commit. */
export interface RunInfo {
  /** Bytes of committed Arrow IPC. */
  bytes: number;
  /** The run's column types, widened by every committed group. */
  types: ColumnTypes;
  /** The processors' second output tables, by processor name. Default: none. */
  tables?: Record<string, TableInfo>;
}

/** What a run was started with, beyond its manifest, so a reload can resume it. */
export interface LaunchRecord {
  /** The config as written (parsed, secrets removed): what resume compiles again. */
  config?: unknown;
  /** Models ran on the simulated provider. */
  simulate: boolean;
  /** Cache real providers' responses. */
  cache: boolean;
  /** The seed dataset file, when the config has one. */
  seedFile?: { name: string; bytes: Uint8Array };
}

export interface IdbRunStoreOptions {
  /** Database name. Default: RUNS_DB. */
  dbName?: string;
  /** Where Arrow encoding of processors' tables (and, without `writer`, of groups) runs. Default: inline. */
  encoder?: RowGroupEncoder;
  /**
   * Encodes and writes a group's commit (a group without processor tables): on a
   * compute worker (compute.ts poolWriter), so neither the encoding nor IndexedDB's
   * copy of the bytes holds up the engine. Default: `encoder`, then this store's backend.
   */
  writer?: GroupWriter;
  /** The IndexedDB operations (tests inject failures). Default: idb-keyval over `dbName`. */
  backend?: KvBackend;
}

const manifestKey = (runId: string) => `m/${runId}`;
const infoKey = (runId: string) => `i/${runId}`;
const launchKey = (runId: string) => `l/${runId}`;
const groupPrefix = (runId: string) => `g/${runId}/`;
const groupKey = (runId: string, id: number) =>
  `${groupPrefix(runId)}${String(id).padStart(6, '0')}`;
const tablePrefix = (runId: string) => `t/${runId}/`;
const tableKey = (runId: string, table: string, id: number) =>
  `${tablePrefix(runId)}${encodeURIComponent(table)}/${String(id).padStart(6, '0')}`;

/** One commit of a row group, but for its encoded bytes: what a GroupWriter writes. */
export interface GroupCommit {
  runId: string;
  /** The stored group but for the bytes and the types they are written with. */
  group: Omit<StoredGroup, 'ipc' | 'types'>;
  /** The run's info before this commit (processor tables of this commit already in). */
  info: RunInfo;
  /** The manifest that lists the group. */
  manifest: RunManifest;
  /** Entries of the same transaction: the group's processor tables. Default: none. */
  extra?: [string, unknown][];
}

/** Encodes a group's columns and writes its commit; resolves with the run's new info. */
export interface GroupWriter {
  write(values: ColumnValues, length: number, commit: GroupCommit): Promise<RunInfo>;
}

/**
 * Writes an encoded group with its run's manifest and info (widened by the group's
 * types) in one transaction. Runs where the writer runs: this worker or a compute worker.
 */
export async function writeCommit(
  kv: KvBackend,
  commit: GroupCommit,
  encoded: EncodedGroup,
): Promise<RunInfo> {
  const { runId, group, info } = commit;
  const stored: StoredGroup = { ...group, types: encoded.types, ipc: encoded.ipc };
  const next: RunInfo = {
    ...info,
    bytes: info.bytes + encoded.ipc.byteLength,
    types: mergeColumnTypes(info.types, encoded.types),
  };
  await storeIo(`commit row group ${group.id} of run "${runId}"`, () =>
    kv.setMany([
      [groupKey(runId, group.id), stored],
      ...(commit.extra ?? []),
      [manifestKey(runId), commit.manifest],
      [infoKey(runId), next],
    ]),
  );
  return next;
}

/** A GroupWriter on this thread: `encoder`, then `kv`. */
function inlineWriter(kv: KvBackend, encoder: RowGroupEncoder): GroupWriter {
  return {
    write: async (values, length, commit) =>
      writeCommit(
        kv,
        commit,
        await encoder.encode(values, length, commit.group.columns, commit.info.types),
      ),
  };
}

export class IdbRunStore implements RowGroupStore {
  readonly #kv: KvBackend;
  readonly #encoder: RowGroupEncoder;
  readonly #writer: GroupWriter;
  /** Info of runs committed through this instance (commits of a run are serialized). */
  readonly #info = new Map<string, RunInfo>();

  constructor(options: IdbRunStoreOptions = {}) {
    this.#kv = options.backend ?? idbBackend(options.dbName ?? RUNS_DB);
    this.#encoder = options.encoder ?? inlineEncoder;
    this.#writer = options.writer ?? inlineWriter(this.#kv, this.#encoder);
  }

  async loadManifest(runId: string): Promise<RunManifest | undefined> {
    return (await storeIo(`read the manifest of run "${runId}"`, () =>
      this.#kv.get(manifestKey(runId)),
    )) as RunManifest | undefined;
  }

  async saveManifest(manifest: RunManifest): Promise<void> {
    await storeIo(`save the manifest of run "${manifest.runId}"`, () =>
      this.#kv.set(manifestKey(manifest.runId), manifest),
    );
  }

  async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    const runId = manifest.runId;
    const info = this.#info.get(runId) ?? (await this.runInfo(runId));
    const ranges = toRanges(group.rowIndices);
    const extra = Object.entries(group.extraTables ?? {});
    const entries: [string, unknown][] = [];
    let bytes = info.bytes;
    const tables: Record<string, TableInfo> = { ...info.tables };
    for (const [name, table] of extra) {
      const known = tables[name];
      const enc = await this.#encoder.encode(
        columnsOf(table.rows, table.columns),
        table.rows.length,
        table.columns,
        known?.types ?? {},
      );
      const columns = [...(known?.columns ?? [])];
      for (const c of table.columns) if (!columns.includes(c)) columns.push(c);
      tables[name] = { columns, types: enc.types };
      bytes += enc.ipc.byteLength;
      const part: StoredGroup = {
        id: group.id,
        firstRow: group.firstRow,
        ranges,
        rows: table.rows.length,
        columns: table.columns,
        types: enc.types,
        ipc: enc.ipc,
      };
      entries.push([tableKey(runId, name, group.id), part]);
    }
    const next = await this.#writer.write(
      group.values ?? columnsOf(group.rows, group.columns),
      group.rowIndices.length,
      {
        runId,
        group: {
          id: group.id,
          firstRow: group.firstRow,
          ranges,
          rows: group.rowIndices.length,
          columns: group.columns,
          ...(extra.length > 0 ? { tables: extra.map(([name]) => name) } : {}),
        },
        info: { ...info, bytes, ...(Object.keys(tables).length > 0 ? { tables } : {}) },
        manifest,
        ...(entries.length > 0 ? { extra: entries } : {}),
      },
    );
    this.#info.set(runId, next);
  }

  async readRowGroup(runId: string, id: number): Promise<RowGroupData> {
    const stored = await this.readStoredGroup(runId, id);
    const { columns, rows } = arrowTableToRows(arrowTableFromIPC(stored.ipc));
    const group: RowGroupData = {
      id,
      firstRow: stored.firstRow,
      rowIndices: fromRanges(stored.ranges),
      columns,
      rows,
    };
    if (stored.tables && stored.tables.length > 0) {
      group.extraTables = {};
      for (const name of stored.tables) {
        const part = await this.readStoredTable(runId, name, id);
        group.extraTables[name] = arrowTableToRows(arrowTableFromIPC(part.ipc));
      }
    }
    return group;
  }

  /** A processor's table for committed group `id`, as stored: what its export streams. */
  async readStoredTable(runId: string, table: string, id: number): Promise<StoredGroup> {
    const stored = (await storeIo(
      `read table "${table}" of row group ${id} of run "${runId}"`,
      () => this.#kv.get(tableKey(runId, table, id)),
    )) as StoredGroup | undefined;
    if (!stored) {
      throw new RunError(
        ErrorCodes.RUN_NOT_FOUND,
        `run "${runId}" has no table "${table}" for committed row group ${id} in IndexedDB`,
      );
    }
    return stored;
  }

  /** A committed group as stored (Arrow IPC bytes): what export streams. */
  async readStoredGroup(runId: string, id: number): Promise<StoredGroup> {
    const stored = (await storeIo(`read row group ${id} of run "${runId}"`, () =>
      this.#kv.get(groupKey(runId, id)),
    )) as StoredGroup | undefined;
    if (!stored) {
      throw new RunError(
        ErrorCodes.RUN_NOT_FOUND,
        `run "${runId}" has no committed row group ${id} in IndexedDB`,
      );
    }
    return stored;
  }

  /** Bytes stored and column types of a run (zero and none before its first commit). */
  async runInfo(runId: string): Promise<RunInfo> {
    const info = (await storeIo(`read run "${runId}"`, () => this.#kv.get(infoKey(runId)))) as
      RunInfo | undefined;
    return info ?? { bytes: 0, types: {} };
  }

  async saveLaunch(runId: string, launch: LaunchRecord): Promise<void> {
    await storeIo(`save run "${runId}"`, () => this.#kv.set(launchKey(runId), launch));
  }

  async loadLaunch(runId: string): Promise<LaunchRecord | undefined> {
    return (await storeIo(`read run "${runId}"`, () => this.#kv.get(launchKey(runId)))) as
      LaunchRecord | undefined;
  }

  async listRuns(): Promise<RunManifest[]> {
    const keys = await storeIo('list runs', () => this.#kv.keys());
    const wanted = keys.filter((k) => k.startsWith('m/'));
    const values = await storeIo('list runs', () => this.#kv.getMany(wanted));
    return values.filter((m): m is RunManifest => m !== undefined);
  }

  /** Every run with the bytes it holds (row groups plus its seed file) and its processors' tables. */
  async listRunsWithSize(): Promise<{ manifest: RunManifest; bytes: number; tables: string[] }[]> {
    const manifests = await this.listRuns();
    return Promise.all(
      manifests.map(async (manifest) => {
        const [info, launch] = await Promise.all([
          this.runInfo(manifest.runId),
          this.loadLaunch(manifest.runId),
        ]);
        return {
          manifest,
          bytes: info.bytes + (launch?.seedFile?.bytes.byteLength ?? 0),
          tables: Object.keys(info.tables ?? {}).sort(),
        };
      }),
    );
  }

  async deleteRun(runId: string): Promise<void> {
    const keys = await storeIo('list runs', () => this.#kv.keys());
    const own = keys.filter(
      (k) =>
        k === manifestKey(runId) ||
        k === infoKey(runId) ||
        k === launchKey(runId) ||
        k.startsWith(groupPrefix(runId)) ||
        k.startsWith(tablePrefix(runId)),
    );
    await storeIo(`delete run "${runId}"`, () => this.#kv.delMany(own));
    this.#info.delete(runId);
  }
}

/** Runs an IndexedDB operation; its failure as a StoreError (STORE_QUOTA when storage is full). */
async function storeIo<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isQuotaError(err)) {
      throw new StoreError(
        ErrorCodes.STORE_QUOTA,
        `cannot ${action}: browser storage is full (IndexedDB quota exceeded); rows committed so far are kept and can be exported; delete old runs to free space`,
        {},
        { cause: err },
      );
    }
    if (err instanceof RunError || err instanceof StoreError) throw err;
    throw new StoreError(
      ErrorCodes.STORE_IO,
      `cannot ${action}: IndexedDB failed: ${(err as Error)?.message ?? String(err)}`,
      {},
      { cause: err },
    );
  }
}
