/**
 * Tasks (SPEC 3.2) as the scheduler holds them: a ready task waiting in the
 * ready queue, typed by kind, and a running task with its model access and
 * trace data.
 */
import type { ModelCaller } from './model-access.ts';
import type { GenInfo, RowGroup } from './row-group.ts';
import type { TracedTask } from './traces.ts';

/** A ready task: one row of a per-cell generator, or a whole-column generator's batch. */
export type ReadyTask =
  | { readonly kind: 'cell'; readonly group: RowGroup; readonly local: number }
  | { readonly kind: 'batch'; readonly group: RowGroup };

/** A running task. */
export class Task implements ModelCaller, TracedTask {
  started = -1;
  attempts = 0;
  /** Latency is compared per column. */
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

  /** The task as people read it: `column "x" (cell task, row 12)`, rows counted from 1. */
  describe(): string {
    const name = this.info.gen.name;
    if (this.local >= 0)
      return `column "${name}" (cell task, row ${this.group.firstRow + this.local + 1})`;
    const kind = this.info.root ? 'from_scratch' : 'batch';
    return `column "${name}" (${kind} task, row group ${this.group.id})`;
  }
}
