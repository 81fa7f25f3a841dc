/**
 * Ready tasks, one FIFO per generator, taking turns (SPEC 3.5). The queue holds
 * whatever entries the scheduler gives it (its typed ReadyTask, tasks.ts) in
 * growable ring buffers, and knows nothing of what they mean.
 */

/** A FIFO in a ring buffer that doubles when full. */
class Fifo<T> {
  #buf: (T | undefined)[] = new Array<T | undefined>(64);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(value: T): void {
    if (this.#size === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#size) & (this.#buf.length - 1)] = value;
    this.#size++;
  }

  /** The oldest entry, or undefined when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const value = this.#buf[this.#head];
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#buf.length - 1);
    this.#size--;
    return value;
  }

  #grow(): void {
    const next = new Array<T | undefined>(this.#buf.length * 2);
    for (let i = 0; i < this.#size; i++) {
      next[i] = this.#buf[(this.#head + i) & (this.#buf.length - 1)];
    }
    this.#buf = next;
    this.#head = 0;
  }
}

/** How the queue asks about a generator when choosing whose turn it is. */
interface TurnPolicy {
  /**
   * The lane of a generator: generators on the same model share one lane (they
   * compete for one limiter); each generator without a model has a lane of its own.
   */
  lane(gen: number): number;
  /** Tasks a lane may take in one turn: its model's current limit (1 without a model). */
  weight(lane: number): number;
  /** False while the lane's model cannot take more requests (its tasks would only wait). */
  eligible(lane: number): boolean;
}

/** A round robin over the members that have something ready. */
class Ring {
  readonly members: number[] = [];
  readonly #inRing: Uint8Array;
  cursor = 0;
  credit = 0;

  constructor(size: number) {
    this.#inRing = new Uint8Array(size);
  }

  add(member: number): void {
    if (this.#inRing[member] === 0) {
      this.#inRing[member] = 1;
      this.members.push(member);
    }
  }

  /** Removes the member under the cursor. */
  removeCurrent(): void {
    const member = this.members[this.cursor]!;
    this.members.splice(this.cursor, 1);
    this.#inRing[member] = 0;
    this.credit = 0;
  }
}

/**
 * SPEC 3.5 fair turns. Lanes (one per model, one per model-less generator) take
 * weighted turns, each up to its model's limit of tasks per turn; inside a lane
 * the generators sharing the model take one task each in turn. So no column's
 * backlog starves another's: not across models, and not among the columns of one
 * saturated model, whose freed slots go round its columns.
 */
export class FairReadyQueue<T> {
  readonly #queues: Fifo<T>[];
  readonly #lanes: Ring;
  readonly #members: Ring[];
  readonly #laneOf: Int32Array;
  readonly #policy: TurnPolicy;

  constructor(generators: number, policy: TurnPolicy) {
    this.#queues = Array.from({ length: generators }, () => new Fifo<T>());
    this.#policy = policy;
    this.#laneOf = Int32Array.from({ length: generators }, (_, g) => policy.lane(g));
    const laneCount = Math.max(0, ...this.#laneOf) + 1;
    this.#lanes = new Ring(laneCount);
    this.#members = Array.from({ length: laneCount }, () => new Ring(generators));
  }

  /** Ready tasks of generator `gen`. */
  size(gen: number): number {
    return this.#queues[gen]!.size;
  }

  push(gen: number, task: T): void {
    this.#queues[gen]!.push(task);
    const lane = this.#laneOf[gen]!;
    this.#members[lane]!.add(gen);
    this.#lanes.add(lane);
  }

  /** The oldest ready task of generator `gen` (the one nextGenerator named). */
  take(gen: number): T | undefined {
    return this.#queues[gen]!.shift();
  }

  /**
   * The generator whose turn it is, or -1 when none has an eligible ready task.
   * When no lane is eligible the turn stays where it was, so the lane whose turn it
   * is keeps it when its model frees a slot.
   */
  nextGenerator(): number {
    const lanes = this.#lanes;
    const startCursor = lanes.cursor;
    const startCredit = lanes.credit;
    let passed = 0;
    while (lanes.members.length > 0) {
      if (lanes.cursor >= lanes.members.length) lanes.cursor = 0;
      const lane = lanes.members[lanes.cursor]!;
      const gen = this.#nextInLane(lane);
      if (gen < 0) {
        lanes.removeCurrent();
        continue;
      }
      if (!this.#policy.eligible(lane)) {
        lanes.cursor++;
        lanes.credit = 0;
        if (++passed >= lanes.members.length) {
          lanes.cursor = startCursor;
          lanes.credit = startCredit;
          return -1;
        }
        continue;
      }
      if (lanes.credit <= 0) lanes.credit = Math.max(1, this.#policy.weight(lane));
      if (--lanes.credit <= 0) lanes.cursor++;
      this.#members[lane]!.cursor++;
      return gen;
    }
    return -1;
  }

  /** The lane's generator whose turn it is (the cursor is left on it), or -1 when none has tasks. */
  #nextInLane(lane: number): number {
    const ring = this.#members[lane]!;
    while (ring.members.length > 0) {
      if (ring.cursor >= ring.members.length) ring.cursor = 0;
      const gen = ring.members[ring.cursor]!;
      if (this.#queues[gen]!.size > 0) return gen;
      ring.removeCurrent();
    }
    return -1;
  }
}
