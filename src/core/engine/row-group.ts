/**
 * The completion tracker (SPEC 3.4): what each generator has left to do in one
 * row group, in typed arrays sized by the group, so that a completion or a drop
 * costs O(downstream) and never a scan over the group's rows.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';
import { hashString } from '../random/seed.ts';
import { rowAt } from '../storage/columnar.ts';
import type { Row } from '../storage/types.ts';
import type { PlanGenerator } from './plan.ts';

/** Cell states. */
export const PENDING = 0;
export const QUEUED = 1;
export const RUNNING = 2;
export const DONE = 3;

/** A generator as the scheduler sees it: indices instead of names. */
export interface GenInfo {
  /** Position in plan.generators (topological order). */
  index: number;
  gen: PlanGenerator;
  /** Per-cell (true) or whole-column (false). */
  cell: boolean;
  /** No upstream: its tasks are the row group's root tasks. */
  root: boolean;
  /** hashString(name), the column part of every cell seed. */
  hash: number;
  /** Every upstream generator. */
  upstream: number[];
  /** Upstream generators that are per-cell. */
  cellUpstream: number[];
  /** Every downstream generator. */
  downstream: number[];
  /** Per-cell downstream generators that read this one per cell (both per-cell). */
  cellDownstream: number[];
  /** Blockers a fresh row group starts with (see RowGroup.blockers). */
  initialBlockers: number;
  /**
   * Its cells may be skipped: it has a skip.when, or propagate_skip and an upstream
   * whose cells may be skipped. Per-cell and whole-column generators alike.
   */
  canSkip: boolean;
}

export function describeGenerators(
  generators: readonly PlanGenerator[],
  gate: boolean,
  sequential: boolean,
): GenInfo[] {
  const byName = new Map<string, number>();
  generators.forEach((g, i) => {
    if (byName.has(g.name)) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `plan: generator names must be unique, "${g.name}" appears twice`,
      );
    }
    byName.set(g.name, i);
  });
  const infos: GenInfo[] = generators.map((gen, index) => ({
    index,
    gen,
    cell: gen.granularity === 'cell',
    root: gen.upstream.length === 0,
    hash: hashString(gen.name),
    upstream: [],
    cellUpstream: [],
    downstream: [],
    cellDownstream: [],
    initialBlockers: 0,
    canSkip: gen.skipWhen !== undefined,
  }));
  for (const info of infos) {
    for (const name of info.gen.upstream) {
      const up = byName.get(name);
      if (up === undefined || up >= info.index) {
        throw new TabsynthError(
          ErrorCodes.INVALID_ARGUMENT,
          `plan: generator "${info.gen.name}" reads "${name}", expected a generator listed before it, found ${up === undefined ? 'none' : 'one after it'}`,
        );
      }
      const upInfo = infos[up]!;
      info.upstream.push(up);
      upInfo.downstream.push(info.index);
      if (upInfo.cell && info.cell) {
        info.cellUpstream.push(up);
        upInfo.cellDownstream.push(info.index);
      } else {
        // A whole-column upstream, or a whole-column reader of a per-cell column:
        // blocks until complete for the group.
        info.initialBlockers++;
      }
    }
    // Upstreams come first (topological order), so theirs is already known.
    if (info.gen.propagateSkip === true && info.upstream.some((u) => infos[u]!.canSkip)) {
      info.canSkip = true;
    }
    if (gate && !info.root) info.initialBlockers++;
    if (sequential && info.index > 0) info.initialBlockers++;
  }
  return infos;
}

/**
 * Where a row group is in its life. `open`: its tasks run. `committing`: it is
 * complete and handed to the run for post-batch processors and commit; no task of
 * it runs. `halted`: abandoned (early shutdown, cancel, failure); late results are
 * ignored. Only the scheduler moves a group, through `moveTo`.
 */
type GroupPhase = 'open' | 'committing' | 'halted';

/** Every allowed move of a row group, in one place. */
export const GROUP_TRANSITIONS: Readonly<Record<GroupPhase, readonly GroupPhase[]>> = {
  open: ['committing', 'halted'],
  committing: ['halted'],
  halted: [],
};

