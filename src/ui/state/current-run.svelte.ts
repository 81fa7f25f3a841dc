/**
 * The run this page started, resumed or found interrupted: its phase, progress,
 * outcome, traces and throughput, and the calls that start, pause, cancel and resume
 * it in the engine worker. Its id is kept in this origin's storage while it runs, so
 * a reload can offer to resume it. Session (session.svelte.ts) shows it.
 */
import type { Progress, TaskTrace } from '../../core/engine/events.ts';
import type {
  EngineClient,
  FileBytes,
  RunCallbacks,
  RunOutcome,
  RunOverrides,
  ResumeOverrides,
  RunSummary,
} from '../../runtime/engine-api.ts';
import { randomUuid } from '../../core/random/uuid.ts';
import { errorMessage as message } from '../lib/format.ts';
import type { RawObject } from './defaults.ts';
import { errorText } from './preview.svelte.ts';
import { RunSeries, type RatePoint } from './run-series.svelte.ts';
import type { StoredRuns } from './stored-runs.svelte.ts';

/** Rows from which a run asks for persistent storage first. */
export const LARGE_RUN_ROWS = 100_000;

/** Where the id of a run in progress is kept, so a reload can offer to resume it. */
export const ACTIVE_RUN_KEY = 'tabsynth:active-run';

/** Most traces kept for the timeline (older ones are dropped). */
export const MAX_TRACES = 50_000;

export type Phase = 'idle' | 'running' | 'paused' | 'complete' | 'stopped' | 'cancelled' | 'failed';

/** How a run starts: its seed file, whether models are simulated, its name. */
export interface RunOptions {
  seedFile?: FileBytes | null;
  simulate?: boolean;
  name?: string;
}

export class CurrentRun {
  #runId = $state<string | null>(null);
  #phase = $state<Phase>('idle');
  #progress = $state.raw<Progress | null>(null);
  #outcome = $state.raw<RunOutcome | null>(null);
  #runError = $state<string | null>(null);
  /** Task traces of the current run (when tracing), oldest first. */
  #traces = $state.raw<TaskTrace[]>([]);
  /** Throughput of the current run, for its chart and rows/s. */
  readonly #series = new RunSeries();
  #columnBase = $state(0);
  /**
   * Whether the browser refused (or could not be asked) to keep this origin's data
   * before the current run of LARGE_RUN_ROWS or more: its stored rows may be evicted
   * under storage pressure. Default: false.
   */
  #storageAtRisk = $state(false);

  readonly #client: () => Promise<EngineClient>;
  readonly #stored: StoredRuns;
  readonly #local: Storage | null;

  /** Runs go through `client`; `stored` lists them; `local` keeps the id of the one running. */
  constructor(client: () => Promise<EngineClient>, stored: StoredRuns, local: Storage | null) {
    this.#client = client;
    this.#stored = stored;
    this.#local = local;
  }

  get runId(): string | null {
    return this.#runId;
  }
  get phase(): Phase {
    return this.#phase;
  }
  get progress(): Progress | null {
    return this.#progress;
  }
  get outcome(): RunOutcome | null {
    return this.#outcome;
  }
  get runError(): string | null {
    return this.#runError;
  }

  /** The run a reload interrupted, if any (its id was saved when it started). */
  get interruptedRunId(): string | null {
    return this.#local?.getItem(ACTIVE_RUN_KEY) ?? null;
  }

  /**
   * The current run's state as the panel names it: a run a reload interrupted is
   * 'interrupted' (its rows are stored), not idle.
   */
  get status(): Phase | 'interrupted' {
    return this.#phase === 'idle' && this.interruptedRunId !== null ? 'interrupted' : this.#phase;
  }

  /**
   * Rows committed and requested of the current (or interrupted) run, the same in
   * every place that shows them: its outcome once it has one, else the larger of
   * its latest progress and its stored manifest (rows committed only grow).
   */
  get rows(): { committed: number; requested: number } | null {
    const o = this.#outcome;
    if (o) return { committed: o.rowsWritten, requested: o.rowsRequested };
    const p = this.#progress;
    const stored = this.#storedRun()?.manifest;
    if (!p && !stored) return null;
    return {
      committed: Math.max(p?.rowsCommitted ?? 0, stored?.rowsWritten ?? 0),
      requested: p?.rowsRequested ?? stored?.numRecords ?? 0,
    };
  }

  /**
   * Cells each column had done before the part of the run under way (a resume's
   * progress counts only its own cells): the rows committed when it began.
   */
  get columnBase(): number {
    return this.#columnBase;
  }

  /** Task traces of the current run (when tracing), oldest first. */
  get traces(): TaskTrace[] {
    return this.#traces;
  }
  /** Throughput samples of the current run, for its chart. */
  get rates(): RatePoint[] {
    return this.#series.points;
  }

  /** Rows per second: live while the run goes, its average once it ended. */
  get rowsPerSecond(): number {
    return this.#series.rowsPerSecond;
  }

  /** ms the current run has taken: its wall time once it ended. */
  get elapsedMs(): number | null {
    return this.#outcome?.wallMs ?? this.#progress?.elapsedMs ?? null;
  }
  /** The browser may evict this run's rows (it refused to persist them). */
  get storageAtRisk(): boolean {
    return this.#storageAtRisk;
  }

