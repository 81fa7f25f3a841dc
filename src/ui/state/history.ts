/**
 * Undo/redo over whole-document snapshots (JSON text: small, immutable, cheap to
 * compare). Consecutive edits with the same coalescing key (typing in one field)
 * make one undo step.
 */

/** Most undo steps kept. */
const MAX_STEPS = 200;

export class UndoStack {
  #past: string[] = [];
  #future: string[] = [];
  #lastKey: string | undefined;

  /** Records `before` (the document before an edit) unless it continues the last edit's key. */
  record(before: string, key?: string): void {
    if (key !== undefined && key === this.#lastKey) return;
    if (this.#past[this.#past.length - 1] !== before) this.#past.push(before);
    if (this.#past.length > MAX_STEPS) this.#past.shift();
    this.#future = [];
    this.#lastKey = key;
  }

  /** Ends coalescing: the next edit starts a new step. */
  seal(): void {
    this.#lastKey = undefined;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** The snapshot to go back to, given the current one; undefined when there is none. */
  undo(current: string): string | undefined {
    const prev = this.#past.pop();
    if (prev === undefined) return undefined;
    this.#future.push(current);
    this.#lastKey = undefined;
    return prev;
  }

  redo(current: string): string | undefined {
    const next = this.#future.pop();
    if (next === undefined) return undefined;
    this.#past.push(current);
    this.#lastKey = undefined;
    return next;
  }

  clear(): void {
    this.#past = [];
    this.#future = [];
    this.#lastKey = undefined;
  }
}
