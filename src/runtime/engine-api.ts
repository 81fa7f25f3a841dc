/**
 * The engine's API as the UI sees it: what `createEngineClient()` (client.ts)
 * returns. Every call crosses to the engine worker over Comlink; the UI thread
 * never generates, encodes or stores rows.
 *
 * Conventions:
 * - Everything passed in or out is structured-clonable: send `$state.snapshot(x)`,
 *   never a Svelte `$state` proxy.
 * - Failures reject with a TabsynthError subclass of the catalogue (src/core/errors.ts),
 *   rebuilt on this side with `fromWire` from the worker's `{ code, message, details }`.
 *   A call whose worker died or hung rejects with WORKER_LOST.
 * - Callbacks (progress, traces) are wrapped by the client with `Comlink.proxy`;
 *   the UI passes plain functions.
 */
import type { Progress, RunResult, TaskTrace } from '../core/engine/events.ts';
import type { WireError } from '../core/errors.ts';
import type { ParquetCompression } from '../core/export/parquet.ts';
import type { ModelUsage } from '../core/models/cost.ts';
import type { Row, RunManifest } from '../core/storage/types.ts';
import type { RowPage, RowRange, RunProfile } from './read-rows.ts';

export type { RowPage, RowRange, RunProfile } from './read-rows.ts';

/** Options of `profileRun`. */
export interface ProfileRunOptions {
  /** Profile only the first rows. Default: every committed row. */
  maxRows?: number;
}

/** A file the user picked (a seed dataset): its name decides the reader (.csv, .jsonl, .json, .parquet). */
export interface FileBytes {
  /** File name as picked, e.g. "products.csv". */
  name: string;
  /** The file's bytes. Transferred to the worker (the caller's buffer is detached). */
  bytes: Uint8Array;
}

/** Run settings the UI's run form may set; each overrides the config's `run` section. */
export interface RunOverrides {
  /** Rows to generate. Default: the config's `run.num_records`. */
  numRecords?: number;
  /** Run seed. Default: the config's `run.seed` (0). */
  seed?: number;
  /** Rows per row group. Default: the config's `run.buffer_size` (1000). */
  bufferSize?: number;
  /** Row groups in flight. Default: the config's (3). */
  maxConcurrentRowGroups?: number;
  /** Tasks running at once. Default: the config's (1024). */
  maxInFlightTasks?: number;
  /** Record task traces (sent to `onTrace`). Default: the config's `run.trace` (false). */
  trace?: boolean;
}

export interface StartRunRequest {
  /** The config: YAML or JSON text, or an already-parsed object (validated in the worker). */
  config: string | object;
  /** Run settings that override the config's `run` section. Default: none. */
  overrides?: RunOverrides;
  /** Run every model on the simulated provider. Default: false. */
  simulate?: boolean;
  /** The seed dataset file, required when the config has seed-dataset columns. Default: none. */
  seedFile?: FileBytes;
  /** The run's id. Default: a new random UUID. */
  runId?: string;
  /** The run's name (the example's or the config's); exports are named after it. Default: none. */
  name?: string;
  /** Cache model responses per cell (SPEC 3.8) for real (non-simulated) providers. Default: true. */
  cache?: boolean;
}

export interface ResumeRunRequest {
  /**
   * The config again, secrets included (manifests keep only the redacted config).
   * Default: the run's stored config, which is enough for simulated and keyless
   * providers. A config whose hash differs is refused with RUN_CONFIG_CHANGED.
   */
  config?: string | object;
  /** The seed dataset file. Default: the copy stored when the run started. */
  seedFile?: FileBytes;
  /**
   * Settings that do not shape data, for the resumed part (e.g. `trace: true` so the
   * timeline works after a reload). Default: the config's.
   */
  overrides?: ResumeOverrides;
}

/** The run settings a resume may change: none of them changes a row. */
export type ResumeOverrides = Pick<
  RunOverrides,
  'trace' | 'maxConcurrentRowGroups' | 'maxInFlightTasks'
>;

/** Callbacks of one run. Progress comes at most 10 times a second, and once more at the end. */
export interface RunCallbacks {
  /** Rows committed, per-column counts, models, ETA (SPEC 3.10). Default: none. */
  onProgress?: (progress: Progress) => void;
  /** Task traces, batched (when the run's `trace` setting is on). Default: none. */
  onTrace?: (traces: TaskTrace[]) => void;
}

