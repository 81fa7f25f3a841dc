/**
 * Ready tasks, one FIFO per generator, taking turns (SPEC 3.5). A cell task is
 * its global row index, a batch or from_scratch task its row group id: plain
 * numbers in growable ring buffers, so queueing allocates nothing per task.
 */

/** A FIFO of numbers in a ring buffer that doubles when full. */
export class NumberQueue {
  #buf = new Float64Array(64);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(value: number): void {
    if (this.#size === this.#buf.length) this.#grow();
    this.#buf[(this.#head + this.#size) & (this.#buf.length - 1)] = value;
    this.#size++;
  }

  /** The oldest value; call only when size > 0. */
  shift(): number {
    const value = this.#buf[this.#head]!;
    this.#head = (this.#head + 1) & (this.#buf.length - 1);
    this.#size--;
    return value;
  }

  #grow(): void {
    const next = new Float64Array(this.#buf.length * 2);
    for (let i = 0; i < this.#size; i++) {
      next[i] = this.#buf[(this.#head + i) & (this.#buf.length - 1)]!;
    }
    this.#buf = next;
    this.#head = 0;
  }
}

/** How the queue asks about a generator when choosing whose turn it is. */
export interface TurnPolicy {
  /** Tasks this generator may take in one turn (its model's current limit; 1 without a model). */
  weight(gen: number): number;
  /** False while the generator's model cannot take more requests (its tasks would only wait). */
  eligible(gen: number): boolean;
}

/**
 * Weighted round robin over generators with ready tasks: each takes up to
 * `weight` tasks per turn, so no column's backlog starves another's.
 */
export class FairReadyQueue {
  readonly queues: NumberQueue[];
  #ring: number[] = [];
  #inRing: Uint8Array;
  #cursor = 0;
  #credit = 0;
  #policy: TurnPolicy;

  constructor(generators: number, policy: TurnPolicy) {
    this.queues = Array.from({ length: generators }, () => new NumberQueue());
    this.#inRing = new Uint8Array(generators);
    this.#policy = policy;
  }

  push(gen: number, task: number): void {
    this.queues[gen]!.push(task);
    if (this.#inRing[gen] === 0) {
      this.#inRing[gen] = 1;
      this.#ring.push(gen);
    }
  }

  /** The generator whose turn it is, or -1 when none has an eligible ready task. */
  nextGenerator(): number {
    let passed = 0;
    while (this.#ring.length > 0) {
      if (this.#cursor >= this.#ring.length) this.#cursor = 0;
      const gen = this.#ring[this.#cursor]!;
      if (this.queues[gen]!.size === 0) {
        this.#ring.splice(this.#cursor, 1);
        this.#inRing[gen] = 0;
        this.#credit = 0;
        continue;
      }
      if (!this.#policy.eligible(gen)) {
        this.#cursor++;
        this.#credit = 0;
        if (++passed >= this.#ring.length) return -1;
        continue;
      }
      if (this.#credit <= 0) this.#credit = Math.max(1, this.#policy.weight(gen));
      if (--this.#credit <= 0) this.#cursor++;
      return gen;
    }
    return -1;
  }
}
