/**
 * The task scheduler of SPEC 3.3-3.5: admits row groups and dispatches ready
 * tasks in fair turns under max_in_flight_tasks. What a task's outcome does
 * (drops, set-asides, salvage, the hand-over of a finished row group) is the
 * executor's (execution.ts); what happens to a finished row group (processors,
 * commit) is the run's (run.ts).
 *
 * The scheduler owns its state: the run reads it through getters and changes it
 * only through commands (start, stop, halt, release). Whether it may admit and
 * dispatch is the run's lifecycle (lifecycle.ts), which it reads and never moves.
 * Nothing thrown while dispatching reaches the host: a bug of ours stops the run
 * with INTERNAL.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import { onNextMacrotask } from '../macrotask.ts';
import type { ModelTransport } from '../models/types.ts';
import type { ColumnProgress } from './events.ts';
import { TaskExecutor, type OutcomeHooks, type SchedulerRecords } from './execution.ts';
import type { RunState } from './lifecycle.ts';
import { ModelPool, type SlotHolder } from './model-access.ts';
import { internalError } from './outcomes.ts';
import type { Plan } from './plan.ts';
import { Readiness } from './readiness.ts';
import { FairReadyQueue } from './ready-queue.ts';
import { QUEUED, RUNNING, RowGroup, describeGenerators, type GenInfo } from './row-group.ts';
import type { ReadyTask } from './tasks.ts';

/** Synchronous completions after which the dispatch loop yields to the event loop. */
const YIELD_EVERY = 8192;

/** What the scheduler reads of the run's lifecycle. */
interface LifecycleView {
  readonly state: RunState;
  /** New row groups may be admitted and new tasks started. */
  readonly acceptsTasks: boolean;
}

interface SchedulerHooks extends OutcomeHooks {
  /** The last row group was admitted. */
  onAllAdmitted(): void;
}

export class Scheduler implements SlotHolder {
  readonly #infos: GenInfo[];
  readonly #groups = new Map<number, RowGroup>();
  readonly #models: ModelPool;
  readonly #exec: TaskExecutor;
  #plan: Plan;
  #clock: Clock;
  #lifecycle: LifecycleView;
  #queue: FairReadyQueue<ReadyTask>;
  #ready: Readiness;
  #pending: number[];
  #nextPending = 0;
  #hooks: SchedulerHooks;
  #t0: number;
  #pumping = false;
  #repump = false;
  #yielding = false;
  #sinceYield = 0;
  #maxGroups: number;

