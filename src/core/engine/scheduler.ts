/**
 * The task scheduler of SPEC 3.3-3.6: admits row groups, keeps every generator's
 * ready tasks, dispatches them in fair turns under max_in_flight_tasks, and
 * applies results, drops, set-asides and salvage rounds. What happens to a
 * finished row group (processors, commit) is the Committer's business; the
 * scheduler hands it over through `onGroupDone`.
 *
 * Hot path: a result that is not a promise is applied synchronously inside the
 * dispatch loop, without an await; state lives in typed arrays per row group.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { onNextMacrotask } from '../macrotask.ts';
import { cellSeed } from '../random/seed.ts';
import type { ModelTransport } from '../models/types.ts';
import type { Row } from '../storage/types.ts';
import { gatherColumns } from '../storage/columnar.ts';
import type { TaskTrace } from './events.ts';
import { ModelPool, TaskModels, type ModelCaller, type SlotHolder } from './model-access.ts';
import type { FirstErrors } from './outcomes.ts';
import { asTabsynthError, OutcomeWindow } from './outcomes.ts';
import type { BatchValues, CellValues, ColumnGenerator, CellGenerator, Plan } from './plan.ts';
import { FairReadyQueue } from './ready-queue.ts';
import { TaskTracer, type TracedTask } from './traces.ts';
import {
  DONE,
  PENDING,
  QUEUED,
  RUNNING,
  RowGroup,
  describeGenerators,
  type GenInfo,
} from './row-group.ts';

/** Synchronous completions after which the dispatch loop yields to the event loop. */
const YIELD_EVERY = 8192;
/** Task completions between two progress reports. */
export const PROGRESS_EVERY = 512;

export interface SchedulerHooks {
  /** A row group is complete (or emptied); the scheduler has stopped touching it. */
  onGroupDone(group: RowGroup): void;
  /** Early shutdown fired. */
  onShutdown(): void;
  /** PROGRESS_EVERY task completions went by. */
  onTick(): void;
  onTrace: ((trace: TaskTrace) => void) | undefined;
  /** The pre-batch step (only when a pre-batch processor is configured); drops rows through dropRow, rejects to drop the group. */
  preBatch: ((group: RowGroup) => Promise<void> | void) | undefined;
}

/** A running task: its model access and trace data. */
class Task implements ModelCaller, TracedTask {
  started = -1;
  attempts = 0;
  get klass(): string {
    return this.info.gen.name;
  }
  constructor(
    readonly info: GenInfo,
    readonly group: RowGroup,
    /** Row within the group; -1 for a batch or from_scratch task. */
    readonly local: number,
    readonly seed: number,
    readonly dispatched: number,
  ) {}
}

export class Scheduler implements SlotHolder {
  readonly infos: GenInfo[];
  readonly groups = new Map<number, RowGroup>();
  readonly models: ModelPool;
  readonly firstErrors: FirstErrors;
  readonly window: OutcomeWindow;
  /** Per generator: cells done, failed (dropped for it), skipped. */
  readonly done: Float64Array;
  readonly failed: Float64Array;
  readonly skippedCount: Float64Array;
  droppedRows = 0;
  /** Tasks holding an in-flight slot. */
  inFlight = 0;
  /** Tasks started and not yet settled (parked ones included). */
  live = 0;
  /** No new row groups, no new tasks. */
  stopping = false;
  #plan: Plan;
  #clock: Clock;
  #signal: AbortSignal;
  #queue: FairReadyQueue;
  #pending: number[];
  #nextPending = 0;
  #hooks: SchedulerHooks;
  #t0: number;
  #pumping = false;
  #repump = false;
  #yielding = false;
  #sinceYield = 0;
  #sinceTick = 0;
  #maxGroups: number;
  #gated: boolean;
  #tracer: TaskTracer | undefined;

