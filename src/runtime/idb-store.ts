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
  /** Where Arrow encoding runs. Default: inline (the calling thread). */
  encoder?: RowGroupEncoder;
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

export class IdbRunStore implements RowGroupStore {
  readonly #kv: KvBackend;
  readonly #encoder: RowGroupEncoder;
  /** Info of runs committed through this instance (commits of a run are serialized). */
  readonly #info = new Map<string, RunInfo>();
  /** Encodings started by `prepare`, by group key, until their commit. */
  readonly #prepared = new Map<string, Promise<EncodedGroup>>();

  constructor(options: IdbRunStoreOptions = {}) {
    this.#kv = options.backend ?? idbBackend(options.dbName ?? RUNS_DB);
    this.#encoder = options.encoder ?? inlineEncoder;
  }

  async loadManifest(runId: string): Promise<RunManifest | undefined> {
    return (await this.#io(`read the manifest of run "${runId}"`, () =>
      this.#kv.get(manifestKey(runId)),
    )) as RunManifest | undefined;
  }

  async saveManifest(manifest: RunManifest): Promise<void> {
    await this.#io(`save the manifest of run "${manifest.runId}"`, () =>
      this.#kv.set(manifestKey(manifest.runId), manifest),
    );
  }

  /**
   * Starts encoding `group` with the run's types known so far; its commit takes the
   * bytes. A type a group between now and then widens is merged at commit: the
   * group keeps the types it was written with (export re-encodes such a group).
   */
  prepare(runId: string, group: RowGroupData): void {
    const key = groupKey(runId, group.id);
    if (this.#prepared.has(key)) return;
    const encoded = this.#encode(group, this.#info.get(runId)?.types ?? {});
    encoded.catch(() => undefined); // its commit reports the failure
    this.#prepared.set(key, encoded);
  }

  async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    const runId = manifest.runId;
    try {
      await this.#commit(group, manifest);
    } catch (err) {
      this.#forgetPrepared(runId);
      throw err;
    }
  }

  async #commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    const runId = manifest.runId;
    const info = this.#info.get(runId) ?? (await this.runInfo(runId));
    const key = groupKey(runId, group.id);
    const prepared = this.#prepared.get(key);
    this.#prepared.delete(key);
    const encoded = await (prepared ?? this.#encode(group, info.types));
    const ranges = toRanges(group.rowIndices);
    const extra = Object.entries(group.extraTables ?? {});
    const stored: StoredGroup = {
      id: group.id,
      firstRow: group.firstRow,
      ranges,
      rows: group.rowIndices.length,
      columns: group.columns,
      types: encoded.types,
      ipc: encoded.ipc,
      ...(extra.length > 0 ? { tables: extra.map(([name]) => name) } : {}),
    };
    const entries: [string, unknown][] = [[groupKey(runId, group.id), stored]];
    let bytes = info.bytes + encoded.ipc.byteLength;
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
    const next: RunInfo = {
      bytes,
      types: mergeColumnTypes(info.types, encoded.types),
      ...(Object.keys(tables).length > 0 ? { tables } : {}),
    };
    entries.push([manifestKey(runId), manifest], [infoKey(runId), next]);
    await this.#io(`commit row group ${group.id} of run "${runId}"`, () =>
      this.#kv.setMany(entries),
    );
    this.#info.set(runId, next);
  }

  #encode(group: RowGroupData, known: ColumnTypes): Promise<EncodedGroup> {
    return this.#encoder.encode(
      group.values ?? columnsOf(group.rows, group.columns),
      group.rowIndices.length,
      group.columns,
      known,
    );
  }

  /** Drops the run's encodings waiting for a commit (the run failed or was deleted). */
  #forgetPrepared(runId: string): void {
    const prefix = groupPrefix(runId);
    for (const key of this.#prepared.keys()) if (key.startsWith(prefix)) this.#prepared.delete(key);
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
    const stored = (await this.#io(
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
    const stored = (await this.#io(`read row group ${id} of run "${runId}"`, () =>
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
    const info = (await this.#io(`read run "${runId}"`, () => this.#kv.get(infoKey(runId)))) as
      RunInfo | undefined;
    return info ?? { bytes: 0, types: {} };
  }

  async saveLaunch(runId: string, launch: LaunchRecord): Promise<void> {
    await this.#io(`save run "${runId}"`, () => this.#kv.set(launchKey(runId), launch));
  }

  async loadLaunch(runId: string): Promise<LaunchRecord | undefined> {
    return (await this.#io(`read run "${runId}"`, () => this.#kv.get(launchKey(runId)))) as
      LaunchRecord | undefined;
  }

  async listRuns(): Promise<RunManifest[]> {
    const keys = await this.#io('list runs', () => this.#kv.keys());
    const wanted = keys.filter((k) => k.startsWith('m/'));
    const values = await this.#io('list runs', () => this.#kv.getMany(wanted));
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
    this.#forgetPrepared(runId);
    const keys = await this.#io('list runs', () => this.#kv.keys());
    const own = keys.filter(
      (k) =>
        k === manifestKey(runId) ||
        k === infoKey(runId) ||
        k === launchKey(runId) ||
        k.startsWith(`g/${runId}/`) ||
        k.startsWith(tablePrefix(runId)),
    );
    await this.#io(`delete run "${runId}"`, () => this.#kv.delMany(own));
    this.#info.delete(runId);
  }

  async #io<T>(action: string, run: () => Promise<T>): Promise<T> {
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
}
