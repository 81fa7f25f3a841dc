/**
 * How `generate` shows a run's progress, as Data Designer's async progress reporter
 * does (engine/progress/reporter.py). On a terminal, with `display_tui` on (the
 * default here): one line redrawn at most every 0.75 s (Data Designer's terminal
 * cadence). Anywhere else (a pod's log, a Slurm output file, CI) or with
 * `display_tui: false`: a plain line at most once per `progress_interval` seconds
 * (default 5), only when the run moved since the last one, and a final line when
 * the run ends. The first line goes out at once, so a log shows the run started.
 */
import { systemClock, type Clock } from '../core/clock.ts';
import { formatDuration } from '../core/duration.ts';
import type { Progress } from '../core/engine/events.ts';
import { throttle, type Throttled } from '../runtime/throttle.ts';
import type { Shard } from './shard.ts';

/** Data Designer's `RunConfig.progress_interval` default, in seconds. */
export const DEFAULT_PROGRESS_INTERVAL_S = 5;
/** Data Designer's terminal redraw cadence (`DEFAULT_TTY_REPORT_INTERVAL`), in ms. */
export const TERMINAL_INTERVAL_MS = 750;

/** Where progress goes: a terminal redrawn in place, or lines of a log. */
type ProgressOutput =
  { kind: 'terminal'; write(text: string): void } | { kind: 'log'; line(text: string): void };

interface ProgressLogOptions {
  sink: ProgressOutput;
  /** ms between log lines (a terminal is redrawn every TERMINAL_INTERVAL_MS). */
  intervalMs: number;
  /** The clock lines are timed by. Default: the system clock. */
  clock?: Clock;
  /** The shard this process generates, named in every line. Default: none. */
  shard?: Shard;
  /** Rows this process is to make: the run's, or a shard's share of them. */
  rowsRequested: number;
  /** Rows committed before this session (a resumed run), left out of the rate. Default: 0. */
  rowsBefore?: number;
}

/** What a progress line shows of the engine's progress. */
type Figures = Pick<Progress, 'rowsCommitted' | 'droppedRows' | 'requestsInFlight' | 'columns'>;

/** A run's progress display: fed every progress the engine reports, finished once. */
export class ProgressLog {
  readonly #o: ProgressLogOptions;
  readonly #clock: Clock;
  readonly #start: number;
  readonly #send: Throttled<Progress>;
  #latest: Progress | undefined;
  #lastShown: string | undefined;
  #finished = false;

  constructor(options: ProgressLogOptions) {
    if (!(options.intervalMs > 0)) {
      throw new RangeError(`progress interval: expected ms > 0, got ${options.intervalMs}`);
    }
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#start = this.#clock.now();
    // The clock caps what a timer can wait (timerDelay): --progress-interval 1e10 waits 24.8 days.
    const every = options.sink.kind === 'terminal' ? TERMINAL_INTERVAL_MS : options.intervalMs;
    this.#send = throttle((p) => this.#show(p), every, this.#clock);
  }

  /** The latest progress of the run. */
  update(progress: Progress): void {
    if (this.#finished) return;
    this.#latest = progress;
    this.#send(progress);
  }

  /** Ends the display: the terminal line is drawn last and closed; a log gets its final line. */
  finish(outcome: string): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#send.cancel();
    // No progress came (a shard with no row groups, a run that failed at once): the
    // rows committed before this session are all there is.
    const p = this.#latest ?? {
      rowsCommitted: this.#o.rowsBefore ?? 0,
      droppedRows: 0,
      requestsInFlight: 0,
      columns: {},
    };
    const sink = this.#o.sink;
    if (sink.kind === 'terminal') {
      sink.write(`\r${this.#figures(p, false)}\x1b[K\n`);
    } else {
      sink.line(`${this.#prefix()} ${outcome}: ${this.#figures(p, false)}`);
    }
  }

  #show(p: Figures): void {
    const sink = this.#o.sink;
    if (sink.kind === 'terminal') {
      sink.write(`\r${this.#figures(p, true)}\x1b[K`);
      return;
    }
    // As Data Designer's reporter: nothing when the run has not moved since the last line.
    const moved = [p.rowsCommitted, p.droppedRows, cellsDone(p), p.requestsInFlight].join();
    if (moved === this.#lastShown) return;
    this.#lastShown = moved;
    sink.line(`${this.#prefix()}: ${this.#figures(p, true)}`);
  }

  #prefix(): string {
    const shard = this.#o.shard;
    return shard ? `progress [shard ${shard.index}/${shard.count}]` : 'progress';
  }

  /** "400 / 1000 rows (40%), 12.5 rows/s, 8 requests in flight, 3200 cells done, elapsed 32.0s, eta 48.0s". */
  #figures(p: Figures, running: boolean): string {
    const requested = this.#o.rowsRequested;
    const settled = p.rowsCommitted + p.droppedRows;
    const percent =
      requested > 0 ? Math.floor((100 * Math.min(settled, requested)) / requested) : 100;
    const elapsedMs = this.#clock.now() - this.#start;
    const madeNow = Math.max(0, p.rowsCommitted - (this.#o.rowsBefore ?? 0));
    const perSecond = elapsedMs > 0 ? (madeNow * 1000) / elapsedMs : 0;
    const parts = [`${p.rowsCommitted} / ${requested} rows (${percent}%)`];
    if (p.droppedRows > 0) parts.push(`${p.droppedRows} dropped`);
    parts.push(
      `${perSecond.toFixed(1)} rows/s`,
      `${p.requestsInFlight} requests in flight`,
      `${cellsDone(p)} cells done`,
      `elapsed ${formatDuration(elapsedMs)}`,
    );
    const left = requested - settled;
    if (running && left > 0 && perSecond > 0) {
      parts.push(`eta ${formatDuration((left / perSecond) * 1000)}`);
    }
    return parts.join(', ');
  }
}

/** Cells every column has produced so far. */
function cellsDone(p: Figures): number {
  let n = 0;
  for (const c of Object.values(p.columns)) n += c.done;
  return n;
}
