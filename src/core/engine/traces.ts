/** Task traces (SPEC 3.10): one record per task, when run settings `trace` is on. */
import type { TabsynthError } from '../errors.ts';
import type { TaskStatus, TaskTrace } from './events.ts';
import type { GenInfo, RowGroup } from './row-group.ts';

/** What a trace reads of a running task. */
export interface TracedTask {
  readonly info: GenInfo;
  readonly group: RowGroup;
  /** Row within the group; -1 for a batch or from_scratch task. */
  readonly local: number;
  /** Run-relative time of dispatch. */
  readonly dispatched: number;
  /** Clock time of the first granted model slot, -1 before. */
  readonly started: number;
}

export class TaskTracer {
  readonly #emit: (trace: TaskTrace) => void;
  readonly #elapsed: () => number;
  readonly #t0: number;
  readonly #label: (modelKey: string) => string;

  /**
   * `elapsed` gives run-relative now; `t0` is the clock time the run started (model
   * slot times are clock times); `label` names a model key for people.
   */
  constructor(
    emit: (trace: TaskTrace) => void,
    elapsed: () => number,
    t0: number,
    label: (modelKey: string) => string,
  ) {
    this.#emit = emit;
    this.#elapsed = elapsed;
    this.#t0 = t0;
    this.#label = label;
  }

  task(task: TracedTask, status: TaskStatus, err?: TabsynthError): void {
    const { info, group, local } = task;
    const t: TaskTrace = {
      column: info.gen.name,
      rowGroup: group.id,
      row: local < 0 ? null : group.firstRow + local,
      kind: local >= 0 ? 'cell' : info.root ? 'from_scratch' : 'batch',
      dispatched: task.dispatched,
      started: task.started < 0 ? task.dispatched : task.started - this.#t0,
      finished: this.#elapsed(),
      status,
      attempt: group.salvageRounds + 1,
    };
    if (err) t.error = `${err.code}: ${err.message}`;
    if (info.gen.modelKey !== undefined) t.model = this.#label(info.gen.modelKey);
    this.#emit(t);
  }

  /** A cell skipped by skip.when or propagate_skip: no task ran for it. */
  skip(info: GenInfo, group: RowGroup, local: number): void {
    const now = this.#elapsed();
    this.#emit({
      column: info.gen.name,
      rowGroup: group.id,
      row: group.firstRow + local,
      kind: info.cell ? 'cell' : info.root ? 'from_scratch' : 'batch',
      dispatched: now,
      started: now,
      finished: now,
      status: 'skipped',
      attempt: group.salvageRounds + 1,
    });
  }
}
