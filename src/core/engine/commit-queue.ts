/**
 * Commits run one at a time, in order, so every commit carries the manifest that
 * lists all before it. When one settles the next starts at once, before the
 * settled one's caller resumes: the caller then releases its row group, which
 * admits and generates the next group synchronously, and the next commit's
 * encoding (on the compute pool) overlaps that generation instead of waiting for it.
 */
interface Queued {
  fn: () => Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class CommitQueue {
  #queue: Queued[] = [];
  #running = false;
  /** Settles when every commit queued so far has settled. */
  #tail: Promise<void> = Promise.resolve();

  /** Queues `fn`; settles as it does. */
  run(fn: () => Promise<void>): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.#queue.push({ fn, resolve, reject }));
    this.#tail = p.catch(() => undefined);
    if (!this.#running) this.#next();
    return p;
  }

  /** Resolves once every commit queued so far has settled (never rejects). */
  idle(): Promise<void> {
    return this.#tail;
  }

  #next(): void {
    const commit = this.#queue.shift();
    this.#running = commit !== undefined;
    if (commit === undefined) return;
    let done: Promise<void>;
    try {
      done = commit.fn();
    } catch (err) {
      done = Promise.reject(err);
    }
    done.then(
      () => {
        this.#next();
        commit.resolve();
      },
      (err: unknown) => {
        this.#next();
        commit.reject(err);
      },
    );
  }
}
