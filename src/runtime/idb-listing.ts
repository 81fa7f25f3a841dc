/**
 * The run store's list of runs (idb-store.ts listRunsWithSize): every run found
 * among the store's keys, each read on its own, so a run with a damaged, missing or
 * newer record is listed as damaged, with the reason, and never hides the others.
 */
import { ErrorCodes, StoreError } from '../core/errors.ts';
import type { WireError } from '../core/errors.ts';
import type { LaunchRecord, RunInfo } from '../core/storage/idb-records.ts';
import { damageKey, groupKey, runOfKey } from '../core/storage/idb-schema.ts';
import { isRecordError } from '../core/storage/manifest-check.ts';
import type { RunManifest } from '../core/storage/types.ts';

/** A stored run as listed: its manifest, the bytes it holds, and whether it is damaged. */
export interface StoredRunListing {
  /**
   * The run's manifest. When the manifest itself is missing or damaged, a stand-in
   * that holds only the run's id (no rows, no columns, created at 0, status 'failed').
   */
  manifest: RunManifest;
  /** Bytes of its row groups (Arrow IPC) and seed file (0 when its info is damaged). */
  bytes: number;
  /** Names of its processors' tables, sorted. */
  tables: string[];
  /** Why the run cannot be read (STORE_DAMAGED or STORE_NEWER), when it cannot. Default: none. */
  damaged?: WireError;
  /** The run's name (its launch record's). Default: none. */
  name?: string;
}

/** The checked reads a listing makes (IdbRunStore's). */
export interface RunRecords {
  loadManifest(runId: string): Promise<RunManifest | undefined>;
  runInfo(runId: string): Promise<RunInfo>;
  loadLaunch(runId: string): Promise<LaunchRecord | undefined>;
  damageMark(runId: string): Promise<WireError | undefined>;
}

/** The store's keys by the run they belong to (keys of no run, like `schema`, left out). */
export function keysByRun(keys: readonly string[]): Map<string, Set<string>> {
  const byRun = new Map<string, Set<string>>();
  for (const key of keys) {
    const runId = runOfKey(key);
    if (runId === undefined) continue;
    const own = byRun.get(runId);
    if (own) own.add(key);
    else byRun.set(runId, new Set([key]));
  }
  return byRun;
}

/** Run `runId` as listed; `own` are its keys. */
export async function listedRun(
  store: RunRecords,
  runId: string,
  own: ReadonlySet<string>,
): Promise<StoredRunListing> {
  let manifest: RunManifest | undefined;
  let bytes = 0;
  let tables: string[] = [];
  try {
    manifest = await store.loadManifest(runId);
    if (!manifest) {
      throw new StoreError(
        ErrorCodes.STORE_DAMAGED,
        `run "${runId}" has no manifest: ${own.size} of its records are stored without one`,
        { record: `manifest of run "${runId}"` },
      );
    }
    const missing = manifest.committed.filter((c) => !own.has(groupKey(runId, c.id)));
    if (missing.length > 0) {
      const ids = missing.map((c) => c.id).join(', ');
      throw new StoreError(
        ErrorCodes.STORE_DAMAGED,
        `run "${runId}" is missing row group${missing.length === 1 ? '' : 's'} ${ids}, which its manifest lists as committed`,
        { record: `row group ${missing[0]!.id} of run "${runId}"` },
      );
    }
    const [info, launch] = await Promise.all([store.runInfo(runId), store.loadLaunch(runId)]);
    bytes = info.bytes + (launch?.seedFile?.bytes.byteLength ?? 0);
    tables = Object.keys(info.tables ?? {}).sort();
    const mark = own.has(damageKey(runId)) ? await store.damageMark(runId) : undefined;
    return {
      manifest,
      bytes,
      tables,
      ...(mark ? { damaged: mark } : {}),
      ...(launch?.name ? { name: launch.name } : {}),
    };
  } catch (err) {
    if (!isRecordError(err)) throw err;
    return {
      manifest: manifest ?? standInManifest(runId),
      bytes,
      tables,
      damaged: { code: err.code, message: err.message },
    };
  }
}

/** What a listed run whose manifest cannot be read shows: its id, nothing else. */
function standInManifest(runId: string): RunManifest {
  return {
    runId,
    config: null,
    configHash: '',
    seed: 0,
    numRecords: 0,
    bufferSize: 0,
    columns: [],
    committed: [],
    rowsWritten: 0,
    droppedRows: 0,
    firstErrors: [],
    status: 'failed',
    createdAt: 0,
    updatedAt: 0,
  };
}
