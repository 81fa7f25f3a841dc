/**
 * The throughput of the current run, for its chart and its rows/s: samples of
 * rows made (through every column) and committed over time. The series covers the
 * whole run, a resume continuing it: past MAX_POINTS it keeps every other sample,
 * so a long run keeps its shape in bounded memory. A finished run's rows/s is its
 * average: the rows it committed over its wall time.
 */
import type { Progress } from '../../core/engine/events.ts';
import type { RunOutcome } from '../../runtime/engine-api.ts';

/** One sample of the run's throughput. */
export interface RatePoint {
  /** ms since the run (its first part, when resumed) started. */
  t: number;
  /** Rows committed by then. */
  rows: number;
  /** Rows through every column by then (committed or not). */
  made: number;
  /** Requests in flight then. */
  inFlight: number;
}

/** Least ms between two samples (the last progress of a run is always kept). */
export const SAMPLE_MS = 250;
/** Most samples kept; past it, every other one is dropped. */
export const MAX_POINTS = 480;
/** Samples the live rows/s is measured over. */
const LIVE_WINDOW = 8;

/** Rows through every column of this part of the run: the fewest cells any generator settled. */
export function rowsMade(p: Progress): number {
  const settled = Object.values(p.columns).map((c) => c.done + c.failed + c.skipped);
  return settled.length > 0 ? Math.min(p.rowsRequested, ...settled) : p.rowsCommitted;
}

export class RunSeries {
  #points = $state.raw<RatePoint[]>([]);
  #average = $state<number | null>(null);
  /** Where the part of the run under way starts, in time and rows made. */
  #t0 = 0;
  /** Rows committed before it (null: not known until its first report). */
  #made0: number | null = 0;
  #lastSample = -Infinity;

  /** The samples, oldest first. */
  get points(): RatePoint[] {
    return this.#points;
  }

  /**
   * Rows per second: while running, over the last few samples of rows made; once
   * the run ended, its average (rows committed over wall time).
   */
  get rowsPerSecond(): number {
    if (this.#average !== null) return this.#average;
    const r = this.#points;
    const a = r[Math.max(0, r.length - LIVE_WINDOW)];
    const b = r[r.length - 1];
    return a && b && b.t > a.t ? ((b.made - a.made) * 1000) / (b.t - a.t) : 0;
  }

  /**
   * A part of the run starts: a new run ('start', from zero rows), the same run
   * continued after a pause here ('continue': the series goes on), or a stored run
   * resumed with no series here ('resume': it starts at its first report).
   */
  begin(kind: 'start' | 'continue' | 'resume'): void {
    this.#average = null;
    this.#lastSample = -Infinity;
    const last = this.#points.at(-1);
    if (kind === 'continue' && last) {
      this.#t0 = last.t;
      this.#made0 = last.rows;
    } else {
      this.#t0 = 0;
      this.#made0 = kind === 'start' ? 0 : null;
      this.#points = kind === 'start' ? [{ t: 0, rows: 0, made: 0, inFlight: 0 }] : [];
    }
  }

  /** A progress report of the part under way. */
  record(p: Progress): void {
    const t = this.#t0 + p.elapsedMs;
    const last = p.rowsCommitted === p.rowsRequested;
    if (!last && t - this.#lastSample < SAMPLE_MS) return;
    this.#lastSample = t;
    this.#made0 ??= p.rowsCommitted;
    const made = Math.min(p.rowsRequested, this.#made0 + rowsMade(p));
    this.#push({ t, rows: p.rowsCommitted, made, inFlight: p.requestsInFlight });
  }

  /**
   * The part under way ended with `outcome`, `before` rows having been committed
   * when it began: its last sample, and its average rows/s (the rows it committed
   * over its wall time, as its "Generated … in …" line says).
   */
  finish(outcome: RunOutcome, before = 0): void {
    const t = this.#t0 + outcome.wallMs;
    const rows = outcome.rowsWritten;
    const prev = this.#points.at(-1);
    if (!prev || t > prev.t) {
      this.#push({ t, rows, made: Math.max(prev?.made ?? 0, rows), inFlight: 0 });
    }
    this.#average = outcome.wallMs > 0 ? ((rows - before) * 1000) / outcome.wallMs : 0;
  }

  #push(point: RatePoint): void {
    let next = [...this.#points, point];
    if (next.length > MAX_POINTS) {
      next = next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
    }
    this.#points = next;
  }
}
