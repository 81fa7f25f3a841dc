import { onAbort as subscribeAbort } from './abort.ts';
import { cancelledError } from './errors.ts';

/**
 * Time as the core sees it. The real clock in production; a fake one in tests,
 * so no test sleeps or depends on a timing window.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`; rejects with RUN_CANCELLED when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The longest delay a timer holds: setTimeout treats a longer one (Node: over
 * 2^31 - 1 ms, about 24.8 days; browsers alike) as 1 ms, so a timeout of
 * 3 000 000 s would fire at once. Longer delays wait this long instead.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a timer can wait it. */
export function timerDelay(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelledError(signal));
      const timer = setTimeout(() => {
        unsubscribe?.();
        resolve();
      }, timerDelay(ms));
      const unsubscribe = signal
        ? subscribeAbort(signal, () => {
            clearTimeout(timer);
            reject(cancelledError(signal));
          })
        : undefined;
    });
  },
};

interface Sleeper {
  due: number;
  seq: number;
  resolve: () => void;
}

/**
 * A clock that only moves when told. `advance(ms)` fires every sleeper due by then,
 * in order, letting the promises they release settle between firings.
 */
export class FakeClock implements Clock {
  #now = 0;
  #sleepers: Sleeper[] = [];
  #seq = 0;

  now(): number {
    return this.#now;
  }

  /** Sleepers currently waiting. */
  get pending(): number {
    return this.#sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelledError(signal));
      const sleeper = {
        due: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          unsubscribe?.();
          resolve();
        },
      };
      const unsubscribe = signal
        ? subscribeAbort(signal, () => {
            this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
            reject(cancelledError(signal));
          })
        : undefined;
      this.#sleepers.push(sleeper);
    });
  }

  /** Moves time forward by `ms`, waking sleepers in due order. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.#nextDue();
      if (!next || next.due > target) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      this.#now = Math.max(this.#now, next.due);
      next.resolve();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Advances to the next sleeper's due time and wakes it; false when none waits. */
  async runNext(): Promise<boolean> {
    await flushMicrotasks();
    const next = this.#nextDue();
    if (!next) return false;
    await this.advance(next.due - this.#now);
    return true;
  }

  /** Runs sleepers until none is left (or `limit` steps). */
  async runAll(limit = 1_000_000): Promise<void> {
    for (let i = 0; i < limit; i++) if (!(await this.runNext())) return;
  }

  #nextDue() {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (!best || s.due < best.due || (s.due === best.due && s.seq < best.seq)) best = s;
    }
    return best;
  }
}

/** Lets every promise that is ready to settle do so (a few macrotask-free turns). */
export async function flushMicrotasks(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