/** How a started run ended; `runEngine`'s RunResult plus the status stored in its manifest. */
export interface RunOutcome extends RunResult {
  /** 'complete', 'stopped' (early shutdown) or 'cancelled' (cancel or pause). */
  status: RunManifest['status'];
  /** True when `pause` stopped it (status 'cancelled'); resume with `resumeRun`. Default: absent. */
  paused?: boolean;
}

/**
 * A listed run's status: its manifest's, except that a run whose manifest says
 * 'running' while no engine runs it (its page closed, or a commit failed for quota)
 * is 'interrupted': resume it with `resumeRun`. A run with a damaged, missing or
 * newer record is 'damaged' (`RunSummary.damaged` says why): it can only be deleted.
 */
export type RunSummaryStatus = RunManifest['status'] | 'interrupted' | 'damaged';

/** A run as listed: its manifest and the bytes it holds in IndexedDB. */
export interface RunSummary {
  manifest: RunManifest;
  /**
   * The manifest's status, or 'interrupted' when it says 'running' and this worker
   * does not run it (another tab's worker running it also shows as interrupted).
   */
  status: RunSummaryStatus;
  /** Bytes of its committed row groups (Arrow IPC) and seed file. */
  bytes: number;
  /** Whether this worker is running it now. */
  active: boolean;
  /**
   * Names of the processors' second output tables (schema_transform) it holds, sorted;
   * export one with `exportRun({ runId, table })`. Default: [].
   */
  tables: string[];
  /**
   * Why the run cannot be read (STORE_DAMAGED, or STORE_NEWER when a newer tabsynth
   * wrote it), when status is 'damaged'; `manifest` then holds only the run's id
   * unless the manifest itself read back. Default: absent.
   */
  damaged?: WireError;
  /** The run's name, as started or renamed. Default: none (show its id). */
  name?: string;
}

/** A stored run's config, to open in the designer again. */
export interface RunConfig {
  /** The config the run was started with (parsed, secrets removed). */
  config: unknown;
  /** The run's name. Default: none. */
  name?: string;
  /** The seed dataset file stored with the run. Default: none. */
  seedFile?: FileBytes;
}

export interface PreviewRequest {
  /** The config, as for a run. */
  config: string | object;
  /** Rows to generate. Default: 10. */
  rows?: number;
  /** Run seed. Default: the config's. */
  seed?: number;
  /** Default: false. */
  simulate?: boolean;
  /** Default: none. */
  seedFile?: FileBytes;
}

export interface PreviewResult {
  /** Output columns in order (`drop: true` columns left out). */
  columns: string[];
  rows: Row[];
  /** Rows asked for (made or dropped): what `models`' usage was spent on. */
  rowsAsked: number;
  /** Rows dropped by failures, with the first errors. */
  droppedRows: number;
  firstErrors: RunManifest['firstErrors'];
  /**
   * Requests, tokens and cost per model key (cost where the model has prices), for
   * the estimate of a run (`estimateRun`). Answers from the response cache count no
   * tokens. Default: {}.
   */
  models: Record<string, ModelUsage>;
}

/** A preview's model attempt that failed and will be tried again (issue 14). */
export interface PreviewRetry {
  /** The model as progress labels it, e.g. "local/llama". */
  model: string;
  /** Failed attempts of this cell so far. */
  attempt: number;
  /** Attempts a cell gets before its row is dropped. Absent for a 429: those wait and retry until cancelled. */
  attempts?: number;
  /** Why the last attempt failed: "HTTP 503", "HTTP 429 (rate limited)", "a connection error", "no answer within 60 s". */
  cause: string;
}

/** What a preview may be given besides its request. */
export interface PreviewOptions {
  /** Stops the preview at once (its requests too); it then rejects with RUN_CANCELLED. Default: none. */
  signal?: AbortSignal;
  /** Told of failed model attempts while the preview waits them out, at most 10 a second. Default: none. */
  onRetry?: (retry: PreviewRetry) => void;
}

export type ExportFormat = 'parquet' | 'csv' | 'jsonl';

