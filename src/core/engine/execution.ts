/**
 * Running tasks (SPEC 3.5-3.7): a task's generator call, the result or failure
 * applied to its row group, skips, salvage rounds, and the hand-over of a
 * finished row group. Every failure stays inside its task: a generator's error
 * drops rows or sets the task aside; a bug of ours and a fatal generator error go
 * to `onFatal`, which stops the run. The scheduler (scheduler.ts) decides what
 * runs when; this file decides what a task's outcome does.
 *
 * Hot path: a result that is not a promise is applied synchronously, without an
 * await; counters are typed arrays per generator.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import { cellSeed } from '../random/seed.ts';
import { gatherColumns } from '../storage/columnar.ts';
import type { ColumnProgress, TaskTrace } from './events.ts';
import { TaskModels, type ModelPool } from './model-access.ts';
import {
  asTabsynthError,
  internalError,
  isInternalBug,
  OutcomeWindow,
  stopsRun,
  type FirstErrors,
} from './outcomes.ts';
import type { BatchValues, CellValues, CellGenerator, ColumnGenerator, Plan } from './plan.ts';
import type { Readiness } from './readiness.ts';
import { DONE, PENDING, type GenInfo, type RowGroup } from './row-group.ts';
import { shouldSkip, writeSkip } from './skips.ts';
import { Task } from './tasks.ts';
import { TaskTracer } from './traces.ts';

/** Task completions between two progress reports. */
export const PROGRESS_EVERY = 512;
/**
 * Run time between two progress reports while tasks complete more slowly than
 * PROGRESS_EVERY at a time (a slow model): the run panel shows requests in flight,
 * limits and cells done before the first row group commits.
 */
export const PROGRESS_INTERVAL_MS = 250;

/** A pre-batch step's outcome: the buffer's new columns and the rows it dropped. */
export interface PreBatchResult {
  columns: Map<string, unknown[]>;
  /** Local indices of rows to drop. */
  dropped: number[];
}

/** Where failures and warnings are recorded (the run's, kept in its manifest). */
export interface SchedulerRecords {
  firstErrors: FirstErrors;
  warnings: FirstErrors;
}

/** What the run is told about tasks' outcomes. */
export interface OutcomeHooks {
  /** A row group is complete (or emptied) and now `committing`; no task of it runs any more. */
  onGroupDone(group: RowGroup): void;
  /** Early shutdown's threshold was reached. */
  onShutdown(): void;
  /** An error that stops the run (INTERNAL, a fatal generator or processor error), and where it was met. */
  onFatal(err: TabsynthError, at?: { column: string; row?: number }): void;
  /** PROGRESS_EVERY task completions, or PROGRESS_INTERVAL_MS of run time with one, went by. */
  onTick(): void;
  onTrace: ((trace: TaskTrace) => void) | undefined;
  /** The pre-batch step (only when a pre-batch processor is configured); rejects to stop the run. */
  preBatch: ((group: RowGroup) => Promise<PreBatchResult>) | undefined;
}

/** What the executor needs of the scheduler. */
interface ExecutorContext {
  plan: Plan;
  infos: readonly GenInfo[];
  ready: Readiness;
  models: ModelPool;
  /** Aborted on early shutdown, cancel and failure: every task's signal. */
  signal: AbortSignal;
  records: SchedulerRecords;
  /** Whether new tasks may start (the run's lifecycle). */
  acceptsTasks: () => boolean;
  /** Run-relative now. */
  elapsed: () => number;
  /** Clock time the run started. */
  t0: number;
  /** Dispatch again (a result may have made tasks ready or freed a slot). */
  pump: () => void;
}

export class TaskExecutor {
  readonly #plan: Plan;
  readonly #infos: readonly GenInfo[];
  readonly #ready: Readiness;
  readonly #models: ModelPool;
  readonly #signal: AbortSignal;
  readonly #records: SchedulerRecords;
  readonly #acceptsTasks: () => boolean;
  readonly #elapsed: () => number;
  readonly #pump: () => void;
  readonly #hooks: OutcomeHooks;
  readonly #preBatch: ((group: RowGroup) => Promise<PreBatchResult>) | undefined;
  readonly #window: OutcomeWindow;
  readonly #tracer: TaskTracer | undefined;
  /** Per generator: cells done, failed (dropped for it), skipped. */
  readonly #done: Float64Array;
  readonly #failed: Float64Array;
  readonly #skips: Float64Array;
  /** Tasks holding an in-flight slot. */
  #inFlight = 0;
  #sinceTick = 0;
  #lastTickAt = 0;

