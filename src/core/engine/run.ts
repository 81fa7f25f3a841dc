/**
 * `runEngine`: one run of a Plan, from manifest to report (SPEC 3.3-3.10).
 *
 * The Scheduler runs tasks; this file owns what surrounds them: the manifest
 * (new or resumed), pre- and post-batch processors, the commit of each finished
 * row group (serialized, so every commit carries the manifest that lists all
 * before it), early shutdown, cancellation, progress and the final report.
 *
 * after_run processors are not applied here: committed row groups stay exactly
 * as generated so a run can be resumed and exported; the exporter applies
 * after_run processors (see processors.ts `runProcessors`) while it streams the
 * committed groups.
 */
import { cancelledError, ErrorCodes, RunError, TabsynthError } from '../errors.ts';
import { systemClock, type Clock } from '../clock.ts';
import { columnarRowGroup } from '../storage/columnar.ts';
import type {
  CommittedGroupInfo,
  Row,
  RowGroupData,
  RunManifest,
  RunStatus,
} from '../storage/types.ts';
import type { Progress, RunResult } from './events.ts';
import { FirstErrors } from './outcomes.ts';
import type { EngineOptions, Plan, PlanProcessor, ProcessorBatch } from './plan.ts';
import { processorsOf, runProcessors } from './processors.ts';
import type { RowGroup } from './row-group.ts';
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
  for (let id = 0; id < groupCount; id++) if (!done.has(id)) pending.push(id);
  return new EngineRun(options, clock, manifest, pending).start();
}

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

class EngineRun {
  #o: EngineOptions;
  #clock: Clock;
  #manifest: RunManifest;
  #scheduler: Scheduler;
  #abort = new AbortController();
  /** Signal for processors: the user's, never the one early shutdown aborts. */
  #userSignal: AbortSignal;
  #post: PlanProcessor[];
  /** Settles when every commit queued so far has settled. */
  #tail: Promise<void> = Promise.resolve();
  /** Commits waiting for the one running (#serialize). */
  #commits: { fn: () => Promise<void>; resolve: () => void; reject: (e: unknown) => void }[] = [];
  #committing = false;
  #finalizers = 0;
  #ended = false;
  #stoppedEarly = false;
  #rowsDoneThisRun = 0;
  #t0: number;
  #resolve!: (r: RunResult) => void;
  #reject!: (e: unknown) => void;
  #onAbort = (): void => this.#cancel();