export interface ExportRequest {
  runId: string;
  /** Default: 'parquet'. */
  format?: ExportFormat;
  /** Parquet codec. Default: 'zstd'. */
  compression?: ParquetCompression;
  /**
   * A processor's second output table (its name, one of RunSummary.tables) instead
   * of the dataset. Default: the dataset.
   */
  table?: string;
  /**
   * Where the bytes go: a file the user picked with `showSaveFilePicker` (written as a
   * stream, nothing held in memory), or, when absent, a Blob returned in the result.
   */
  fileHandle?: FileSystemFileHandle;
  /** Called after each row group with rows written so far. Default: none. */
  onProgress?: (rowsWritten: number, rowsTotal: number) => void;
}

export interface ExportResult {
  /** The file, when no fileHandle was given. Its type is the format's MIME type. */
  blob?: Blob;
  /** Rows written. */
  rows: number;
  /** Committed row groups read (one Parquet row group each). */
  rowGroups: number;
  /** Bytes written. */
  bytes: number;
  /** A file name to offer, e.g. "run-3f2a.parquet". */
  fileName: string;
}

/** navigator.storage.estimate(), plus whether storage is persistent. */
export interface StorageEstimate {
  /** Bytes this origin uses. */
  usage: number;
  /** Bytes this origin may use. */
  quota: number;
  /** Whether the browser promised not to evict this origin's data. */
  persisted: boolean;
}

/** What the UI calls. Each method is async and may reject as described above. */
export interface EngineApi {
  /**
   * Starts a run and resolves when it ends: complete, stopped early, or cancelled
   * (by `cancel` or `pause`: status 'cancelled', counts so far). Rows are committed
   * to IndexedDB as row groups finish. Rejects with CONFIG_* for a bad config,
   * RUN_NOTHING_COMMITTED, STORE_QUOTA (committed rows stay exportable), STORE_IO.
   */
  startRun(request: StartRunRequest, callbacks?: RunCallbacks): Promise<RunOutcome>;
  /**
   * Continues a paused, cancelled, stopped or interrupted run (e.g. after a reload)
   * with its uncommitted row groups; ends with exactly the requested rows.
   */
  resumeRun(
    runId: string,
    request?: ResumeRunRequest,
    callbacks?: RunCallbacks,
  ): Promise<RunOutcome>;
  /** Stops a running run, keeping what is committed so `resumeRun` can continue it. */
  pause(runId: string): Promise<void>;
  /** Stops a running run; its committed rows stay (delete it with `deleteRun`). */
  cancel(runId: string): Promise<void>;
  /**
   * A few rows in memory (nothing stored): for the editor's preview. A failure that
   * retries cannot mend (a key refused or missing, an endpoint unreachable or refusing
   * this page by CORS) rejects at once with its cause (issue 14).
   */
  preview(request: PreviewRequest, options?: PreviewOptions): Promise<PreviewResult>;
  /** Every stored run, newest first. */
  listRuns(): Promise<RunSummary[]>;
  /** Deletes a run's manifest, row groups and seed copy (cancelling it first if it runs). */
  deleteRun(runId: string): Promise<void>;
  /** Names a stored run (trimmed; 1 to 200 characters). Rejects RUN_NOT_FOUND, INVALID_ARGUMENT. */
  renameRun(runId: string, name: string): Promise<void>;
  /** The config a stored run was started with (secrets removed). Rejects RUN_NOT_FOUND. */
  runConfig(runId: string): Promise<RunConfig>;
  /**
   * A page of a stored run's committed rows (after_run processors applied, as
   * exported), decoded in the engine worker. Rejects RUN_NOT_FOUND, INVALID_ARGUMENT.
   */
  readRows(runId: string, range?: RowRange): Promise<RowPage>;
  /** A stored run's column profiles, computed group by group in the engine worker. */
  profileRun(runId: string, options?: ProfileRunOptions): Promise<RunProfile>;
  /** Streams a run's committed row groups to Parquet, CSV or JSONL. */
  exportRun(request: ExportRequest): Promise<ExportResult>;
  /** Storage used and available. Call `requestPersistentStorage` (client) before a large run. */
  storageEstimate(): Promise<StorageEstimate>;
}

/** The client adds what only the main thread can do and its own lifecycle. */
export interface EngineClient extends EngineApi {
  /** Asks the browser to keep this origin's data (main thread only). Resolves to the answer. */
  requestPersistentStorage(): Promise<boolean>;
  /** Terminates the workers; later calls reject with WORKER_LOST. */
  dispose(): void;
}