  constructor(ctx: ExecutorContext, hooks: OutcomeHooks) {
    this.#plan = ctx.plan;
    this.#infos = ctx.infos;
    this.#ready = ctx.ready;
    this.#models = ctx.models;
    this.#signal = ctx.signal;
    this.#records = ctx.records;
    this.#acceptsTasks = ctx.acceptsTasks;
    this.#elapsed = ctx.elapsed;
    this.#pump = ctx.pump;
    this.#hooks = hooks;
    this.#preBatch = hooks.preBatch;
    const s = ctx.plan.settings;
    this.#window = new OutcomeWindow(s.shutdownErrorWindow, s.shutdownErrorRate);
    this.#tracer = hooks.onTrace
      ? new TaskTracer(
          hooks.onTrace,
          ctx.elapsed,
          ctx.t0,
          (key) => ctx.models.labels.get(key) ?? key,
        )
      : undefined;
    const n = ctx.infos.length;
    this.#done = new Float64Array(n);
    this.#failed = new Float64Array(n);
    this.#skips = new Float64Array(n);
  }

  /** Tasks holding an in-flight slot. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Failure share over the early-shutdown window. */
  get errorRate(): number {
    return this.#window.errorRate;
  }

  /** A task waiting on its model gives its in-flight slot back. */
  park(): void {
    this.#inFlight--;
  }

  /** It takes the slot again: its request may go. */
  unpark(): void {
    this.#inFlight++;
  }

  /** Per generator name: cells done, failed, skipped. */
  columnProgress(): Record<string, ColumnProgress> {
    const columns: Record<string, ColumnProgress> = {};
    for (const info of this.#infos) {
      const i = info.index;
      columns[info.gen.name] = {
        done: this.#done[i]!,
        failed: this.#failed[i]!,
        skipped: this.#skips[i]!,
      };
    }
    return columns;
  }

  /** The pre-batch step of `group` (its roots are complete); a failure stops the run. */
  runPreBatch(group: RowGroup): void {
    const preBatch = this.#preBatch!;
    group.inFlight++;
    const apply = (result: PreBatchResult): void => {
      if (group.phase !== 'open') return;
      group.inFlight--;
      for (const local of result.dropped) this.#ready.dropRow(group, local);
      group.columns = result.columns;
      if (group.survivors > 0) this.#ready.openGate(group);
      this.#checkGroup(group);
    };
    preBatch(group)
      .then(apply, (err: unknown) => {
        if (group.phase !== 'open') return;
        this.#hooks.onFatal(
          isInternalBug(err)
            ? internalError(err, `the pre-batch processors of row group ${group.id}`)
            : asTabsynthError(err),
        );
      })
      .catch((err: unknown) => this.#hooks.onFatal(internalError(err, 'the scheduler')))
      .finally(() => this.#pump());
  }

  // ---- running tasks

  #startTask(info: GenInfo, group: RowGroup, local: number): Task {
    this.#inFlight++;
    group.inFlight++;
    const seed = cellSeed(this.#plan.settings.seed, info.hash, group.firstRow + Math.max(0, local));
    return new Task(info, group, local, seed, this.#hooks.onTrace ? this.#elapsed() : 0);
  }

  /** Bookkeeping when a task settles; false when its group was abandoned meanwhile. */
  #settle(task: Task): boolean {
    if (task.group.halted) return false;
    this.#inFlight--;
    task.group.inFlight--;
    if (
      ++this.#sinceTick >= PROGRESS_EVERY ||
      this.#elapsed() - this.#lastTickAt >= PROGRESS_INTERVAL_MS
    ) {
      this.#sinceTick = 0;
      this.#lastTickAt = this.#elapsed();
      this.#hooks.onTick();
    }
    return true;
  }

  /** Runs `apply` for a settled task; a throw there is a bug of ours and stops the run. */
  #guarded(task: Task, apply: () => void): void {
    try {
      apply();
    } catch (err) {
      this.#hooks.onFatal(internalError(err, task.describe()));
    }
    this.#pump();
  }

