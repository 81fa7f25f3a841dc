/**
 * Readiness (SPEC 3.4): which tasks of an admitted row group may run. It counts
 * down each generator's blockers and each cell's upstreams, puts tasks that
 * became ready on the ready queue, and handles drops, which remove a row's
 * pending cells and re-check the whole-column generators reading it.
 */
import type { FairReadyQueue } from './ready-queue.ts';
import { DONE, PENDING, QUEUED, type GenInfo, type RowGroup } from './row-group.ts';
import type { ReadyTask } from './tasks.ts';

export class Readiness {
  readonly #infos: readonly GenInfo[];
  readonly #queue: FairReadyQueue<ReadyTask>;
  readonly #sequential: boolean;
  /** Called when every root generator of a group is complete (the pre-batch gate), or undefined without one. */
  readonly #onRootsDone: ((group: RowGroup) => void) | undefined;
  #droppedRows = 0;

  constructor(
    infos: readonly GenInfo[],
    queue: FairReadyQueue<ReadyTask>,
    sequential: boolean,
    onRootsDone: ((group: RowGroup) => void) | undefined,
  ) {
    this.#infos = infos;
    this.#queue = queue;
    this.#sequential = sequential;
    this.#onRootsDone = onRootsDone;
  }

  /** Rows dropped so far. */
  get droppedRows(): number {
    return this.#droppedRows;
  }

  /** A newly admitted group: its unblocked generators' tasks become ready. */
  admit(group: RowGroup): void {
    for (const info of this.#infos) {
      if (group.blockers[info.index] === 0) this.#unblocked(group, info);
    }
  }

  enqueueCell(group: RowGroup, g: number, local: number): void {
    group.state[g]![local] = QUEUED;
    group.queued++;
    this.#queue.push(g, { kind: 'cell', group, local });
  }

  enqueueBatch(group: RowGroup, g: number): void {
    group.state[g]![0] = QUEUED;
    group.queued++;
    this.#queue.push(g, { kind: 'batch', group });
  }

  /** One whole-column condition of generator `g` is met (an upstream, the gate, a turn). */
  unblockOne(group: RowGroup, g: number): void {
    if (--group.blockers[g]! === 0) this.#unblocked(group, this.#infos[g]!);
  }

  /** The pre-batch gate opened: every non-root generator loses that blocker. */
  openGate(group: RowGroup): void {
    for (const info of this.#infos) if (!info.root) this.unblockOne(group, info.index);
  }

  /** Generator `info` is complete for `group`. */
  generatorComplete(group: RowGroup, info: GenInfo): void {
    group.incomplete--;
    for (const e of info.downstream) {
      if (!(info.cell && this.#infos[e]!.cell)) this.unblockOne(group, e);
    }
    if (this.#sequential && info.index + 1 < this.#infos.length) {
      this.unblockOne(group, info.index + 1);
    }
    if (info.root && --group.rootsLeft === 0) this.#onRootsDone?.(group);
  }

  /** Cell (info, local) has its value: downstream cells may become ready. */
  cellDone(group: RowGroup, info: GenInfo, local: number): void {
    group.state[info.index]![local] = DONE;
    for (const e of info.cellDownstream) {
      const waiting = group.waitingOn[e]!;
      if (
        --waiting[local]! === 0 &&
        group.blockers[e] === 0 &&
        group.state[e]![local] === PENDING
      ) {
        this.enqueueCell(group, e, local);
      }
    }
    if (--group.remaining[info.index]! === 0) this.generatorComplete(group, info);
  }

  /** Drops row `local`: its pending cells go, whole-column readers are re-checked. */
  dropRow(group: RowGroup, local: number): void {
    if (group.dropped[local] !== 0) return;
    group.dropped[local] = 1;
    group.survivors--;
    this.#droppedRows++;
    for (const info of this.#infos) {
      if (!info.cell) continue;
      const state = group.state[info.index]!;
      const s = state[local]!;
      if (s === DONE) continue;
      if (s === QUEUED) group.queued--;
      state[local] = PENDING;
      if (--group.remaining[info.index]! === 0) this.generatorComplete(group, info);
    }
  }

  dropGroup(group: RowGroup): void {
    for (let r = 0; r < group.size; r++) this.dropRow(group, r);
  }

  /** Every whole-column condition of generator `info` is met for `group`. */
  #unblocked(group: RowGroup, info: GenInfo): void {
    const g = info.index;
    if (!info.cell) {
      this.enqueueBatch(group, g);
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
        this.enqueueCell(group, g, r);
      }
    }
  }
}
