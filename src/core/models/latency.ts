/**
 * Backing off from a server that queues instead of answering 429 (SPEC 3.5): vLLM and
 * most local servers accept every request, serve a few at once and make the rest
 * wait, so latency grows with concurrency until requests time out.
 *
 * A Vegas-style controller over windows of answers. Latency is compared per request
 * class (the column asking: one column's prompts and answers are alike, two columns'
 * need not be), window median against that class's baseline (the lowest median it has
 * shown; a class's first window only warms connections up and is not measured), both
 * plus LATENCY_FLOOR_MS; queueing counts once latency reaches a quarter of the timeout
 * (QUEUE_MATTERS_AT): short of it the limit keeps growing. The
 * window's ratio is the median of its classes' ratios; without one it holds:
 * - below SLOW_START_EXIT while slow start runs: the limit doubles;
 * - below GROW_BELOW: the limit grows by one;
 * - above SHRINK_ABOVE: the limit becomes limit × SHRINK_ABOVE / ratio × 0.75 (latency
 *   doubled means twice the requests the server works on at once are waiting);
 * - a timeout halves it and ends slow start, once per burst (until the next window).
 * With a short timeout it starts at INITIAL_LIMIT (the server's capacity is unknown;
 * sending the whole cap at once to a queueing server is what times requests out);
 * otherwise at the cap. It never leaves [1, cap].
 */
import type { LimitNote } from './types.ts';

/** Limit before anything was measured. */
export const INITIAL_LIMIT = 4;
/** Answers per window, at least (a window is max(this, limit) answers). */
export const MIN_WINDOW = 8;
/** Answers of a class a window needs before its median counts. */
const MIN_CLASS_SAMPLES = 3;
/** Slow start doubles the limit while latency stays under this multiple of the baseline. */
const SLOW_START_EXIT = 1.3;
const GROW_BELOW = 1.25;
const SHRINK_ABOVE = 2;
/**
 * Added to both sides of a latency comparison: a server answering in 1 ms and then in
 * 20 ms (a busy machine, a garbage collection) is not queueing in any way that matters.
 */
const LATENCY_FLOOR_MS = 50;
/**
 * Share of the requests' timeout latency must reach before a longer queue is held
 * against the limit: below it, waiting in the server's queue risks nothing and a
 * server that is merely busy (a loopback server on a loaded machine) is not throttled.
 */
const QUEUE_MATTERS_AT = 0.25;

export class LatencyController {
  readonly cap: number;
  #limit: number;
  #slowStart = true;
  #baseline = new Map<string, number>();
  #window = new Map<string, number[]>();
  #inWindow = 0;
  #warm = new Set<string>();
  #cutThisWindow = false;
  /** The shortest timeout of the window's requests. */
  #timeoutMs = Number.POSITIVE_INFINITY;

  /** `slowStart` false: start at the cap (no short timeout to protect). */
  constructor(cap: number, slowStart = true) {
    this.cap = cap;
    this.#slowStart = slowStart;
    this.#limit = slowStart ? Math.min(cap, INITIAL_LIMIT) : cap;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Why this controller's limit is below the cap, and what lifts it. */
  get lowered(): LimitNote {
    if (this.#slowStart) {
      return {
        reason: `starting low (slow start): the server's capacity is not known yet`,
        fix: 'none needed: it doubles while latency stays flat',
      };
    }
    return {
      reason: 'lowered because latency grows with concurrency (the server queues requests)',
      fix: 'none needed: it grows back while latency stays flat',
    };
  }

  get slowStart(): boolean {
    return this.#slowStart;
  }

  /** The baseline latency of a class (ms), once measured. */
  baseline(klass: string): number | undefined {
    return this.#baseline.get(klass);
  }

  /** An answer of class `klass` that took `ms`, of a request that would have timed out at `timeoutMs`. */
  answered(klass: string, ms: number, timeoutMs = Number.POSITIVE_INFINITY): void {
    this.#timeoutMs = Math.min(this.#timeoutMs, timeoutMs);
    let samples = this.#window.get(klass);
    if (!samples) this.#window.set(klass, (samples = []));
    samples.push(ms);
    if (++this.#inWindow >= Math.max(MIN_WINDOW, this.#limit)) this.#closeWindow();
  }

  /** A request ran out of time: the queue is already too long. */
  timedOut(): void {
    this.#slowStart = false;
    // Timeouts of one burst (until a window of answers after the cut) cut once.
    if (this.#cutThisWindow) return;
    this.#cutThisWindow = true;
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
    this.#window.clear();
    this.#inWindow = 0;
  }

  #closeWindow(): void {
    const ratios: number[] = [];
    let slowest = 0;
    for (const [klass, samples] of this.#window) {
      if (samples.length < MIN_CLASS_SAMPLES) continue;
      // A class's first window warms connections up: it sets no baseline.
      if (!this.#warm.has(klass)) {
        this.#warm.add(klass);
        continue;
      }
      const m = median(samples);
      slowest = Math.max(slowest, m);
      const base = this.#baseline.get(klass);
      if (base === undefined || m < base) this.#baseline.set(klass, m);
      if (base !== undefined) ratios.push((m + LATENCY_FLOOR_MS) / (base + LATENCY_FLOOR_MS));
    }
    this.#window.clear();
    this.#inWindow = 0;
    this.#cutThisWindow = false;
    const timeoutMs = this.#timeoutMs;
    this.#timeoutMs = Number.POSITIVE_INFINITY;
    // Nothing to compare yet: hold until a baseline is measured at this concurrency.
    if (ratios.length === 0) return;
    // Queueing far inside the timeout costs nothing: only the growth is watched.
    const ratio =
      slowest < timeoutMs * QUEUE_MATTERS_AT ? Math.min(1, median(ratios)) : median(ratios);
    if (ratio > SHRINK_ABOVE) {
      this.#slowStart = false;
      this.#limit = Math.max(1, Math.floor(((this.#limit * SHRINK_ABOVE) / ratio) * 0.75));
    } else if (this.#slowStart && ratio < SLOW_START_EXIT) {
      this.#limit = Math.min(this.cap, this.#limit * 2);
    } else if (ratio < GROW_BELOW) {
      this.#slowStart = false;
      this.#limit = Math.min(this.cap, this.#limit + 1);
    } else {
      this.#slowStart = false;
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
