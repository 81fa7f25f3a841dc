/**
 * `runEngine`: one run of a Plan, from manifest to report (SPEC 3.3-3.10).
 *
 * The Scheduler runs tasks; this file owns what surrounds them: the manifest
 * (new or resumed), pre- and post-batch processors, the commit of each finished
 * row group (one at a time, commit-queue.ts), early shutdown, cancellation,
 * failures, progress and the final report. The run's lifecycle (lifecycle.ts)
 * is moved here and only here.
 *
 * after_run processors are not applied here: committed row groups stay exactly
 * as generated so a run can be resumed and exported; the exporter applies
 * after_run processors (see processors.ts `runProcessors`) while it streams the
 * committed groups.
 */
import { cancelledError, ErrorCodes, RunError, TabsynthError } from '../errors.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { Row, RowGroupData, RunManifest, RunStatus } from '../storage/types.ts';
import { CommitQueue } from './commit-queue.ts';
import type { RunResult } from './events.ts';
import { batchOf, columnarData, insertCommitted, rowGroupData } from './group-data.ts';
import { RunLifecycle } from './lifecycle.ts';
import { asTabsynthError, FirstErrors, internalError, isInternalBug } from './outcomes.ts';
import type { EngineOptions, Plan, PlanProcessor } from './plan.ts';
import { processorsOf, runProcessors } from './processors.ts';
import type { RowGroup } from './row-group.ts';
import type { PreBatchResult } from './execution.ts';
import { Scheduler } from './scheduler.ts';

export async function runEngine(options: EngineOptions): Promise<RunResult> {
  const { plan, store, runId } = options;
  checkSettings(plan);
  const clock = options.clock ?? systemClock;
  if (options.signal?.aborted) throw cancelledError(options.signal);
  const s = plan.settings;
  const now = Date.now();
  let manifest: RunManifest;
  if (options.resume) {
    const loaded = await store.loadManifest(runId);
    if (!loaded)
      throw new RunError(
        ErrorCodes.RUN_NOT_FOUND,
        `cannot resume run "${runId}": no manifest for it in the store`,
      );
    if (loaded.configHash !== options.configHash) {
      throw new RunError(
        ErrorCodes.RUN_CONFIG_CHANGED,
        `cannot resume run "${runId}": the config changed since the run started (hash ${loaded.configHash}, now ${options.configHash}); start a new run instead`,
        { runId, expected: loaded.configHash, found: options.configHash },
      );
    }
    const droppedRows = loaded.committed.reduce((n, c) => n + c.dropped, 0);
    // Its own copy of the committed list: the run grows it in place.
    const committed = [...loaded.committed];
    manifest = { ...loaded, committed, droppedRows, status: 'running', updatedAt: now };
  } else {
    manifest = {
      runId,
      config: options.config,
      configHash: options.configHash,
      seed: s.seed,
      numRecords: s.numRecords,
      bufferSize: s.bufferSize,
      columns: [...plan.outputColumns],
      committed: [],
      rowsWritten: 0,
      droppedRows: 0,
      firstErrors: [],
      status: 'running',
      createdAt: now,
      updatedAt: now,
    };
  }
  await store.saveManifest(manifest);
  const done = new Set(manifest.committed.map((c) => c.id));
  const pending: number[] = [];
  const groupCount = Math.ceil(s.numRecords / s.bufferSize);
  const mine = options.rowGroups ?? (() => true);
  for (let id = 0; id < groupCount; id++) if (!done.has(id) && mine(id)) pending.push(id);
  return new EngineRun(options, clock, manifest, pending).start();
}

/** The most rows one row group may hold (buffer_size, or num_records when smaller). */
export const MAX_GROUP_ROWS = 10_000_000;

