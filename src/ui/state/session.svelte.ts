/**
 * The UI's side of the engine: preview (preview.svelte.ts), the current run
 * (progress, traces, pause/cancel/resume: current-run.svelte.ts), the runs stored in
 * IndexedDB and their exports (stored-runs.svelte.ts), all shown through this class. Every call
 * goes to the engine worker through an EngineClient; what crosses is a plain
 * snapshot, never a `$state` proxy. Row data is `$state.raw`, replaced whole.
 */
import type { Progress, TaskTrace } from '../../core/engine/events.ts';
import type {
  EngineClient,
  ExportFormat,
  PreviewResult,
  PreviewRetry,
  RunConfig,
  RunOutcome,
  RunOverrides,
  ResumeOverrides,
  RunProfile,
  RunSummary,
  StorageEstimate,
} from '../../runtime/engine-api.ts';
import { StoredRuns } from './stored-runs.svelte.ts';
import type { RunEstimate } from '../../core/models/cost.ts';
import type { ReadPage } from './run-rows.svelte.ts';
import type { RawObject } from './defaults.ts';
import { PreviewState, type PreviewOptions } from './preview.svelte.ts';
import type { RatePoint } from './run-series.svelte.ts';
import { CurrentRun, type Phase, type RunOptions } from './current-run.svelte.ts';

export type { RatePoint };
export { LARGE_RUN_ROWS } from './current-run.svelte.ts';

/** Creates the client on first use (it starts workers, so not at page load). */
export type ClientFactory = () => Promise<EngineClient>;

export class Session {
  /** The editor's preview. */
  readonly #preview: PreviewState;

  /** The current run. */
  readonly #run: CurrentRun;

  /** The runs stored in IndexedDB, and their exports. */
  readonly #stored: StoredRuns;

  readonly #factory: ClientFactory;
  #client: Promise<EngineClient> | undefined;

  /** `storage` keeps the id of a run in progress, for a reload to resume it. */
  constructor(factory: ClientFactory, storage: Storage | null = globalThis.localStorage ?? null) {
    this.#factory = factory;
    this.#preview = new PreviewState(() => this.client());
    this.#stored = new StoredRuns(() => this.client());
    this.#run = new CurrentRun(() => this.client(), this.#stored, storage);
  }

  /** The last preview, replaced whole. Default: null. */
  get preview(): PreviewResult | null {
    return this.#preview.result;
  }
  get previewBusy(): boolean {
    return this.#preview.busy;
  }
  get previewError(): string | null {
    return this.#preview.error;
  }
  /** ms the last preview took, end to end. */
  get previewMs(): number | null {
    return this.#preview.ms;
  }
  /** The latest failed model attempt while the preview waits to retry it. Default: null. */
  get previewRetry(): PreviewRetry | null {
    return this.#preview.retry;
  }
  /** The user cancelled the last preview. */
  get previewCancelled(): boolean {
    return this.#preview.cancelled;
  }
  /** Whether the shown preview was made from `config` (false when there is none). */
  isPreviewOf(config: RawObject): boolean {
    return this.#preview.isOf(config);
  }
  /** A run of `rows` rows, estimated from the shown preview (null without one); check `isPreviewOf` first. */
  estimate(rows: number): RunEstimate | null {
    return this.#preview.estimate(rows);
  }

  // -------------------------------------------------------------------------
  // The current run (CurrentRun)

