/**
 * The browser's RowGroupStore (SPEC 4): IndexedDB through idb-keyval, one database.
 * Its keys, schema versions and migrations are in core/storage/idb-schema.ts; the
 * migrations run when the store is first used. Every record read back is checked
 * (core/storage/idb-records.ts, manifest-check.ts), never cast: a damaged one is
 * STORE_DAMAGED (STORE_NEWER when a newer tabsynth wrote it) and affects only its own
 * run, which the list shows as damaged with the reason, and which can be deleted.
 *
 * `commit` writes the group, its processors' tables, the manifest that lists it and
 * the run's info in one `setMany`, which is one IndexedDB transaction: a crash
 * leaves all of them or none.
 * A commit that fails for space rejects with STORE_QUOTA and changes nothing, so
 * every group committed before stays readable and exportable.
 */
import { ErrorCodes, RunError, StoreError } from '../core/errors.ts';
import type { WireError } from '../core/errors.ts';
import { arrowTableFromIPC } from '../core/export/arrow.ts';
import { arrowTableToRows } from '../core/export/arrow-read.ts';
import { mergeColumnTypes } from '../core/export/column-types.ts';
import {
  checkDamageMark,
  checkGroupIpc,
  checkLaunch,
  checkRunInfo,
  checkStoredGroup,
} from '../core/storage/idb-records.ts';
import type { LaunchRecord, RunInfo, StoredGroup, TableInfo } from '../core/storage/idb-records.ts';
import {
  IDB_SCHEMA_VERSION,
  damageKey,
  groupKey,
  infoKey,
  launchKey,
  manifestKey,
  migrateStore,
  runOfKey,
  tableKey,
} from '../core/storage/idb-schema.ts';
import type { OpenedSchema } from '../core/storage/idb-schema.ts';
import {
  checkManifest,
  isRecordError,
  newerError,
  stampManifest,
} from '../core/storage/manifest-check.ts';
import type { RowGroupData, RowGroupStore, RunManifest } from '../core/storage/types.ts';
import { inlineEncoder } from './encode.ts';
import type { EncodedGroup, RowGroupEncoder } from './encode.ts';
import { idbBackend, isQuotaError } from './idb-backend.ts';
import type { KvBackend } from './idb-backend.ts';
import { keysByRun, listedRun } from './idb-listing.ts';
import type { StoredRunListing } from './idb-listing.ts';
import { fromRanges, toRanges } from '../core/storage/row-ranges.ts';
import { columnsOf } from '../core/storage/columnar.ts';
import type { ColumnValues } from '../core/storage/columnar.ts';

export type { LaunchRecord, RunInfo, StoredGroup, StoredRunListing, TableInfo };