function checkSettings(plan: Plan): void {
  const s = plan.settings;
  const bad = (name: string, expected: string, value: unknown): never => {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `run setting ${name}: expected ${expected}, got ${String(value)}`,
    );
  };
  const int = (v: number, min: number) => Number.isSafeInteger(v) && v >= min;
  if (!int(s.numRecords, 0)) bad('num_records', 'an integer >= 0', s.numRecords);
  if (!int(s.bufferSize, 1)) bad('buffer_size', 'an integer >= 1', s.bufferSize);
  // A row group's state is allocated whole, so past this size the run could not start.
  if (Math.min(s.bufferSize, s.numRecords) > MAX_GROUP_ROWS) {
    bad(
      'buffer_size',
      `row groups of at most ${MAX_GROUP_ROWS} rows (each is held in memory whole; num_records ${s.numRecords} fits in row groups of that size)`,
      s.bufferSize,
    );
  }
  if (!int(s.maxConcurrentRowGroups, 1))
    bad('max_concurrent_row_groups', 'an integer >= 1', s.maxConcurrentRowGroups);
  if (!int(s.maxInFlightTasks, 1))
    bad('max_in_flight_tasks', 'an integer >= 1', s.maxInFlightTasks);
  if (!int(s.shutdownErrorWindow, 1))
    bad('shutdown_error_window', 'an integer >= 1', s.shutdownErrorWindow);
  if (!int(s.salvageMaxRounds, 0)) bad('salvage_max_rounds', 'an integer >= 0', s.salvageMaxRounds);
  if (!(s.shutdownErrorRate >= 0 && s.shutdownErrorRate <= 1))
    bad('shutdown_error_rate', 'a number in [0, 1]', s.shutdownErrorRate);
}

/** Where a fatal error was met, for the report's first errors. */
interface FatalAt {
  column?: string;
  row?: number;
}

class EngineRun {
  #o: EngineOptions;
  #clock: Clock;
  #manifest: RunManifest;
  #lifecycle = new RunLifecycle();
  #scheduler: Scheduler;
  #commits = new CommitQueue();
  #firstErrors: FirstErrors;
  #warnings = new FirstErrors();
  /** Aborts the tasks (early shutdown, cancel, failure); processors get the user's signal. */
  #abort = new AbortController();
  #userSignal: AbortSignal;
  #post: PlanProcessor[];
  /** Row groups handed over by the scheduler whose commit has not settled. */
  #handedOver = 0;
  #rowsDoneThisRun = 0;
  #t0: number;
  #resolve!: (r: RunResult) => void;
  #reject!: (e: unknown) => void;
  #onAbort = (): void => this.#abortRun('cancelled', cancelledError(this.#o.signal));

  constructor(options: EngineOptions, clock: Clock, manifest: RunManifest, pending: number[]) {
    this.#o = options;
    this.#clock = clock;
    this.#manifest = manifest;
    this.#t0 = clock.now();
    this.#userSignal = options.signal ?? new AbortController().signal;
    this.#firstErrors = new FirstErrors(manifest.firstErrors);
    const processors = options.plan.processors;
    const pre = processorsOf(processors, 'pre_batch');
    this.#post = processorsOf(processors, 'post_batch');
    this.#scheduler = new Scheduler(
      options.plan,
      options.transports,
      clock,
      this.#abort.signal,
      pending,
      this.#lifecycle,
      { firstErrors: this.#firstErrors, warnings: this.#warnings },
      {
        onGroupDone: (g) => void this.#commitGroup(g, false),
        onAllAdmitted: () => this.#lifecycle.to('draining'),
        onShutdown: () => this.#stopEarly(),
        onFatal: (err, at) => this.#abortRun('failed', err, at),
        onTick: () => this.#emit(),
        onTrace: options.plan.settings.trace ? options.onTrace : undefined,
        preBatch: pre.length > 0 ? (g) => this.#preBatch(pre, g) : undefined,
      },
    );
    this.#scheduler.models.restoreUsage(manifest.modelUsage);
  }

