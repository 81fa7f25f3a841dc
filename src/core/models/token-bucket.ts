/**
 * A token bucket on an injected clock: `perMinute` units refill smoothly (the budget
 * per second, not a burst at the start of each minute) into a bucket of `burst`
 * units. A request takes its units when it starts; one larger than the bucket waits
 * for a full bucket and leaves it in debt, which the refill pays back before the next
 * may go. Corrections (a reservation against what was really used) give units back
 * or take more.
 */
import { ErrorCodes, TabsynthError } from '../errors.ts';

/** Seconds of budget the bucket holds at most, unless a budget is so small that one unit is more. */
const BURST_SECONDS = 0.25;

export class TokenBucket {
  #perMs: number;
  #capacity: number;
  #level: number;
  #at: number;

  /** Starts full, with a quarter second of budget (at least one unit) as its burst. */
  constructor(perMinute: number, now: number) {
    this.#perMs = checkRate(perMinute) / 60_000;
    this.#capacity = defaultBurst(perMinute);
    this.#level = this.#capacity;
    this.#at = now;
  }

  /** Units per minute. */
  get perMinute(): number {
    return this.#perMs * 60_000;
  }

  /** Milliseconds from `now` until a request of `units` may start; 0 when it may now. */
  waitMs(units: number, now: number): number {
    this.#refill(now);
    const need = Math.min(units, this.#capacity);
    if (this.#level >= need) return 0;
    return (need - this.#level) / this.#perMs;
  }

  /** A request of `units` starts. */
  take(units: number, now: number): void {
    this.#refill(now);
    this.#level -= units;
  }

  /** Gives back (`units` > 0) or takes more (< 0), never above the bucket's size. */
  adjust(units: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.#capacity, this.#level + units);
  }

  /** Lowers the level to at most `units` (what a server says is left). */
  clamp(units: number, now: number): void {
    this.#refill(now);
    this.#level = Math.min(this.#level, units);
  }

  /** Changes the refill rate (and the bucket's size with it) from `now` on. */
  setRate(perMinute: number, now: number): void {
    this.#refill(now);
    this.#perMs = checkRate(perMinute) / 60_000;
    this.#capacity = defaultBurst(perMinute);
    this.#level = Math.min(this.#level, this.#capacity);
  }

  #refill(now: number): void {
    if (now > this.#at) {
      this.#level = Math.min(this.#capacity, this.#level + (now - this.#at) * this.#perMs);
      this.#at = now;
    }
  }
}

function defaultBurst(perMinute: number): number {
  return Math.max(1, (perMinute / 60) * BURST_SECONDS);
}

function checkRate(perMinute: number): number {
  if (!(perMinute > 0) || !Number.isFinite(perMinute)) {
    throw new TabsynthError(
      ErrorCodes.INVALID_ARGUMENT,
      `token bucket: expected a positive budget per minute, got ${String(perMinute)}`,
    );
  }
  return perMinute;
}