/** The database runs live in. */
export const RUNS_DB = 'tabsynth-runs';

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
  const manifest = stampManifest(commit.manifest, IDB_SCHEMA_VERSION);
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
      [manifestKey(runId), manifest],
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
  /** The store's schema once its migrations ran (on first use). */
  #opened: Promise<OpenedSchema> | undefined;

  constructor(options: IdbRunStoreOptions = {}) {
    this.#kv = options.backend ?? idbBackend(options.dbName ?? RUNS_DB);
    this.#encoder = options.encoder ?? inlineEncoder;
    this.#writer = options.writer ?? inlineWriter(this.#kv, this.#encoder);
  }

  /** Opens the store: runs the migrations its schema needs (once; again after a failure). */
  open(): Promise<OpenedSchema> {
    this.#opened ??= storeIo('open the run store', () => migrateStore(this.#kv)).catch((err) => {
      this.#opened = undefined;
      throw err;
    });
    return this.#opened;
  }

  /** Opens the store for writing: a store a newer tabsynth migrated is only read. */
  async #openForWrite(): Promise<void> {
    const { version } = await this.open();
    if (version > IDB_SCHEMA_VERSION) {
      throw newerError("this browser's run store", version, IDB_SCHEMA_VERSION);
    }
  }

  /** The stored value at `key`, after the store is open. */
  async #get(key: string, action: string): Promise<unknown> {
    await this.open();
    return storeIo(action, () => this.#kv.get(key));
  }

  async loadManifest(runId: string): Promise<RunManifest | undefined> {
    const raw = await this.#get(manifestKey(runId), `read the manifest of run "${runId}"`);
    if (raw === undefined) return undefined;
    return checkManifest(raw, `manifest of run "${runId}"`, IDB_SCHEMA_VERSION, runId);
  }

  async saveManifest(manifest: RunManifest): Promise<void> {
    await this.#openForWrite();
    await storeIo(`save the manifest of run "${manifest.runId}"`, () =>
      this.#kv.set(manifestKey(manifest.runId), stampManifest(manifest, IDB_SCHEMA_VERSION)),
    );
  }

  async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    await this.#openForWrite();
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
    const group: RowGroupData = {
      id,
      firstRow: stored.firstRow,
      rowIndices: fromRanges(stored.ranges),
      ...this.#decode(stored),
    };
    if (stored.tables && stored.tables.length > 0) {
      group.extraTables = {};
      for (const name of stored.tables) {
        const part = await this.readStoredTable(runId, name, id);
        group.extraTables[name] = this.#decode(part);
      }
    }
    return group;
  }

  /** A processor's table for committed group `id`, as stored: what its export streams. */
  readStoredTable(runId: string, table: string, id: number): Promise<StoredGroup> {
    return this.#readGroupRecord(
      runId,
      id,
      tableKey(runId, table, id),
      `table "${table}" of row group ${id} of run "${runId}"`,
    );
  }

  /** A committed group as stored (Arrow IPC bytes): what export streams. */
  readStoredGroup(runId: string, id: number): Promise<StoredGroup> {
    return this.#readGroupRecord(
      runId,
      id,
      groupKey(runId, id),
      `row group ${id} of run "${runId}"`,
    );
  }

  /**
   * The group record (or table part) at `key`, checked. Missing: RUN_NOT_FOUND, or
   * STORE_DAMAGED when the run's manifest lists group `id` as committed. A damaged
   * record marks its run as damaged, for the list.
   */
  async #readGroupRecord(runId: string, id: number, key: string, record: string) {
    const raw = await this.#get(key, `read ${record}`);
    if (raw === undefined) {
      const manifest = await this.loadManifest(runId);
      if (!manifest?.committed.some((c) => c.id === id)) {
        throw new RunError(
          ErrorCodes.RUN_NOT_FOUND,
          `run "${runId}" has no ${record.replace(/ of run ".*"$/, '')} in IndexedDB`,
        );
      }
      throw await this.#marked(
        runId,
        new StoreError(
          ErrorCodes.STORE_DAMAGED,
          `${record} is missing from IndexedDB, though the run's manifest lists the group as committed`,
          { record },
        ),
      );
    }
    try {
      const stored = checkStoredGroup(raw, record, id);
      checkGroupIpc(stored, record);
      return stored;
    } catch (err) {
      throw isRecordError(err) ? await this.#marked(runId, err) : err;
    }
  }

  /** A stored group's rows (its bytes were checked when it was read). */
  #decode(stored: StoredGroup) {
    return arrowTableToRows(arrowTableFromIPC(stored.ipc));
  }

  /** Records why run `runId` is damaged (for the list), as far as the store lets it; returns `err`. */
  async #marked(runId: string, err: StoreError): Promise<StoreError> {
    try {
      await this.#kv.set(damageKey(runId), { code: err.code, message: err.message });
    } catch {
      // The error itself is what the caller reports; the mark only helps the list.
    }
    return err;
  }

  /** Bytes stored and column types of a run (zero and none before its first commit). */
  async runInfo(runId: string): Promise<RunInfo> {
    const raw = await this.#get(infoKey(runId), `read run "${runId}"`);
    return raw === undefined
      ? { bytes: 0, types: {} }
      : checkRunInfo(raw, `info of run "${runId}"`);
  }

  async saveLaunch(runId: string, launch: LaunchRecord): Promise<void> {
    await this.#openForWrite();
    await storeIo(`save run "${runId}"`, () => this.#kv.set(launchKey(runId), launch));
  }

  async loadLaunch(runId: string): Promise<LaunchRecord | undefined> {
    const raw = await this.#get(launchKey(runId), `read run "${runId}"`);
    return raw === undefined ? undefined : checkLaunch(raw, `launch record of run "${runId}"`);
  }

  /** Every run whose manifest reads back (a damaged run is left out: see listRunsWithSize). */
  async listRuns(): Promise<RunManifest[]> {
    return (await this.listRunsWithSize()).filter((r) => !r.damaged).map((r) => r.manifest);
  }

  /**
   * Every run in the store, each with the bytes it holds (row groups plus its seed
   * file) and its processors' tables; a run with a damaged, missing or newer record
   * is listed with `damaged` and never stops the others from being listed.
   */
  async listRunsWithSize(): Promise<StoredRunListing[]> {
    await this.open();
    const keys = await storeIo('list runs', () => this.#kv.keys());
    return Promise.all([...keysByRun(keys)].map(([runId, own]) => listedRun(this, runId, own)));
  }

  /** Why run `runId` was found damaged when one of its records was read, if it was. */
  async damageMark(runId: string): Promise<WireError | undefined> {
    const raw = await this.#get(damageKey(runId), `read run "${runId}"`);
    return raw === undefined ? undefined : checkDamageMark(raw, `damage mark of run "${runId}"`);
  }

  async deleteRun(runId: string): Promise<void> {
    await this.open();
    const keys = await storeIo('list runs', () => this.#kv.keys());
    const own = keys.filter((k) => runOfKey(k) === runId);
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
