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

/**
 * A bug in tabsynth's own code rather than a failure of the data or of a model: a
 * TypeError or ReferenceError that no generator turned into a catalogue error.
 * Data Designer aborts the run on these (KeyError, TypeError, AttributeError)
 * instead of dropping rows as if a model had failed.
 */
export function isInternalBug(err: unknown): boolean {
  return (
    !(err instanceof TabsynthError) && (err instanceof TypeError || err instanceof ReferenceError)
  );
}

/** INTERNAL for a bug met in `where` (a task, a processor, the scheduler); the stack goes along. */
export function internalError(err: unknown, where: string): TabsynthError {
  if (err instanceof TabsynthError && err.code === ErrorCodes.INTERNAL) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return new TabsynthError(
    ErrorCodes.INTERNAL,
    `internal error in ${where}: ${e.name}: ${e.message} (a bug in tabsynth: the run stopped; committed row groups are kept)`,
    { stack: e.stack ?? '' },
    { cause: err },
  );
}

/** Errors that stop the whole run rather than drop rows (SPEC 3.6, 3.7). */
export function stopsRun(err: TabsynthError): boolean {
  return (
    err.code === ErrorCodes.INTERNAL ||
    err.code === ErrorCodes.EXPRESSION_NO_VALID_ROWS ||
    err.code === ErrorCodes.PROCESSOR_FAILED
  );
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

/** Outcomes an OutcomeWindow holds before it first grows. */
const INITIAL_WINDOW = 64;

/**
 * The last `size` outcomes (successes and non-retryable failures). `record` says
 * to stop once the window is full and the failure share is greater than or equal
 * to `rate` (Data Designer's `>=`); a window without failures never says so, so
 * a rate of 0 stops at the first failure, not before.
 */
export class OutcomeWindow {
  /** Grows with the outcomes until it holds `size`: a window of 10^12 costs only what was recorded. */
  #ring: Uint8Array;
  readonly #size: number;
  #next = 0;
  #filled = 0;
  #failures = 0;
  #rate: number;

  constructor(size: number, rate: number) {
    this.#size = Math.max(1, size);
    this.#ring = new Uint8Array(Math.min(this.#size, INITIAL_WINDOW));
    this.#rate = rate;
  }

  /** Records one outcome; returns whether the run should now stop. */
  record(failed: boolean): boolean {
    const size = this.#size;
    if (this.#filled === size) this.#failures -= this.#ring[this.#next]!;
    else {
      this.#filled++;
      // Until the window is full, outcomes go one after the other from 0.
      if (this.#next === this.#ring.length) {
        const bigger = new Uint8Array(Math.min(size, this.#ring.length * 2));
        bigger.set(this.#ring);
        this.#ring = bigger;
      }
    }
    this.#ring[this.#next] = failed ? 1 : 0;
    if (failed) this.#failures++;
    this.#next = (this.#next + 1) % size;
    return this.#filled === size && this.#failures > 0 && this.#failures / size >= this.#rate;
  }

  /** Failure share over the outcomes seen so far in the window. */
  get errorRate(): number {
    return this.#filled === 0 ? 0 : this.#failures / this.#filled;
  }
}
