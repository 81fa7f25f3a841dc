/**
 * Failure bookkeeping of SPEC 3.6: how an error is classified, the first error
 * of each kind for the report, and the window of recent outcomes behind early
 * shutdown.
 */
import { ErrorCodes, TabsynthError, toWire } from '../errors.ts';
import type { FirstError } from '../storage/types.ts';

/** The error as the catalogue sees it: anything else is a non-retryable GENERATOR_FAILED. */
export function asTabsynthError(err: unknown): TabsynthError {
  if (err instanceof TabsynthError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TabsynthError(ErrorCodes.GENERATOR_FAILED, message, {}, { cause: err });
}

/** The first error of each kind (code + column), with how often the kind occurred. */
export class FirstErrors {
  #byKind = new Map<string, FirstError>();

  constructor(initial: readonly FirstError[] = []) {
    for (const e of initial) this.#byKind.set(e.kind, { ...e });
  }

  record(err: TabsynthError, column?: string, row?: number): void {
    const kind = column === undefined ? err.code : `${err.code}:${column}`;
    const seen = this.#byKind.get(kind);
    if (seen) {
      seen.count++;
      return;
    }
    const wire = toWire(err);
    const first: FirstError = { ...wire, kind, count: 1 };
    if (column !== undefined) first.column = column;
    if (row !== undefined) first.row = row;
    this.#byKind.set(kind, first);
  }

  list(): FirstError[] {
    return [...this.#byKind.values()].map((e) => ({ ...e }));
  }
}

/**
 * The last `size` outcomes (successes and non-retryable failures). `exceeded`
 * is true once the window is full and the failure share is strictly above `rate`,
 * so a rate of 1.0 never fires.
 */
export class OutcomeWindow {
  #ring: Uint8Array;
  #next = 0;
  #filled = 0;
  #failures = 0;
  #rate: number;

  constructor(size: number, rate: number) {
    this.#ring = new Uint8Array(Math.max(1, size));
    this.#rate = rate;
  }

  /** Records one outcome; returns whether the failure share now exceeds the rate. */
  record(failed: boolean): boolean {
    const size = this.#ring.length;
    if (this.#filled === size) this.#failures -= this.#ring[this.#next]!;
    else this.#filled++;
    this.#ring[this.#next] = failed ? 1 : 0;
    if (failed) this.#failures++;
    this.#next = (this.#next + 1) % size;
    return this.#filled === size && this.#failures / size > this.#rate;
  }

  /** Failure share over the outcomes seen so far in the window. */
  get errorRate(): number {
    return this.#filled === 0 ? 0 : this.#failures / this.#filled;
  }
}