  constructor(
    plan: Plan,
    transports: ReadonlyMap<string, ModelTransport>,
    clock: Clock,
    signal: AbortSignal,
    pendingGroups: number[],
    lifecycle: LifecycleView,
    records: SchedulerRecords,
    hooks: SchedulerHooks,
  ) {
    const s = plan.settings;
    const sequential = s.mode === 'sequential';
    const gated = hooks.preBatch !== undefined;
    this.#infos = describeGenerators(plan.generators, gated, sequential);
    this.#plan = plan;
    this.#clock = clock;
    this.#pending = pendingGroups;
    this.#lifecycle = lifecycle;
    this.#hooks = hooks;
    this.#t0 = clock.now();
    this.#maxGroups = sequential ? 1 : s.maxConcurrentRowGroups;
    this.#models = new ModelPool(plan.models, transports, clock, this, signal);
    for (const info of this.#infos) {
      const key = info.gen.modelKey;
      if (key !== undefined && !this.#models.limiters.has(key)) {
        throw new TabsynthError(
          ErrorCodes.INVALID_ARGUMENT,
          `plan: generator "${info.gen.name}" uses model "${key}", expected one of plan.models (${[...this.#models.limiters.keys()].join(', ') || 'none'})`,
        );
      }
    }
    // One lane per model (its columns share its limiter), one per model-less generator.
    const laneKeys = this.#infos.map((i) => i.gen.modelKey ?? `generator:${i.index}`);
    const lanes = [...new Set(laneKeys)];
    const laneLimiter = lanes.map((k) => this.#models.limiters.get(k));
    this.#queue = new FairReadyQueue<ReadyTask>(this.#infos.length, {
      lane: (g) => lanes.indexOf(laneKeys[g]!),
      weight: (lane) => laneLimiter[lane]?.limit ?? 1,
      eligible: (lane) => {
        const l = laneLimiter[lane];
        return l === undefined || l.waiting < l.limit;
      },
    });
    this.#ready = new Readiness(
      this.#infos,
      this.#queue,
      sequential,
      gated ? (group) => this.#exec.runPreBatch(group) : undefined,
    );
    this.#exec = new TaskExecutor(
      {
        plan,
        infos: this.#infos,
        ready: this.#ready,
        models: this.#models,
        signal,
        records,
        acceptsTasks: () => this.#lifecycle.acceptsTasks,
        elapsed: () => this.elapsed,
        t0: this.#t0,
        pump: () => this.pump(),
      },
      hooks,
    );
  }

  // ---- read-only counters

  get elapsed(): number {
    return this.#clock.now() - this.#t0;
  }

  /** Row groups not yet admitted. */
  get unadmitted(): number {
    return this.#pending.length - this.#nextPending;
  }

  /** Row groups admitted and not yet released. */
  get activeGroups(): number {
    return this.#groups.size;
  }

  /** Tasks holding an in-flight slot. */
  get inFlight(): number {
    return this.#exec.inFlight;
  }

  /** Rows dropped so far in this run. */
  get droppedRows(): number {
    return this.#ready.droppedRows;
  }

  /** Failure share over the early-shutdown window. */
  get errorRate(): number {
    return this.#exec.errorRate;
  }

  /** The model calls' limiters and counters. */
  get models(): ModelPool {
    return this.#models;
  }

  /** Per generator name: cells done, failed, skipped. */
  columnProgress(): Record<string, ColumnProgress> {
    return this.#exec.columnProgress();
  }

  /** Local indices of `group`'s rows that have every column (a stopped run commits these). */
  finishedRows(group: RowGroup): number[] {
    return group.survivingRows().filter((r) => group.rowFinished(r, this.#infos));
  }

  // ---- commands

  /** Admits the first row groups and dispatches their tasks. */
  start(): void {
    this.pump();
  }

  /**
   * Early shutdown: every open row group is halted (late results are ignored) and
   * returned, in id order, for the run to commit what finished. The lifecycle no
   * longer accepts tasks, so nothing new is admitted or dispatched.
   */
  stop(): RowGroup[] {
    const open = [...this.#groups.values()]
      .filter((g) => g.phase === 'open')
      .sort((a, b) => a.id - b.id);
    for (const g of open) g.moveTo('halted');
    return open;
  }

  /** Cancel or failure: every row group, open or committing, is abandoned. */
  halt(): void {
    for (const g of this.#groups.values()) if (g.phase !== 'halted') g.moveTo('halted');
  }

  /** The run is done with `group` (committed or abandoned): its slot is free. */
  release(group: RowGroup): void {
    this.#groups.delete(group.id);
    this.pump();
  }

  // ---- SlotHolder: the hand-off of in-flight slots while a task waits on its model.
  parkSlot(): void {
    this.#exec.park();
    this.pump();
  }
  unparkSlot(): void {
    this.#exec.unpark();
  }
  modelReleased(): void {
    this.pump();
  }

  /** Admits row groups and dispatches ready tasks until a limit is reached. */
  pump(): void {
    if (this.#pumping) {
      this.#repump = true;
      return;
    }
    if (this.#yielding || !this.#lifecycle.acceptsTasks) return;
    this.#pumping = true;
    try {
      do {
        this.#repump = false;
        this.#admit();
        this.#dispatch();
      } while (this.#repump && !this.#yielding && this.#lifecycle.acceptsTasks);
    } catch (err) {
      this.#hooks.onFatal(internalError(err, 'the scheduler'));
    } finally {
      this.#pumping = false;
    }
  }

  #admit(): void {
    const bs = this.#plan.settings.bufferSize;
    const n = this.#plan.settings.numRecords;
    while (
      this.#lifecycle.acceptsTasks &&
      this.#groups.size < this.#maxGroups &&
      this.#nextPending < this.#pending.length
    ) {
      const id = this.#pending[this.#nextPending++]!;
      const first = id * bs;
      const group = new RowGroup(id, first, Math.min(bs, n - first), this.#infos);
      this.#groups.set(id, group);
      this.#ready.admit(group);
    }
    if (this.#nextPending === this.#pending.length && this.#lifecycle.state === 'admitting') {
      this.#hooks.onAllAdmitted();
    }
  }

  #dispatch(): void {
    const max = this.#plan.settings.maxInFlightTasks;
    while (this.#exec.inFlight < max && this.#lifecycle.acceptsTasks) {
      const g = this.#queue.nextGenerator();
      if (g < 0) return;
      const info = this.#infos[g]!;
      const task = this.#queue.take(g)!;
      const group = task.group;
      if (group.phase !== 'open') continue;
      const state = group.state[g]!;
      if (task.kind === 'cell') {
        const local = task.local;
        if (group.dropped[local] !== 0 || state[local] !== QUEUED) continue;
        group.queued--;
        state[local] = RUNNING;
        this.#exec.runCell(info, group, local);
      } else {
        if (state[0] !== QUEUED) continue;
        group.queued--;
        state[0] = RUNNING;
        this.#exec.runBatch(info, group);
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
}
