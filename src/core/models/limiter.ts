/**
 * The adaptive concurrency limit of one (provider, model), SPEC 3.5.
 *
 * AIMD: a 429 multiplies the limit by 0.75 (at least 1) once per burst (429s that
 * arrive while the cooldown of an earlier one runs belong to the same burst), and
 * new acquisitions wait out the endpoint's Retry-After (2 s when it gave none).
 * After the cooldown, every 25 successes add one, up to the cap.
 */
import { onAbort } from '../abort.ts';
import { cancelledError, ErrorCodes, TabsynthError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { ModelLimiter } from './types.ts';

/** Cooldown after a 429 that carried no Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 2000;
/** Successes after the cooldown that earn one more slot. */
export const SUCCESSES_PER_INCREASE = 25;
/** Factor applied to the limit on a 429. */
export const DECREASE_FACTOR = 0.75;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  /** Unsubscribes from the caller's signal. */
  unsubscribe: (() => void) | undefined;
}

export class AimdLimiter implements ModelLimiter {
  readonly cap: number;
  #clock: Clock;
  #limit: number;
  #inFlight = 0;
  #waiters: Waiter[] = [];
  #cooldownUntil = Number.NEGATIVE_INFINITY;
  #timerArmed = false;
  #successes = 0;

  constructor(cap: number, clock: Clock) {
    if (!Number.isInteger(cap) || cap < 1) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `model limiter cap: expected an integer >= 1 (max_parallel_requests), got ${String(cap)}`,
      );
    }
    this.cap = cap;
    this.#clock = clock;
    this.#limit = cap;
  }

  get limit(): number {
    return this.#limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** True while new acquisitions wait out a 429's Retry-After. */
  get coolingDown(): boolean {
    return this.#clock.now() < this.#cooldownUntil;
  }

  /** Takes a slot at once when one is free and nobody waits; never waits. */
  tryAcquire(): boolean {
    if (this.#waiters.length > 0 || this.#inFlight >= this.#limit || this.coolingDown) return false;
    this.#inFlight++;
    return true;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal));
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, unsubscribe: undefined };
      if (signal) {
        waiter.unsubscribe = onAbort(signal, () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(cancelledError(signal));
        });
      }
      this.#waiters.push(waiter);
      this.#drain();
    });
  }

  release(outcome: 'success' | 'rate_limited' | 'failure', retryAfterMs?: number): void {
    if (this.#inFlight > 0) this.#inFlight--;
    const now = this.#clock.now();
    if (outcome === 'rate_limited') {
      const until = now + Math.max(0, retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
      if (now >= this.#cooldownUntil) {
        // A new burst: decrease once.
        this.#limit = Math.max(1, Math.floor(this.#limit * DECREASE_FACTOR));
      }
      this.#cooldownUntil = Math.max(this.#cooldownUntil, until);
      this.#successes = 0;
    } else if (outcome === 'success' && now >= this.#cooldownUntil && this.#limit < this.cap) {
      if (++this.#successes >= SUCCESSES_PER_INCREASE) {
        this.#successes = 0;
        this.#limit++;
      }
    }
    this.#drain();
  }

  #drain(): void {
    while (this.#waiters.length > 0 && this.#inFlight < this.#limit) {
      if (this.coolingDown) {
        this.#armTimer();
        return;
      }
      const waiter = this.#waiters.shift()!;
      waiter.unsubscribe?.();
      this.#inFlight++;
      waiter.resolve();
    }
  }

  #armTimer(): void {
    if (this.#timerArmed) return;
    this.#timerArmed = true;
    const wait = this.#cooldownUntil - this.#clock.now();
    void this.#clock.sleep(wait).then(() => {
      this.#timerArmed = false;
      this.#drain();
    });
  }
}