  start(): Promise<RunResult> {
    const result = new Promise<RunResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#o.signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#scheduler.start();
    this.#maybeFinish();
    return result.finally(() => this.#o.signal?.removeEventListener('abort', this.#onAbort));
  }

  async #preBatch(pre: PlanProcessor[], group: RowGroup): Promise<PreBatchResult> {
    const locals = group.survivingRows();
    const out = await runProcessors(pre, batchOf(group, locals), group.id, this.#userSignal);
    const byIndex = new Map<number, Row>();
    out.rowIndices.forEach((ri, i) => byIndex.set(ri, out.rows[i]!));
    // The processors' rows replace the buffer: columns they removed are gone.
    const columns = new Map<string, unknown[]>();
    const dropped: number[] = [];
    for (const local of locals) {
      const row = byIndex.get(group.firstRow + local);
      if (row === undefined) {
        dropped.push(local);
        continue;
      }
      for (const [name, value] of Object.entries(row)) {
        let values = columns.get(name);
        if (values === undefined) columns.set(name, (values = new Array<unknown>(group.size)));
        values[local] = value;
      }
    }
    return { columns, dropped };
  }

  /**
   * Post-batch, drop `drop: true` columns, commit. `partial` (early shutdown) keeps
   * only the rows that finished. A processor that fails stops the run (SPEC 3.7).
   */
  async #commitGroup(group: RowGroup, partial: boolean): Promise<void> {
    this.#handedOver++;
    try {
      const plan = this.#o.plan;
      const locals = partial ? this.#scheduler.finishedRows(group) : group.survivingRows();
      let data: RowGroupData;
      if (this.#post.length === 0) {
        data = columnarData(plan, group, locals);
      } else {
        let batch = batchOf(group, locals);
        if (batch.rows.length > 0) {
          batch = await runProcessors(this.#post, batch, group.id, this.#userSignal);
        }
        data = rowGroupData(plan, group, batch);
      }
      group.freeBuffer();
      await this.#commits.run(() => this.#write(group, data));
    } catch (err) {
      const fatal = isInternalBug(err)
        ? internalError(err, `the commit of row group ${group.id}`)
        : asTabsynthError(err);
      this.#abortRun('failed', fatal);
    } finally {
      this.#handedOver--;
      this.#guard(() => {
        this.#scheduler.release(group);
        if (!this.#lifecycle.ending) this.#emit();
        this.#maybeFinish();
      });
    }
  }

  /** Writes one row group with the manifest that lists it (nothing once the run aborted). */
  async #write(group: RowGroup, data: RowGroupData): Promise<void> {
    if (this.#lifecycle.state === 'aborting') return;
    const dropped = group.size - data.rowIndices.length;
    const next: RunManifest = {
      ...this.#manifest,
      droppedRows: this.#manifest.droppedRows + dropped,
      firstErrors: this.#firstErrors.list(),
      modelUsage: this.#scheduler.models.usage(),
      updatedAt: Date.now(),
    };
    if (data.rowIndices.length > 0) {
      // The run's own list, grown in place (a copy per commit made long runs
      // quadratic); taken out again if the commit fails.
      const committed = this.#manifest.committed;
      if (committed.length === 0) next.columns = data.columns;
      const at = insertCommitted(committed, {
        id: group.id,
        rows: data.rowIndices.length,
        dropped,
      });
      next.rowsWritten = this.#manifest.rowsWritten + data.rowIndices.length;
      try {
        await this.#o.store.commit(data, next);
      } catch (err) {
        committed.splice(at, 1);
        throw err;
      }
    }
    this.#manifest = next;
    this.#rowsDoneThisRun += group.size;
  }

  /** SPEC 3.6 early shutdown: stop admitting, cancel running tasks, commit what finished. */
  #stopEarly(): void {
    if (!this.#lifecycle.acceptsTasks) return;
    this.#lifecycle.to('stopping');
    const open = this.#scheduler.stop();
    this.#abort.abort(new RunError(ErrorCodes.RUN_SHUTDOWN, 'early shutdown: too many failures'));
    for (const g of open) void this.#commitGroup(g, true);
    this.#maybeFinish();
  }