  constructor(options: EngineOptions, clock: Clock, manifest: RunManifest, pending: number[]) {
    this.#o = options;
    this.#clock = clock;
    this.#manifest = manifest;
    this.#t0 = clock.now();
    this.#userSignal = options.signal ?? new AbortController().signal;
    const processors = options.plan.processors;
    const pre = processorsOf(processors, 'pre_batch');
    this.#post = processorsOf(processors, 'post_batch');
    this.#scheduler = new Scheduler(
      options.plan,
      options.transports,
      clock,
      this.#abort.signal,
      pending,
      new FirstErrors(manifest.firstErrors),
      {
        onGroupDone: (g) => void this.#finalize(g, false),
        onShutdown: () => this.#shutdown(),
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
    this.#scheduler.pump();
    this.#maybeEnd();
    return result.finally(() => this.#o.signal?.removeEventListener('abort', this.#onAbort));
  }

  async #preBatch(pre: PlanProcessor[], group: RowGroup): Promise<void> {
    const locals = group.survivingRows();
    const out = await runProcessors(pre, batchOf(group, locals), group.id, this.#userSignal);
    if (group.halted) return;
    const byIndex = new Map<number, Row>();
    out.rowIndices.forEach((ri, i) => byIndex.set(ri, out.rows[i]!));
    // The processors' rows replace the buffer: columns they removed are gone.
    const columns = new Map<string, unknown[]>();
    for (const local of locals) {
      const row = byIndex.get(group.firstRow + local);
      if (row === undefined) {
        this.#scheduler.dropRow(group, local);
        continue;
      }
      for (const [name, value] of Object.entries(row)) {
        let values = columns.get(name);
        if (values === undefined) columns.set(name, (values = new Array<unknown>(group.size)));
        values[local] = value;
      }
    }
    group.columns = columns;
  }

  /** Post-batch, drop `drop: true` columns, commit; `partial` keeps only finished rows (shutdown). */
  async #finalize(group: RowGroup, partial: boolean): Promise<void> {
    this.#finalizers++;
    try {
      const infos = this.#scheduler.infos;
      const locals = partial
        ? group.survivingRows().filter((r) => group.rowFinished(r, infos))
        : group.survivingRows();
      let data: RowGroupData;
      if (this.#post.length === 0) {
        data = this.#columnarData(group, locals);
      } else {
        let batch = batchOf(group, locals);
        if (batch.rows.length > 0) {
          try {
            batch = await runProcessors(this.#post, batch, group.id, this.#userSignal);
          } catch (err) {
            this.#scheduler.firstErrors.record(err as TabsynthError);
            batch = { rows: [], rowIndices: [] };
          }
        }
        data = this.#rowGroupData(group, batch);
      }
      group.columns.clear();
      await this.#serialize(async () => {
        if (this.#ended) return;
        const dropped = group.size - data.rowIndices.length;
        const next: RunManifest = {
          ...this.#manifest,
          droppedRows: this.#manifest.droppedRows + dropped,
          firstErrors: this.#scheduler.firstErrors.list(),
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
      });
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#finalizers--;
      if (!partial) this.#scheduler.releaseGroup(group);
      else this.#scheduler.groups.delete(group.id);
      if (!this.#ended) this.#emit();
      this.#maybeEnd();
    }
  }

  /** The committed columns: the plan's output columns without `drop: true` ones. */
  #committedColumns(): string[] {
    const plan = this.#o.plan;
    const hidden = new Set(plan.droppedColumns);
    return plan.outputColumns.filter((c) => !hidden.has(c));
  }

  /** A group with no post-batch processors, committed column by column as it was generated. */
  #columnarData(group: RowGroup, locals: number[]): RowGroupData {
    const columns = this.#committedColumns();
    const whole = locals.length === group.size;
    const values = new Map<string, readonly unknown[]>();
    for (const c of columns) {
      const all = group.columns.get(c) ?? new Array<unknown>(group.size);
      values.set(c, whole ? all : locals.map((r) => all[r]));
    }
    return columnarRowGroup(
      {
        id: group.id,
        firstRow: group.firstRow,
        rowIndices: locals.map((r) => group.firstRow + r),
        columns,
      },
      values,
    );
  }

  /** A group after post-batch processors, from their rows. */
  #rowGroupData(group: RowGroup, batch: ProcessorBatch): RowGroupData {
    const hidden = new Set(this.#o.plan.droppedColumns);
    const columns = this.#committedColumns();
    if (batch.rows.length > 0) {
      // Processors may add or remove columns: keep the plan's order for known ones.
      const present = new Set<string>();
      for (const row of batch.rows) for (const k of Object.keys(row)) present.add(k);
      const known = new Set(columns);
      const kept = columns.filter((c) => present.has(c));
      for (const k of present) if (!known.has(k) && !hidden.has(k)) kept.push(k);
      columns.splice(0, columns.length, ...kept);
    }
    const rows = batch.rows.map((row) => {
      const out: Row = {};
      for (const c of columns) out[c] = row[c];
      return out;
    });
    const data: RowGroupData = {
      id: group.id,
      firstRow: group.firstRow,
      rowIndices: batch.rowIndices,
      columns,
      rows,
    };
    if (batch.extraTables && Object.keys(batch.extraTables).length > 0) {
      data.extraTables = {};
      for (const [name, tableRows] of Object.entries(batch.extraTables)) {
        const names = new Set<string>();
        for (const row of tableRows) for (const k of Object.keys(row)) names.add(k);
        data.extraTables[name] = { columns: [...names], rows: tableRows };
      }
    }
    return data;
  }

  /**
   * Runs commits one at a time, in order. When one settles, the next starts at once,
   * before the settled one's caller resumes: the caller then releases its row group,
   * which admits and generates the next group synchronously, and the next commit's
   * encoding (on the compute pool) overlaps that generation instead of waiting for it.
   */
  #serialize(fn: () => Promise<void>): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.#commits.push({ fn, resolve, reject }));
    this.#tail = p.catch(() => undefined);
    if (!this.#committing) this.#nextCommit();
    return p;
  }

  #nextCommit(): void {
    const commit = this.#commits.shift();
    this.#committing = commit !== undefined;
    if (commit === undefined) return;
    let done: Promise<void>;
    try {
      done = commit.fn();
    } catch (err) {
      done = Promise.reject(err);
    }
    done.then(
      () => {
        this.#nextCommit();
        commit.resolve();
      },
      (err: unknown) => {
        this.#nextCommit();
        commit.reject(err);
      },
    );
  }

  #shutdown(): void {
    if (this.#ended || this.#stoppedEarly) return;
    this.#stoppedEarly = true;
    const sched = this.#scheduler;
    sched.stopping = true;
    const open = [...sched.groups.values()]
      .filter((g) => !g.finalizing)
      .sort((a, b) => a.id - b.id);
    for (const g of open) {
      g.finalizing = true;
      g.halted = true;
    }
    this.#abort.abort(new RunError(ErrorCodes.RUN_SHUTDOWN, 'early shutdown: too many failures'));
    for (const g of open) void this.#finalize(g, true);
    this.#maybeEnd();
  }