  constructor(
    plan: Plan,
    transports: ReadonlyMap<string, ModelTransport>,
    clock: Clock,
    signal: AbortSignal,
    pendingGroups: number[],
    firstErrors: FirstErrors,
    hooks: SchedulerHooks,
  ) {
    const s = plan.settings;
    const sequential = s.mode === 'sequential';
    this.#gated = hooks.preBatch !== undefined;
    this.infos = describeGenerators(plan.generators, this.#gated, sequential);
    this.#plan = plan;
    this.#clock = clock;
    this.#signal = signal;
    this.#pending = pendingGroups;
    this.#hooks = hooks;
    this.#t0 = clock.now();
    this.#tracer = hooks.onTrace
      ? new TaskTracer(
          hooks.onTrace,
          () => this.elapsed,
          this.#t0,
          (key) => this.models.labels.get(key) ?? key,
        )
      : undefined;
    this.#maxGroups = sequential ? 1 : s.maxConcurrentRowGroups;
    this.firstErrors = firstErrors;
    this.window = new OutcomeWindow(s.shutdownErrorWindow, s.shutdownErrorRate);
    this.models = new ModelPool(plan.models, transports, clock, this, signal);
    for (const info of this.infos) {
      const key = info.gen.modelKey;
      if (key !== undefined && !this.models.limiters.has(key)) {
        throw new TabsynthError(
          ErrorCodes.INVALID_ARGUMENT,
          `plan: generator "${info.gen.name}" uses model "${key}", expected one of plan.models (${[...this.models.limiters.keys()].join(', ') || 'none'})`,
        );
      }
    }
    // One lane per model (its columns share its limiter), one per model-less generator.
    const laneKeys = this.infos.map((i) => i.gen.modelKey ?? `generator:${i.index}`);
    const lanes = [...new Set(laneKeys)];
    const laneLimiter = lanes.map((k) => this.models.limiters.get(k));
    this.#queue = new FairReadyQueue(this.infos.length, {
      lane: (g) => lanes.indexOf(laneKeys[g]!),
      weight: (lane) => laneLimiter[lane]?.limit ?? 1,
      eligible: (lane) => {
        const l = laneLimiter[lane];
        return l === undefined || l.waiting < l.limit;
      },
    });
    const n = this.infos.length;
    this.done = new Float64Array(n);
    this.failed = new Float64Array(n);
    this.skippedCount = new Float64Array(n);
  }

  get elapsed(): number {
    return this.#clock.now() - this.#t0;
  }

  /** Row groups not yet admitted. */
  get unadmitted(): number {
    return this.#pending.length - this.#nextPending;
  }

  // ---- SlotHolder: the hand-off of in-flight slots while a task waits on its model.
  parkSlot(): void {
    this.inFlight--;
    this.pump();
  }
  unparkSlot(): void {
    this.inFlight++;
  }
  modelReleased(): void {
    this.pump();
  }

  /** A finished group's slot is free: admit the next one. */
  releaseGroup(group: RowGroup): void {
    this.groups.delete(group.id);
    this.pump();
  }

  /** Admits row groups and dispatches ready tasks until a limit is reached. */
  pump(): void {
    if (this.#pumping) {
      this.#repump = true;
      return;
    }
    if (this.#yielding || this.stopping) return;
    this.#pumping = true;
    try {
      do {
        this.#repump = false;
        this.#admit();
        this.#dispatch();
      } while (this.#repump && !this.#yielding && !this.stopping);
    } finally {
      this.#pumping = false;
    }
  }

  #admit(): void {
    const bs = this.#plan.settings.bufferSize;
    const n = this.#plan.settings.numRecords;
    while (
      !this.stopping &&
      this.groups.size < this.#maxGroups &&
      this.#nextPending < this.#pending.length
    ) {
      const id = this.#pending[this.#nextPending++]!;
      const first = id * bs;
      const group = new RowGroup(id, first, Math.min(bs, n - first), this.infos);
      this.groups.set(id, group);
      for (const info of this.infos) {
        if (group.blockers[info.index] === 0) this.#unblocked(group, info);
      }
    }
  }

  #dispatch(): void {
    const bs = this.#plan.settings.bufferSize;
    const max = this.#plan.settings.maxInFlightTasks;
    const queues = this.#queue.queues;
    while (this.inFlight < max && !this.stopping) {
      const g = this.#queue.nextGenerator();
      if (g < 0) return;
      const info = this.infos[g]!;
      const key = queues[g]!.shift();
      if (info.cell) {
        const gid = Math.floor(key / bs);
        const group = this.groups.get(gid);
        if (group === undefined || group.halted) continue;
        const local = key - group.firstRow;
        const state = group.state[g]!;
        if (group.dropped[local] !== 0 || state[local] !== QUEUED) continue;
        group.queued--;
        state[local] = RUNNING;
        this.#runCell(info, group, local);
      } else {
        const group = this.groups.get(key);
        if (group === undefined || group.halted) continue;
        const state = group.state[g]!;
        if (state[0] !== QUEUED) continue;
        group.queued--;
        state[0] = RUNNING;
        this.#runBatch(info, group);
        // A batch weighs its rows: a few large synchronous batches must not keep the
        // worker from its messages (a commit's IndexedDB and pool replies, a cancel).
        this.#sinceYield += group.size;
      }
      if (++this.#sinceYield >= YIELD_EVERY) {
        // Let timers, messages and the abort signal in.
        this.#sinceYield = 0;
        this.#yielding = true;
        onNextMacrotask(() => {
          this.#yielding = false;
          this.pump();
        });
        return;
      }
    }
  }

  // ---- readiness

  #enqueueCell(group: RowGroup, g: number, local: number): void {
    group.state[g]![local] = QUEUED;
    group.queued++;
    this.#queue.push(g, group.firstRow + local);
  }

  /** Every whole-column condition of generator `info` is met for `group`. */
  #unblocked(group: RowGroup, info: GenInfo): void {
    const g = info.index;
    if (!info.cell) {
      group.state[g]![0] = QUEUED;
      group.queued++;
      this.#queue.push(g, group.id);
      return;
    }
    const state = group.state[g]!;
    const waiting = group.waitingOn[g];
    for (let r = 0; r < group.size; r++) {
      if (
        group.dropped[r] === 0 &&
        state[r] === PENDING &&
        (waiting === undefined || waiting[r] === 0)
      ) {
        this.#enqueueCell(group, g, r);
      }
    }
  }

  #unblockOne(group: RowGroup, g: number): void {
    if (--group.blockers[g]! === 0) this.#unblocked(group, this.infos[g]!);
  }

  /** Generator `info` is complete for `group`. */
  #generatorComplete(group: RowGroup, info: GenInfo): void {
    group.incomplete--;
    for (const e of info.downstream) {
      if (!(info.cell && this.infos[e]!.cell)) this.#unblockOne(group, e);
    }
    if (this.#plan.settings.mode === 'sequential' && info.index + 1 < this.infos.length) {
      this.#unblockOne(group, info.index + 1);
    }
    if (info.root && --group.rootsLeft === 0 && this.#gated) this.#runPreBatch(group);
  }

  #runPreBatch(group: RowGroup): void {
    const preBatch = this.#hooks.preBatch!;
    const release = (): void => {
      if (group.halted) return;
      group.inFlight--;
      if (group.survivors > 0) {
        for (const info of this.infos) if (!info.root) this.#unblockOne(group, info.index);
      }
      this.#checkGroup(group);
    };
    const fail = (err: unknown): void => {
      if (group.halted) return;
      this.firstErrors.record(asTabsynthError(err));
      this.dropGroup(group);
      release();
    };
    group.inFlight++;
    try {
      const r = preBatch(group);
      if (r instanceof Promise) {
        r.then(release, fail).finally(() => this.pump());
        return;
      }
    } catch (err) {
      fail(err);
      return;
    }
    release();
  }

  // ---- drops

  /** Drops row `local`: its pending cells go, whole-column readers are re-checked. */
  dropRow(group: RowGroup, local: number): void {
    if (group.dropped[local] !== 0) return;
    group.dropped[local] = 1;
    group.survivors--;
    this.droppedRows++;
    for (const info of this.infos) {
      if (!info.cell) continue;
      const state = group.state[info.index]!;
      const s = state[local]!;
      if (s === DONE) continue;
      if (s === QUEUED) group.queued--;
      state[local] = PENDING;
      if (--group.remaining[info.index]! === 0) this.#generatorComplete(group, info);
    }
  }

  dropGroup(group: RowGroup): void {
    for (let r = 0; r < group.size; r++) this.dropRow(group, r);
  }

  // ---- running tasks

  #startTask(info: GenInfo, group: RowGroup, local: number): Task {
    this.inFlight++;
    this.live++;
    group.inFlight++;
    const seed = cellSeed(this.#plan.settings.seed, info.hash, group.firstRow + Math.max(0, local));
    return new Task(info, group, local, seed, this.#hooks.onTrace ? this.elapsed : 0);
  }

  /** Bookkeeping when a task settles; false when its group was abandoned meanwhile. */
  #settle(task: Task): boolean {
    this.live--;
    if (task.group.halted) return false;
    this.inFlight--;
    task.group.inFlight--;
    if (++this.#sinceTick >= PROGRESS_EVERY) {
      this.#sinceTick = 0;
      this.#hooks.onTick();
    }
    return true;
  }

  #runCell(info: GenInfo, group: RowGroup, local: number): void {
    const g = info.index;
    const row = group.row(local);
    if (info.canSkip && this.#shouldSkip(info, group, local, row)) {
      const gen = info.gen;
      for (const out of gen.outputs) group.column(out)[local] = gen.skipValue ?? null;
      group.skipped[g]![local] = 1;
      this.skippedCount[g]!++;
      this.#tracer?.skip(info, group, local);
      this.#cellDone(group, info, local);
      this.#checkGroup(group);
      return;
    }
    const task = this.#startTask(info, group, local);
    let result: Promise<CellValues> | CellValues;
    try {
      result = (info.gen as CellGenerator).generate({
        row,
        rowIndex: group.firstRow + local,
        seed: task.seed,
        runSeed: this.#plan.settings.seed,
        signal: this.#signal,
        models: new TaskModels(this.models, task),
      });
    } catch (err) {
      this.#cellFailed(task, err);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (values) => {
          this.#cellSucceeded(task, values);
          this.pump();
        },
        (err: unknown) => {
          this.#cellFailed(task, err);
          this.pump();
        },
      );
    } else {
      this.#cellSucceeded(task, result);
    }
  }

  #shouldSkip(info: GenInfo, group: RowGroup, local: number, row: Row): boolean {
    if (info.gen.propagateSkip) {
      for (const up of info.cellUpstream) if (group.skipped[up]?.[local] === 1) return true;
    }
    const when = info.gen.skipWhen;
    return when !== undefined && when(row);
  }

  #cellSucceeded(task: Task, values: CellValues): void {
    if (!this.#settle(task)) return;
    const { group, info, local } = task;
    this.#tracer?.task(task, 'ok');
    if (group.dropped[local] === 0) {
      for (const out of info.gen.outputs) group.column(out)[local] = values[out];
      this.done[info.index]!++;
      this.#cellDone(group, info, local);
    }
    if (this.window.record(false)) this.#shutdown();
    this.#checkGroup(group);
  }

  /** Cell (info, local) has its value: downstream cells may become ready. */
  #cellDone(group: RowGroup, info: GenInfo, local: number): void {
    group.state[info.index]![local] = DONE;
    for (const e of info.cellDownstream) {
      const waiting = group.waitingOn[e]!;
      if (
        --waiting[local]! === 0 &&
        group.blockers[e] === 0 &&
        group.state[e]![local] === PENDING
      ) {
        this.#enqueueCell(group, e, local);
      }
    }
    if (--group.remaining[info.index]! === 0) this.#generatorComplete(group, info);
  }

  #cellFailed(task: Task, raw: unknown): void {
    if (!this.#settle(task)) return;
    const { group, info, local } = task;
    const err = asTabsynthError(raw);
    if (group.dropped[local] !== 0) {
      this.#tracer?.task(task, 'cancelled', err);
    } else if (err.retryable) {
      this.#tracer?.task(task, 'failed_retryable', err);
      group.state[info.index]![local] = PENDING;
      group.setAside.push({ gen: info.index, local, error: err });
    } else {
      this.#tracer?.task(task, 'failed', err);
      this.firstErrors.record(err, info.gen.name, group.firstRow + local);
      this.failed[info.index]!++;
      this.dropRow(group, local);
      if (this.window.record(true)) this.#shutdown();
    }
    this.#checkGroup(group);
  }

  #runBatch(info: GenInfo, group: RowGroup): void {
    const locals = group.survivingRows();
    if (locals.length === 0) {
      group.state[info.index]![0] = DONE;
      this.#generatorComplete(group, info);
      this.#checkGroup(group);
      return;
    }
    const task = this.#startTask(info, group, -1);
    const whole = locals.length === group.size;
    let result: Promise<BatchValues> | BatchValues;
    try {
      result = (info.gen as ColumnGenerator).generate({
        columns: whole ? group.columns : gatherColumns(group.columns, locals),
        rowIndices: locals.map((r) => group.firstRow + r),
        rowGroup: group.id,
        runSeed: this.#plan.settings.seed,
        signal: this.#signal,
        models: new TaskModels(this.models, task),
      });
    } catch (err) {
      this.#batchFailed(task, err);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (values) => {
          this.#batchSucceeded(task, locals, values);
          this.pump();
        },
        (err: unknown) => {
          this.#batchFailed(task, err);
          this.pump();
        },
      );
    } else {
      this.#batchSucceeded(task, locals, result);
    }
  }

  #batchSucceeded(task: Task, locals: number[], values: BatchValues): void {
    const { group, info } = task;
    const gen = info.gen;
    for (const out of gen.outputs) {
      const col = values.columns[out];
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
    this.done[info.index]! += locals.length;
    for (const i of values.droppedRows ?? []) {
      const local = locals[i];
      if (local === undefined || group.dropped[local] !== 0) continue;
      const why = values.rowErrors?.get(i);
      if (why !== undefined) {
        this.firstErrors.record(asTabsynthError(why), gen.name, group.firstRow + local);
      }
      this.failed[info.index]!++;
      this.done[info.index]!--;
      this.dropRow(group, local);
    }
    group.state[info.index]![0] = DONE;
    this.#generatorComplete(group, info);
    if (this.window.record(false)) this.#shutdown();
    this.#checkGroup(group);
  }

  #batchFailed(task: Task, raw: unknown): void {
    if (!this.#settle(task)) return;
    const { group, info } = task;
    const err = asTabsynthError(raw);
    if (err.retryable) {
      this.#tracer?.task(task, 'failed_retryable', err);
      group.state[info.index]![0] = PENDING;
      group.setAside.push({ gen: info.index, local: -1, error: err });
    } else {
      this.#tracer?.task(task, 'failed', err);
      this.firstErrors.record(err, info.gen.name);
      this.failed[info.index]! += group.survivors;
      this.dropGroup(group);
      if (this.window.record(true)) this.#shutdown();
    }
    this.#checkGroup(group);
  }

  // ---- group life cycle

  #checkGroup(group: RowGroup): void {
    if (group.finalizing || group.inFlight > 0) return;
    if (group.survivors === 0 || group.complete) {
      group.finalizing = true;
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
      const info = this.infos[t.gen]!;
      if (exhausted) {
        this.firstErrors.record(
          t.error,
          info.gen.name,
          t.local < 0 ? undefined : group.firstRow + t.local,
        );
        if (t.local < 0) {
          this.failed[t.gen]! += group.survivors;
          this.dropGroup(group);
        } else if (group.dropped[t.local] === 0) {
          this.failed[t.gen]!++;
          this.dropRow(group, t.local);
        }
      } else if (t.local < 0) {
        group.state[t.gen]![0] = QUEUED;
        group.queued++;
        this.#queue.push(t.gen, group.id);
      } else if (group.dropped[t.local] === 0) {
        this.#enqueueCell(group, t.gen, t.local);
      }
    }
    this.#checkGroup(group);
  }

  #shutdown(): void {
    if (this.#plan.settings.disableEarlyShutdown || this.stopping) return;
    this.#hooks.onShutdown();
  }
}