/** One admitted row group: its buffer and its completion state. */
export class RowGroup {
  readonly id: number;
  /** Global index of row 0. */
  readonly firstRow: number;
  readonly size: number;
  /**
   * The buffer, column by column: each written column's values by local row (index
   * 0..size-1), filled as cells and batches complete. A batch's output array is
   * adopted as it is when the batch covered every row.
   */
  columns = new Map<string, unknown[]>();
  /** 1 where the row was dropped. */
  readonly dropped: Uint8Array;
  survivors: number;
  /** Per generator: per-cell state of each row (cell generators) or one state (whole-column). */
  readonly state: Uint8Array[];
  /** Per per-cell generator and row: per-cell upstreams not yet done (undefined when none). */
  readonly waitingOn: (Uint8Array | undefined)[];
  /** Per generator and row: 1 where the cell was skipped (only for skippable generators). */
  readonly skipped: (Uint8Array | undefined)[];
  /** Per generator: whole-column conditions not yet met (upstreams, pre-batch gate, sequential turn). */
  readonly blockers: Int32Array;
  /** Per per-cell generator: surviving rows not yet done. */
  readonly remaining: Int32Array;
  /** Generators not complete for this group. */
  incomplete: number;
  /** Root generators not complete for this group. */
  rootsLeft: number;
  /** Tasks of this group that are running (a pre-batch processor counts as one). */
  inFlight = 0;
  /** Tasks of this group waiting in the ready queues. */
  queued = 0;
  /** Tasks that failed retryably, waiting for a salvage round. */
  setAside: { gen: number; local: number; error: TabsynthError }[] = [];
  salvageRounds = 0;
  #phase: GroupPhase = 'open';

  constructor(id: number, firstRow: number, size: number, infos: readonly GenInfo[]) {
    this.id = id;
    this.firstRow = firstRow;
    this.size = size;
    this.dropped = new Uint8Array(size);
    this.survivors = size;
    this.state = new Array<Uint8Array>(infos.length);
    this.waitingOn = new Array<Uint8Array | undefined>(infos.length);
    this.skipped = new Array<Uint8Array | undefined>(infos.length);
    this.blockers = new Int32Array(infos.length);
    this.remaining = new Int32Array(infos.length);
    this.incomplete = infos.length;
    this.rootsLeft = 0;
    for (const info of infos) {
      const i = info.index;
      this.blockers[i] = info.initialBlockers;
      if (info.root) this.rootsLeft++;
      if (info.cell) {
        this.state[i] = new Uint8Array(size);
        this.remaining[i] = size;
        const k = info.cellUpstream.length;
        this.waitingOn[i] = k > 0 ? new Uint8Array(size).fill(k) : undefined;
      } else {
        this.state[i] = new Uint8Array(1);
      }
      this.skipped[i] = info.canSkip ? new Uint8Array(size) : undefined;
    }
  }

  get phase(): GroupPhase {
    return this.#phase;
  }

  /** Abandoned: late results of its tasks are ignored. */
  get halted(): boolean {
    return this.#phase === 'halted';
  }

  /** Moves the group to `phase`; throws INTERNAL when the move is not listed. */
  moveTo(phase: GroupPhase): void {
    if (!GROUP_TRANSITIONS[this.#phase].includes(phase)) {
      throw new TabsynthError(
        ErrorCodes.INTERNAL,
        `row group ${this.id}: expected a move listed for "${this.#phase}" (${GROUP_TRANSITIONS[this.#phase].join(', ') || 'none'}), found "${this.#phase}" -> "${phase}"`,
        { rowGroup: this.id, from: this.#phase, to: phase },
      );
    }
    this.#phase = phase;
  }

  /** Column `name`'s values, made (empty) on its first write. */
  column(name: string): unknown[] {
    let values = this.columns.get(name);
    if (values === undefined) {
      values = new Array<unknown>(this.size);
      this.columns.set(name, values);
    }
    return values;
  }

  /** Frees the buffer once its rows were taken for commit. */
  freeBuffer(): void {
    this.columns.clear();
  }

  /** Row `local` as a new object of the values written so far. */
  row(local: number): Row {
    return rowAt(this.columns, local);
  }

  /** Every generator is complete and nothing is running or set aside. */
  get complete(): boolean {
    return this.incomplete === 0 && this.inFlight === 0 && this.setAside.length === 0;
  }

  /** Set-aside tasks and nothing running or ready: time for a salvage round. */
  get stalled(): boolean {
    return this.setAside.length > 0 && this.inFlight === 0 && this.queued === 0;
  }

  /** Local indices of the surviving rows, in row order. */
  survivingRows(): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.size; r++) if (this.dropped[r] === 0) out.push(r);
    return out;
  }

  /** Whether row `r` has every column: used when a stopped run commits what survives. */
  rowFinished(r: number, infos: readonly GenInfo[]): boolean {
    if (this.dropped[r] !== 0) return false;
    for (const info of infos) {
      const s = this.state[info.index]!;
      if ((info.cell ? s[r] : s[0]) !== DONE) return false;
    }
    return true;
  }
}