  /** Ends the run once nothing is left to commit. */
  #maybeFinish(): void {
    if (this.#handedOver > 0) return;
    const state = this.#lifecycle.state;
    if (state === 'stopping' || (state === 'draining' && this.#scheduler.activeGroups === 0)) {
      this.#lifecycle.to('finalizing');
      void this.#end(state === 'stopping' ? 'stopped' : 'complete');
    }
  }

  async #end(status: RunStatus): Promise<void> {
    try {
      await this.#commits.idle();
      const m = this.#manifest;
      const nothing = m.rowsWritten === 0 && m.numRecords > 0;
      this.#manifest = {
        ...m,
        status: nothing ? 'failed' : status,
        firstErrors: this.#firstErrors.list(),
        modelUsage: this.#scheduler.models.usage(),
        updatedAt: Date.now(),
      };
      await this.#o.store.saveManifest(this.#manifest);
      this.#emit();
      if (nothing) {
        const firstErrors = this.#manifest.firstErrors;
        const why =
          firstErrors.map((e) => `${e.kind} x${e.count}: ${e.message}`).join('; ') ||
          'no error recorded';
        throw new RunError(
          ErrorCodes.RUN_NOTHING_COMMITTED,
          `run "${m.runId}" committed no rows: generated 0 of ${m.numRecords}${status === 'stopped' ? ' (stopped early)' : ''}; first errors: ${why}`,
          { firstErrors },
        );
      }
      const result = this.#result(status === 'stopped');
      this.#lifecycle.to('done');
      this.#resolve(result);
    } catch (err) {
      this.#lifecycle.to('done');
      this.#reject(err);
    }
  }

  /**
   * Cancel or failure: abandon every task, let the commit under way settle, write
   * the manifest with `status` (never left `running`), reject with `err`. Once the
   * run's outcome is decided (finalizing, aborting, done) this does nothing.
   */
  #abortRun(status: 'cancelled' | 'failed', err: unknown, at: FatalAt = {}): void {
    if (!this.#lifecycle.can('aborting')) return;
    this.#lifecycle.to('aborting');
    this.#scheduler.halt();
    this.#abort.abort(err);
    if (status === 'failed' && err instanceof TabsynthError) {
      this.#firstErrors.record(err, at.column, at.row);
      this.#log(err);
    }
    void this.#settleAs(status, err);
  }

  async #settleAs(status: RunStatus, err: unknown): Promise<void> {
    try {
      await this.#commits.idle();
      this.#manifest = {
        ...this.#manifest,
        status,
        firstErrors: this.#firstErrors.list(),
        modelUsage: this.#scheduler.models.usage(),
        updatedAt: Date.now(),
      };
      await this.#o.store.saveManifest(this.#manifest);
      // The last figures match what is stored (a commit under way may have landed).
      this.#emit();
    } catch {
      // The run's own error is the one to report.
    }
    this.#lifecycle.to('done');
    this.#reject(err);
  }

  #log(err: TabsynthError): void {
    const onLog = this.#o.onLog;
    if (!onLog) return;
    const stack = err.details['stack'];
    try {
      onLog({
        level: 'error',
        message: `run "${this.#manifest.runId}" stopped: ${err.code}: ${err.message}`,
        ...(typeof stack === 'string' && stack !== '' ? { stack } : {}),
      });
    } catch {
      // A failing log must not hide the run's error.
    }
  }

  /** Runs `fn`; a throw is a bug of ours and fails the run instead of escaping. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#abortRun('failed', internalError(err, 'the run'));
    }
  }

  #result(stoppedEarly: boolean): RunResult {
    const m = this.#manifest;
    const models = this.#scheduler.models;
    const result: RunResult = {
      runId: m.runId,
      rowsWritten: m.rowsWritten,
      rowsRequested: m.numRecords,
      droppedRows: m.droppedRows,
      stoppedEarly,
      firstErrors: m.firstErrors,
      requests: models.requests,
      tokensIn: models.tokensIn,
      tokensOut: models.tokensOut,
      wallMs: this.#clock.now() - this.#t0,
      models: models.usage(),
      ...costFields(models.costUsd),
    };
    const warnings = this.#warnings.list();
    if (warnings.length > 0) result.warnings = warnings;
    return result;
  }

  #emit(): void {
    const onProgress = this.#o.onProgress;
    if (!onProgress) return;
    const sched = this.#scheduler;
    const m = this.#manifest;
    const elapsedMs = this.#clock.now() - this.#t0;
    const left = m.numRecords - m.rowsWritten - m.droppedRows;
    const etaMs =
      this.#rowsDoneThisRun > 0 ? (elapsedMs / this.#rowsDoneThisRun) * left : undefined;
    const warnings = this.#warnings.list();
    onProgress({
      rowsCommitted: m.rowsWritten,
      rowsRequested: m.numRecords,
      droppedRows: m.droppedRows,
      columns: sched.columnProgress(),
      requestsInFlight: sched.models.requestsInFlight,
      requests: sched.models.requests,
      tokensIn: sched.models.tokensIn,
      tokensOut: sched.models.tokensOut,
      models: sched.models.progress(),
      errorRate: sched.errorRate,
      etaMs,
      elapsedMs,
      ...costFields(sched.models.costUsd, m),
      activeRowGroups: sched.activeGroups,
      firstErrors: this.#firstErrors.list(),
      ...(warnings.length > 0 ? { warnings } : {}),
    });
  }
}

/** Cost so far and, given the manifest, projected to every row asked for. */
function costFields(
  costUsd: number | undefined,
  m?: RunManifest,
): { costUsd?: number; projectedCostUsd?: number } {
  if (costUsd === undefined) return {};
  const done = m ? m.rowsWritten + m.droppedRows : 0;
  return m && done > 0
    ? { costUsd, projectedCostUsd: (costUsd / done) * m.numRecords }
    : { costUsd };
}
