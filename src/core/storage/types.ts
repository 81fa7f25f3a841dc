import type { WireError } from '../errors.ts';
import type { ColumnValues } from './columnar.ts';
import type { ModelUsage } from '../models/cost.ts';

/** A row: column name to value. */
export type Row = Record<string, unknown>;

/** One committed row group, in row order. */
export interface RowGroupData {
  /** Row group id, 0..G-1. */
  id: number;
  /** Global index of the group's first row (id x buffer_size). */
  firstRow: number;
  /** Global row index of each surviving row. */
  rowIndices: number[];
  /** Output column names, in config order (drop: true columns already removed). */
  columns: string[];
  rows: Row[];
  /**
   * The same rows column by column (each of `columns`, aligned with `rowIndices`)
   * when the producer holds them so, as the engine does: a store that encodes by
   * column reads these and never makes `rows`. Default: none.
   */
  values?: ColumnValues;
  /**
   * Second output tables made by processors (schema_transform), by processor name:
   * this group's rows of each. Default: none.
   */
  extraTables?: Record<string, ExtraTable>;
}

/** A processor's output table for one row group. */
interface ExtraTable {
  columns: string[];
  rows: Row[];
}

export interface CommittedGroupInfo {
  id: number;
  /** Rows written. */
  rows: number;
  /** Rows of the group that were dropped. */
  dropped: number;
}

/** The first error of one kind, kept for the report. */
export interface FirstError extends WireError {
  /** A short key grouping errors: the error code, plus the column when there is one. */
  kind: string;
  column?: string;
  row?: number;
  count: number;
}

export type RunStatus = 'running' | 'complete' | 'stopped' | 'cancelled' | 'failed';

/** Everything needed to resume, report on, or export a run. Written with every commit. */
export interface RunManifest {
  runId: string;
  /** The config as given, with every secret removed. */
  config: unknown;
  /** Hash of the config (secrets removed) and the run settings that shape data. */
  configHash: string;
  seed: number;
  numRecords: number;
  bufferSize: number;
  /** Output columns in order. */
  columns: string[];
  committed: CommittedGroupInfo[];
  rowsWritten: number;
  droppedRows: number;
  firstErrors: FirstError[];
  status: RunStatus;
  /**
   * Requests, tokens and cost per model key over every session of the run: a resumed
   * run adds what it spends; committed groups are not run again and cached answers
   * cost nothing, so nothing is counted twice. Default: absent (older manifests).
   */
  modelUsage?: Record<string, ModelUsage>;
  /** ms since the epoch (wall time, informational). */
  createdAt: number;
  updatedAt: number;
}

/**
 * Where committed row groups go. `commit` is atomic: afterwards either the group
 * and the manifest that lists it are both stored, or neither is.
 */
export interface RowGroupStore {
  /** The run's manifest, or undefined when there is none. */
  loadManifest(runId: string): Promise<RunManifest | undefined>;
  /** Writes the manifest alone (run start, status changes). */
  saveManifest(manifest: RunManifest): Promise<void>;
  /**
   * Writes a row group and the manifest that lists it, atomically. The engine may
   * change the manifest's arrays once the call settles: a store keeps a copy.
   */
  commit(group: RowGroupData, manifest: RunManifest): Promise<void>;
  /** Reads one committed row group back. */
  readRowGroup(runId: string, id: number): Promise<RowGroupData>;
  /** Every run's manifest. */
  listRuns(): Promise<RunManifest[]>;
  /** Deletes a run and frees its space. */
  deleteRun(runId: string): Promise<void>;
}