  #maybeEnd(): void {
    if (this.#ended || this.#finalizers > 0) return;
    const sched = this.#scheduler;
    if (this.#stoppedEarly) void this.#end('stopped');
    else if (sched.unadmitted === 0 && sched.groups.size === 0) void this.#end('complete');
  }

  #halt(reason: unknown): void {
    this.#ended = true;
    const sched = this.#scheduler;
    sched.stopping = true;
    for (const g of sched.groups.values()) g.halted = true;
    this.#abort.abort(reason);
  }

  async #end(status: RunStatus): Promise<void> {
    this.#ended = true;
    try {
      await this.#tail;
      const m = this.#manifest;
      const nothing = m.rowsWritten === 0 && m.numRecords > 0;
      this.#manifest = {
        ...m,
        status: nothing ? 'failed' : status,
        firstErrors: this.#scheduler.firstErrors.list(),
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
          `run "${m.runId}" committed no rows: generated 0 of ${m.numRecords}${this.#stoppedEarly ? ' (stopped early)' : ''}; first errors: ${why}`,
          { firstErrors },
        );
      }
      this.#resolve(this.#result());
    } catch (err) {
      this.#reject(err);
    }
  }

  #cancel(): void {
    if (this.#ended) return;
    const reason = cancelledError(this.#o.signal);
    this.#halt(reason);
    void this.#settleAs('cancelled', reason);
  }

  #fail(err: unknown): void {
    if (this.#ended) return;
    this.#halt(err);
    void this.#settleAs('failed', err);
  }

  async #settleAs(status: RunStatus, err: unknown): Promise<void> {
    try {
      await this.#tail;
      this.#manifest = {
        ...this.#manifest,
        status,
        firstErrors: this.#scheduler.firstErrors.list(),
        modelUsage: this.#scheduler.models.usage(),
        updatedAt: Date.now(),
      };
      await this.#o.store.saveManifest(this.#manifest);
    } catch {
      // The run's own error is the one to report.
    }
    this.#reject(err);
  }

  #result(): RunResult {
    const m = this.#manifest;
    const models = this.#scheduler.models;
    return {
      runId: m.runId,
      rowsWritten: m.rowsWritten,
      rowsRequested: m.numRecords,
      droppedRows: m.droppedRows,
      stoppedEarly: this.#stoppedEarly,
      firstErrors: m.firstErrors,
      requests: models.requests,
      tokensIn: models.tokensIn,
      tokensOut: models.tokensOut,
      wallMs: this.#clock.now() - this.#t0,
      models: models.usage(),
      ...costFields(models.costUsd),
    };
  }

  #emit(): void {
    const onProgress = this.#o.onProgress;
    if (!onProgress) return;
    const sched = this.#scheduler;
    const m = this.#manifest;
    const columns: Progress['columns'] = {};
    for (const info of sched.infos) {
      const i = info.index;
      columns[info.gen.name] = {
        done: sched.done[i]!,
        failed: sched.failed[i]!,
        skipped: sched.skippedCount[i]!,
      };
    }
    const elapsedMs = this.#clock.now() - this.#t0;
    const left = m.numRecords - m.rowsWritten - m.droppedRows;
    const etaMs =
      this.#rowsDoneThisRun > 0 ? (elapsedMs / this.#rowsDoneThisRun) * left : undefined;
    onProgress({
      rowsCommitted: m.rowsWritten,
      rowsRequested: m.numRecords,
      droppedRows: m.droppedRows,
      columns,
      requestsInFlight: sched.models.requestsInFlight,
      requests: sched.models.requests,
      tokensIn: sched.models.tokensIn,
      tokensOut: sched.models.tokensOut,
      models: sched.models.progress(),
      errorRate: sched.window.errorRate,
      etaMs,
      elapsedMs,
      ...costFields(sched.models.costUsd, m),
      activeRowGroups: sched.groups.size,
      firstErrors: sched.firstErrors.list(),
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

/**
 * Inserts `entry` into `committed` in id order; returns its index. Groups mostly
 * finish in order, so the place is found from the end.
 */
function insertCommitted(committed: CommittedGroupInfo[], entry: CommittedGroupInfo): number {
  let at = committed.length;
  while (at > 0 && committed[at - 1]!.id > entry.id) at--;
  committed.splice(at, 0, entry);
  return at;
}

function batchOf(group: RowGroup, locals: number[]): ProcessorBatch {
  return {
    rows: locals.map((r) => group.row(r)),
    rowIndices: locals.map((r) => group.firstRow + r),
  };
}