  get runId(): string | null {
    return this.#run.runId;
  }
  get phase(): Phase {
    return this.#run.phase;
  }
  get progress(): Progress | null {
    return this.#run.progress;
  }
  get outcome(): RunOutcome | null {
    return this.#run.outcome;
  }
  get runError(): string | null {
    return this.#run.runError;
  }
  /** The current run's state as the panel names it: 'interrupted' when a reload interrupted it. */
  get status(): Phase | 'interrupted' {
    return this.#run.status;
  }
  /** Rows committed and requested of the current (or interrupted) run, the same everywhere. */
  get rows(): { committed: number; requested: number } | null {
    return this.#run.rows;
  }
  /** Cells each column had done before the part of the run under way. */
  get columnBase(): number {
    return this.#run.columnBase;
  }
  /** Task traces of the current run (when tracing), oldest first. */
  get traces(): TaskTrace[] {
    return this.#run.traces;
  }
  /** Throughput samples of the current run, for its chart. */
  get rates(): RatePoint[] {
    return this.#run.rates;
  }
  /** Rows per second: live while the run goes, its average once it ended. */
  get rowsPerSecond(): number {
    return this.#run.rowsPerSecond;
  }
  /** ms the current run has taken: its wall time once it ended. */
  get elapsedMs(): number | null {
    return this.#run.elapsedMs;
  }
  /** The browser may evict this run's rows (it refused to persist them). */
  get storageAtRisk(): boolean {
    return this.#run.storageAtRisk;
  }
  /** The run a reload interrupted, if any (its id was saved when it started). */
  get interruptedRunId(): string | null {
    return this.#run.interruptedRunId;
  }

  /** Starts a run of `config`; resolves when it ends. */
  generate(config: RawObject, overrides: RunOverrides, opts: RunOptions = {}): Promise<void> {
    return this.#run.generate(config, overrides, opts);
  }

  pause(): Promise<void> {
    return this.#run.pause();
  }

  cancel(): Promise<void> {
    return this.#run.cancel();
  }

  /**
   * Continues `runId` (default: the current or interrupted run). `config` carries
   * secrets when a provider needs them; `overrides` the settings that shape no data
   * (default: traces on, so the timeline works after a reload).
   */
  resume(runId?: string | null, config?: RawObject, overrides?: ResumeOverrides): Promise<void> {
    return this.#run.resume(runId, config, overrides);
  }

  client(): Promise<EngineClient> {
    this.#client ??= this.#factory();
    return this.#client;
  }

  /** Previews `config`; a newer preview supersedes (and stops) an older one still running. */
  runPreview(config: RawObject, opts: PreviewOptions = {}): Promise<void> {
    return this.#preview.run(config, opts);
  }

  /** Stops the preview running, at once. */
  cancelPreview(): void {
    this.#preview.cancel();
  }

  // -------------------------------------------------------------------------
  // Stored runs and export (StoredRuns)

  get runs(): RunSummary[] {
    return this.#stored.runs;
  }
  get storage(): StorageEstimate | null {
    return this.#stored.storage;
  }
  /** A message about the last export or listing. */
  get notice(): string | null {
    return this.#stored.notice;
  }
  /** The format (or table) being exported, if any. */
  get exporting(): string | null {
    return this.#stored.exporting;
  }

  refreshRuns(): Promise<void> {
    return this.#stored.refresh();
  }

  /** Deletes a stored run; the current run's panel empties when it was that run. */
  async deleteRun(runId: string): Promise<void> {
    await this.#stored.delete(runId);
    this.#run.forget(runId);
    await this.refreshRuns();
  }

  /** Names a stored run (its exports are named after it). */
  renameRun(runId: string, name: string): Promise<void> {
    return this.#stored.rename(runId, name);
  }

  /** The config a stored run was started with, its name and seed file. */
  runConfig(runId: string): Promise<RunConfig> {
    return this.#stored.config(runId);
  }

  /** Exports a run (or its processor table `table`) and hands the file to the browser's download. */
  exportRun(runId: string, format: ExportFormat, table?: string): Promise<void> {
    return this.#stored.export(runId, format, table);
  }

  /** Reads pages of stored run `runId`'s rows, decoded in the engine worker. */
  pageReader(runId: string): ReadPage {
    return this.#stored.pageReader(runId);
  }

  /** A stored run's column profiles, computed in the engine worker. */
  profileRun(runId: string): Promise<RunProfile> {
    return this.#stored.profile(runId);
  }
}