  /**
   * Calls a task's generator and applies its outcome: at once when it answers
   * synchronously (no await on the hot path), else when its promise settles.
   */
  #call<T>(
    task: Task,
    generate: () => Promise<T> | T,
    ok: (value: T) => void,
    fail: (err: unknown) => void,
  ): void {
    let result: Promise<T> | T;
    try {
      result = generate();
    } catch (err) {
      fail(err);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value: T) => this.#guarded(task, () => ok(value)),
        (err: unknown) => this.#guarded(task, () => fail(err)),
      );
    } else {
      ok(result);
    }
  }

  #warn = (warning: TabsynthError): void => {
    const d = warning.details;
    this.#records.warnings.record(
      warning,
      typeof d['column'] === 'string' ? d['column'] : undefined,
      typeof d['row'] === 'number' ? d['row'] : undefined,
    );
  };

  /** Skip.when / propagate_skip for cell (info, local): writes the skip when it holds. */
  #skipped(info: GenInfo, group: RowGroup, local: number): boolean {
    if (!shouldSkip(info, group, local, () => group.row(local), this.#warn)) return false;
    writeSkip(info, group, local);
    this.#skips[info.index]!++;
    this.#tracer?.skip(info, group, local);
    return true;
  }

  /** Runs (or skips) cell (info, local); its slot and group count are taken here. */
  runCell(info: GenInfo, group: RowGroup, local: number): void {
    if (info.canSkip && this.#skipped(info, group, local)) {
      this.#ready.cellDone(group, info, local);
      this.#checkGroup(group);
      return;
    }
    const task = this.#startTask(info, group, local);
    this.#call(
      task,
      () =>
        (info.gen as CellGenerator).generate({
          row: group.row(local),
          rowIndex: group.firstRow + local,
          seed: task.seed,
          runSeed: this.#plan.settings.seed,
          signal: this.#signal,
          models: new TaskModels(this.#models, task),
        }),
      (values) => this.#cellSucceeded(task, values),
      (err) => this.#cellFailed(task, err),
    );
  }

  #cellSucceeded(task: Task, values: CellValues): void {
    if (!this.#settle(task)) return;
    const { group, info, local } = task;
    this.#tracer?.task(task, 'ok');
    if (group.dropped[local] === 0) {
      for (const out of info.gen.outputs) group.column(out)[local] = values[out];
      this.#done[info.index]!++;
      this.#ready.cellDone(group, info, local);
    }
    if (this.#window.record(false)) this.#shutdown();
    this.#checkGroup(group);
  }

  #cellFailed(task: Task, raw: unknown): void {
    if (!this.#settle(task)) return;
    const { group, info, local } = task;
    const err = isInternalBug(raw) ? internalError(raw, task.describe()) : asTabsynthError(raw);
    if (group.dropped[local] !== 0) {
      this.#tracer?.task(task, 'cancelled', err);
    } else if (stopsRun(err)) {
      this.#fatal(task, err);
      return;
    } else if (err.retryable) {
      this.#tracer?.task(task, 'failed_retryable', err);
      group.state[info.index]![local] = PENDING;
      group.setAside.push({ gen: info.index, local, error: err });
    } else {
      this.#tracer?.task(task, 'failed', err);
      this.#records.firstErrors.record(err, info.gen.name, group.firstRow + local);
      this.#failed[info.index]!++;
      this.#ready.dropRow(group, local);
      if (this.#window.record(true)) this.#shutdown();
    }
    this.#checkGroup(group);
  }

  /** Runs generator `info` over the surviving, not skipped rows of `group`. */
  runBatch(info: GenInfo, group: RowGroup): void {
    let locals = group.survivingRows();
    if (info.canSkip) locals = locals.filter((r) => !this.#skipped(info, group, r));
    if (locals.length === 0) {
      group.state[info.index]![0] = DONE;
      this.#ready.generatorComplete(group, info);
      this.#checkGroup(group);
      return;
    }
    const task = this.#startTask(info, group, -1);
    const whole = locals.length === group.size;
    this.#call(
      task,
      () =>
        (info.gen as ColumnGenerator).generate({
          columns: whole ? group.columns : gatherColumns(group.columns, locals),
          rowIndices: locals.map((r) => group.firstRow + r),
          rowGroup: group.id,
          runSeed: this.#plan.settings.seed,
          signal: this.#signal,
          models: new TaskModels(this.#models, task),
        }),
      (values) => this.#batchSucceeded(task, locals, values),
      (err) => this.#batchFailed(task, err),
    );
  }

  #batchSucceeded(task: Task, locals: number[], values: BatchValues): void {
    const { group, info } = task;
    const gen = info.gen;
    for (const out of gen.outputs) {
      const col = (values as BatchValues | undefined)?.columns?.[out];
      if (!Array.isArray(col) || col.length !== locals.length) {
        const found = Array.isArray(col) ? `${col.length} values` : 'none';
        const err = new TabsynthError(
          ErrorCodes.GENERATOR_FAILED,
          `generator "${gen.name}" output "${out}": expected ${locals.length} values (one per row of row group ${group.id}), found ${found}`,
        );
        this.#batchFailed(task, err);
        return;
      }
    }
    if (!this.#settle(task)) return;
    this.#tracer?.task(task, 'ok');
    const whole = locals.length === group.size;
    for (const out of gen.outputs) {
      const col = values.columns[out]!;
      if (whole) {
        // The batch covered every row: its array becomes the column (never written again).
        group.columns.set(out, col);
      } else {
        const target = group.column(out);
        for (let i = 0; i < locals.length; i++) target[locals[i]!] = col[i];
      }
    }
    this.#done[info.index]! += locals.length;
    for (const i of values.droppedRows ?? []) {
      const local = locals[i];
      if (local === undefined || group.dropped[local] !== 0) continue;
      const why = values.rowErrors?.get(i);
      if (why !== undefined) {
        this.#records.firstErrors.record(asTabsynthError(why), gen.name, group.firstRow + local);
      }
      this.#failed[info.index]!++;
      this.#done[info.index]!--;
      this.#ready.dropRow(group, local);
    }
    group.state[info.index]![0] = DONE;
    this.#ready.generatorComplete(group, info);
    if (this.#window.record(false)) this.#shutdown();
    this.#checkGroup(group);
  }

  #batchFailed(task: Task, raw: unknown): void {
    if (!this.#settle(task)) return;
    const { group, info } = task;
    const err = isInternalBug(raw) ? internalError(raw, task.describe()) : asTabsynthError(raw);
    if (stopsRun(err)) {
      this.#fatal(task, err);
      return;
    }
    if (err.retryable) {
      this.#tracer?.task(task, 'failed_retryable', err);
      group.state[info.index]![0] = PENDING;
      group.setAside.push({ gen: info.index, local: -1, error: err });
    } else {
      this.#tracer?.task(task, 'failed', err);
      this.#records.firstErrors.record(err, info.gen.name);
      this.#failed[info.index]! += group.survivors;
      this.#ready.dropGroup(group);
      if (this.#window.record(true)) this.#shutdown();
    }
    this.#checkGroup(group);
  }

  /** An error that stops the run: handed to the run with its column and row. */
  #fatal(task: Task, err: TabsynthError): void {
    this.#tracer?.task(task, 'failed', err);
    this.#failed[task.info.index]!++;
    const column = task.info.gen.name;
    this.#hooks.onFatal(
      err,
      task.local < 0 ? { column } : { column, row: task.group.firstRow + task.local },
    );
  }

  // ---- group life cycle

  #checkGroup(group: RowGroup): void {
    if (group.phase !== 'open' || group.inFlight > 0) return;
    if (group.survivors === 0 || group.complete) {
      group.moveTo('committing');
      this.#hooks.onGroupDone(group);
    } else if (group.stalled) {
      this.#salvage(group);
    }
  }

  /** SPEC 3.6 salvage: set-aside tasks go back to ready, or (rounds spent) drop their rows. */
  #salvage(group: RowGroup): void {
    const tasks = group.setAside;
    group.setAside = [];
    const exhausted = ++group.salvageRounds > this.#plan.settings.salvageMaxRounds;
    for (const t of tasks) {
      const info = this.#infos[t.gen]!;
      if (exhausted) {
        this.#records.firstErrors.record(
          t.error,
          info.gen.name,
          t.local < 0 ? undefined : group.firstRow + t.local,
        );
        if (t.local < 0) {
          this.#failed[t.gen]! += group.survivors;
          this.#ready.dropGroup(group);
        } else if (group.dropped[t.local] === 0) {
          this.#failed[t.gen]!++;
          this.#ready.dropRow(group, t.local);
        }
      } else if (t.local < 0) {
        this.#ready.enqueueBatch(group, t.gen);
      } else if (group.dropped[t.local] === 0) {
        this.#ready.enqueueCell(group, t.gen, t.local);
      }
    }
    this.#checkGroup(group);
  }

  #shutdown(): void {
    if (this.#plan.settings.disableEarlyShutdown || !this.#acceptsTasks()) return;
    this.#hooks.onShutdown();
  }
}