  /** Rows `runId` has committed, as far as this page knows. */
  #committedBefore(runId: string): number {
    const stored =
      this.#stored.runs.find((r) => r.manifest.runId === runId)?.manifest.rowsWritten ?? 0;
    const seen = runId === this.#runId ? (this.#progress?.rowsCommitted ?? 0) : 0;
    return Math.max(stored, seen);
  }

  /** The stored summary of the current or interrupted run, if listed. */
  #storedRun(): RunSummary | undefined {
    const id = this.#runId ?? this.interruptedRunId;
    return id === null ? undefined : this.#stored.runs.find((r) => r.manifest.runId === id);
  }

  #callbacks(): RunCallbacks {
    return {
      onProgress: (p) => {
        this.#progress = p;
        this.#series.record(p);
      },
      onTrace: (batch) => {
        const next = this.#traces.concat(batch);
        this.#traces = next.length > MAX_TRACES ? next.slice(next.length - MAX_TRACES) : next;
      },
    };
  }

  #begin(runId: string, kind: 'start' | 'continue' | 'resume'): void {
    this.#columnBase = kind === 'start' ? 0 : this.#committedBefore(runId);
    this.#runId = runId;
    this.#phase = 'running';
    this.#runError = null;
    this.#outcome = null;
    this.#series.begin(kind);
    if (kind !== 'continue') {
      this.#storageAtRisk = false;
      this.#progress = null;
      this.#traces = [];
    }
    this.#local?.setItem(ACTIVE_RUN_KEY, runId);
  }

  async #settle(run: Promise<RunOutcome>): Promise<void> {
    try {
      const outcome = await run;
      this.#series.finish(outcome, this.#columnBase);
      this.#outcome = outcome;
      this.#phase =
        this.#phase === 'paused'
          ? 'paused'
          : outcome.status === 'running'
            ? 'complete'
            : outcome.status;
    } catch (err) {
      if (this.#phase !== 'paused') {
        const code = (err as { code?: string } | null)?.code;
        this.#phase = code === 'RUN_CANCELLED' ? 'cancelled' : 'failed';
        if (code !== 'RUN_CANCELLED') this.#runError = errorText(err);
      }
    } finally {
      if (this.#phase !== 'paused' && this.#phase !== 'running') {
        this.#local?.removeItem(ACTIVE_RUN_KEY);
      }
      void this.#stored.refresh();
    }
  }

  /** Starts a run of `config`; resolves when it ends. */
  async generate(config: RawObject, overrides: RunOverrides, opts: RunOptions = {}): Promise<void> {
    const runId = randomUuid();
    const name = opts.name?.trim();
    this.#begin(runId, 'start');
    const client = await this.#reach('start the run');
    if (!client) {
      this.#local?.removeItem(ACTIVE_RUN_KEY);
      return;
    }
    if ((overrides.numRecords ?? 0) >= LARGE_RUN_ROWS) await this.#askToPersist(client);
    await this.#settle(
      client.startRun(
        {
          config,
          overrides,
          runId,
          simulate: opts.simulate ?? false,
          ...(opts.seedFile ? { seedFile: opts.seedFile } : {}),
          ...(name ? { name } : {}),
        },
        this.#callbacks(),
      ),
    );
  }

  /**
   * Before a large run, asks the browser to keep this origin's data (issue 4): without
   * it, committed row groups may be evicted under storage pressure. Only the main
   * thread can ask. An origin already persistent is not asked again. A refusal, or a
   * persist() that throws, never stops the run: it sets `storageAtRisk` instead.
   */
  async #askToPersist(client: EngineClient): Promise<void> {
    this.#storageAtRisk = !(await this.#stored.persist(client));
  }

  async pause(): Promise<void> {
    if (!this.#runId || this.#phase !== 'running') return;
    this.#phase = 'paused';
    try {
      await (await this.#client()).pause(this.#runId);
    } catch (err) {
      this.#runError = `Could not pause the run: ${message(err)}`;
    }
  }

  async cancel(): Promise<void> {
    if (!this.#runId) return;
    const wasPaused = this.#phase === 'paused';
    this.#phase = 'cancelled';
    this.#local?.removeItem(ACTIVE_RUN_KEY);
    try {
      if (!wasPaused) await (await this.#client()).cancel(this.#runId);
    } catch (err) {
      this.#runError = `Could not cancel the run: ${message(err)}`;
    }
  }

  /** The engine client, or null with the failure on screen (a run error, never only the console). */
  async #reach(what: string): Promise<EngineClient | null> {
    try {
      return await this.#client();
    } catch (err) {
      this.#phase = 'failed';
      this.#runError = `Could not ${what}: the engine did not start (${message(err)})`;
      return null;
    }
  }

  /**
   * Continues `runId` (default: the current or interrupted run). `config` carries
   * secrets when a provider needs them; `overrides` the settings that shape no data
   * (default: traces on, so the timeline works after a reload).
   */
  async resume(
    runId = this.#runId ?? this.interruptedRunId,
    config?: RawObject,
    overrides: ResumeOverrides = { trace: true },
  ): Promise<void> {
    if (!runId) return;
    this.#begin(runId, runId === this.#runId ? 'continue' : 'resume');
    const client = await this.#reach('resume the run');
    if (!client) return;
    // What the stored run holds now: its columns' bars start there.
    await this.#stored.refresh();
    this.#columnBase = this.#committedBefore(runId);
    await this.#settle(
      client.resumeRun(runId, { ...(config ? { config } : {}), overrides }, this.#callbacks()),
    );
  }

  /** Stored run `runId` was deleted: the run panel empties when it was this run, and it is no longer one to resume. */
  forget(runId: string): void {
    if (this.#runId === runId) {
      this.#runId = null;
      this.#phase = 'idle';
      this.#progress = null;
    }
    if (this.interruptedRunId === runId) this.#local?.removeItem(ACTIVE_RUN_KEY);
  }
}
