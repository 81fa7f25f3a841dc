/**
 * A pool of Comlink workers (the compute pool of SPEC 3.5): calls queue until a
 * worker is free, one call per worker at a time.
 *
 * A call to a terminated or crashed worker never settles under Comlink, so every
 * call races its worker's death (an `error` event) and a timeout on the pool's
 * clock. A worker that dies or hangs is terminated and replaced, and its call is
 * tried once more on a fresh worker; a second loss rejects with WORKER_LOST. The
 * pool never hangs its caller.
 */
import * as Comlink from 'comlink';
import type { Remote } from 'comlink';
import { systemClock } from '../core/clock.ts';
import type { Clock } from '../core/clock.ts';
import { cancelledError, ErrorCodes, TabsynthError } from '../core/errors.ts';

export interface WorkerPoolOptions {
  /** Makes one worker: `new Worker(new URL('…', import.meta.url), { type: 'module' })`. */
  create: () => Worker;
  /** Workers in the pool. Default: navigator.hardwareConcurrency - 1, at least 1. */
  size?: number;
  /** Ms a call may run before its worker counts as hung. Default: 60 000. */
  timeoutMs?: number;
  /** Time for the timeouts. Default: the system clock. */
  clock?: Clock;
  /** Name used in error messages. Default: 'compute'. */
  name?: string;
}

interface Slot<Api> {
  worker: Worker;
  remote: Remote<Api>;
  /** Rejects when the worker reports an uncaught error (it is treated as dead). */
  died: Promise<never>;
  busy: boolean;
}

interface Job<Api> {
  call: (api: Remote<Api>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  /** Attempts made so far. */
  attempts: number;
  signal?: AbortSignal;
}

/** The default pool size: every core but the one the engine worker uses. */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2;
  return Math.max(1, (cores || 2) - 1);
}

export class WorkerPool<Api> {
  readonly size: number;
  readonly #create: () => Worker;
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #name: string;
  readonly #slots: Slot<Api>[] = [];
  readonly #queue: Job<Api>[] = [];
  #closed = false;
  /** Workers replaced after dying or hanging (for tests and diagnostics). */
  replaced = 0;

  constructor(options: WorkerPoolOptions) {
    const size = options.size ?? defaultPoolSize();
    if (!Number.isInteger(size) || size < 1) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `worker pool size: expected an integer >= 1, got ${String(options.size)}`,
      );
    }
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (!(timeoutMs > 0)) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `worker pool timeoutMs: expected a positive number, got ${String(options.timeoutMs)}`,
      );
    }
    this.size = size;
    this.#create = options.create;
    this.#timeoutMs = timeoutMs;
    this.#clock = options.clock ?? systemClock;
    this.#name = options.name ?? 'compute';
  }

  /** Calls queued or running. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((s) => s.busy).length;
  }

  /** Runs `call` on a free worker. */
  run<T>(call: (api: Remote<Api>) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#closed) return Promise.reject(this.#lost('the pool was terminated'));
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        call,
        resolve: resolve as (v: unknown) => void,
        reject,
        attempts: 0,
        ...(signal ? { signal } : {}),
      });
      this.#dispatch();
    });
  }

  /**
   * Starts every worker not yet started, so their modules load while the caller
   * does other work (a run compiling its config) rather than at the first call.
   */
  warm(): void {
    while (!this.#closed && this.#slots.length < this.size) this.#slots.push(this.#spawn());
  }

  /** Terminates every worker; queued and running calls reject with WORKER_LOST. */
  terminate(): void {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(this.#lost('the pool was terminated'));
    for (const slot of this.#slots.splice(0)) {
      slot.remote[Comlink.releaseProxy]();
      slot.worker.terminate();
    }
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => !s.busy);
      if (!slot && this.#slots.length < this.size) {
        slot = this.#spawn();
        this.#slots.push(slot);
      }
      if (!slot) return;
      const job = this.#queue.shift()!;
      if (job.signal?.aborted) {
        job.reject(cancelledError(job.signal));
        continue;
      }
      void this.#execute(slot, job);
    }
  }

  #spawn(): Slot<Api> {
    const worker = this.#create();
    const died = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        reject(this.#lost(`a ${this.#name} worker crashed: ${event.message || 'no message'}`));
      });
    });
    died.catch(() => undefined);
    return { worker, remote: Comlink.wrap<Api>(worker), died, busy: false };
  }

  async #execute(slot: Slot<Api>, job: Job<Api>): Promise<void> {
    slot.busy = true;
    job.attempts++;
    const timer = new AbortController();
    const timeout = this.#clock.sleep(this.#timeoutMs, timer.signal).then(() => {
      throw this.#lost(`a ${this.#name} worker did not answer within ${this.#timeoutMs} ms`);
    });
    timeout.catch(() => undefined);
    try {
      const value = await Promise.race([job.call(slot.remote), slot.died, timeout]);
      job.resolve(value);
      slot.busy = false;
    } catch (err) {
      const lost = err instanceof TabsynthError && err.code === ErrorCodes.WORKER_LOST;
      if (lost) {
        this.#replace(slot);
        if (job.attempts < 2 && !this.#closed) this.#queue.unshift(job);
        else job.reject(err);
      } else {
        job.reject(err);
        slot.busy = false;
      }
    } finally {
      timer.abort();
      this.#dispatch();
    }
  }

  #replace(slot: Slot<Api>): void {
    slot.remote[Comlink.releaseProxy]();
    slot.worker.terminate();
    this.replaced++;
    const i = this.#slots.indexOf(slot);
    if (i >= 0) this.#slots.splice(i, 1);
  }

  #lost(message: string): TabsynthError {
    return new TabsynthError(ErrorCodes.WORKER_LOST, message);
  }
}
