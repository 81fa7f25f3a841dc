/**
 * Column statistics of a dataset (SPEC 3.10 Profile): per column nulls, unique
 * count and kind; a histogram for numbers, top values for text and categories;
 * token statistics for model text; the pass rate of validation columns; the score
 * distribution of judge columns. Rows are added in chunks, so a large run can be
 * profiled as it streams out of the store.
 */
import type { Row } from '../storage/types.ts';

/** Distinct values tracked per column; beyond this the unique count is a lower bound. */
const MAX_TRACKED_DISTINCT = 50_000;
/** Numbers kept per column for the histogram (the first ones). */
const MAX_NUMBERS = 200_000;

type ValueKind = 'number' | 'string' | 'boolean' | 'object' | 'list' | 'mixed' | 'empty';

export interface Histogram {
  /** Lower edge of the first bin. */
  min: number;
  /** Upper edge of the last bin. */
  max: number;
  /** Count per bin, equal widths. */
  counts: number[];
}

interface TextStats {
  /** Shortest, mean and longest length in characters. */
  minChars: number;
  meanChars: number;
  maxChars: number;
  /** Estimated tokens (about 4 characters each): mean per value and total. */
  meanTokens: number;
  totalTokens: number;
}

export interface ColumnProfile {
  name: string;
  /** What the non-null values are. */
  kind: ValueKind;
  /** Values seen (null included). */
  count: number;
  nulls: number;
  /** Distinct non-null values (a lower bound when `uniqueCapped`). */
  unique: number;
  uniqueCapped: boolean;
  /** Numbers: summary and histogram. */
  numeric?: { min: number; max: number; mean: number; std: number; histogram: Histogram };
  /** The most frequent values (as text) with their counts, most frequent first. */
  top?: { value: string; count: number }[];
  /** Text values: lengths and token estimates. */
  text?: TextStats;
  /** Validation results (`{is_valid, ...}`): share of valid ones. */
  passRate?: { valid: number; total: number };
  /** Judge results (`{score_name: {score, reasoning}}`): score value counts per score name. */
  scores?: Record<string, { value: string; count: number }[]>;
}

/** Estimated tokens of a text (about 4 characters per token, at least 1 for non-empty text). */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.round(text.length / 4));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function kindOf(v: unknown): Exclude<ValueKind, 'mixed' | 'empty'> {
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'list';
  if (isPlainObject(v)) return 'object';
  return 'string';
}

function keyOf(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

class ColumnAccumulator {
  count = 0;
  nulls = 0;
  readonly kinds = new Set<string>();
  readonly distinct = new Map<string, number>();
  capped = false;
  readonly numbers: number[] = [];
  numCount = 0;
  numSum = 0;
  numSumSq = 0;
  numMin = Infinity;
  numMax = -Infinity;
  textCount = 0;
  textChars = 0;
  textMin = Infinity;
  textMax = 0;
  textTokens = 0;
  validation = { valid: 0, total: 0 };
  readonly scores = new Map<string, Map<string, number>>();

  constructor(readonly name: string) {}

  add(v: unknown): void {
    this.count++;
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      this.nulls++;
      return;
    }
    const kind = kindOf(v);
    this.kinds.add(kind);
    const key = keyOf(v);
    const seen = this.distinct.get(key);
    if (seen !== undefined) this.distinct.set(key, seen + 1);
    else if (this.distinct.size < MAX_TRACKED_DISTINCT) this.distinct.set(key, 1);
    else this.capped = true;
    if (kind === 'number') this.addNumber(Number(v));
    else if (kind === 'string') this.addText(key);
    else if (kind === 'object') this.addObject(v as Record<string, unknown>);
  }

  addNumber(n: number): void {
    this.numCount++;
    this.numSum += n;
    this.numSumSq += n * n;
    if (n < this.numMin) this.numMin = n;
    if (n > this.numMax) this.numMax = n;
    if (this.numbers.length < MAX_NUMBERS) this.numbers.push(n);
  }

  addText(s: string): void {
    this.textCount++;
    this.textChars += s.length;
    if (s.length < this.textMin) this.textMin = s.length;
    if (s.length > this.textMax) this.textMax = s.length;
    this.textTokens += estimateTokens(s);
  }

  addObject(o: Record<string, unknown>): void {
    if (typeof o['is_valid'] === 'boolean') {
      this.validation.total++;
      if (o['is_valid']) this.validation.valid++;
    }
    for (const [name, entry] of Object.entries(o)) {
      if (!isPlainObject(entry) || !('score' in entry)) continue;
      let counts = this.scores.get(name);
      if (!counts) this.scores.set(name, (counts = new Map()));
      const score = keyOf(entry['score']);
      counts.set(score, (counts.get(score) ?? 0) + 1);
    }
  }

  result(bins: number, topN: number): ColumnProfile {
    const kinds = [...this.kinds];
    const kind: ValueKind =
      kinds.length === 0 ? 'empty' : kinds.length === 1 ? (kinds[0] as ValueKind) : 'mixed';
    const profile: ColumnProfile = {
      name: this.name,
      kind,
      count: this.count,
      nulls: this.nulls,
      unique: this.distinct.size,
      uniqueCapped: this.capped,
    };
    if (this.numCount > 0) {
      const mean = this.numSum / this.numCount;
      const variance = Math.max(0, this.numSumSq / this.numCount - mean * mean);
      profile.numeric = {
        min: this.numMin,
        max: this.numMax,
        mean,
        std: Math.sqrt(variance),
        histogram: histogram(this.numbers, this.numMin, this.numMax, bins),
      };
    }
    if (kind !== 'number' || this.distinct.size <= topN) {
      profile.top = [...this.distinct]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, topN)
        .map(([value, count]) => ({ value, count }));
    }
    if (this.textCount > 0) {
      profile.text = {
        minChars: this.textMin,
        meanChars: this.textChars / this.textCount,
        maxChars: this.textMax,
        meanTokens: this.textTokens / this.textCount,
        totalTokens: this.textTokens,
      };
    }
    if (this.validation.total > 0) profile.passRate = { ...this.validation };
    if (this.scores.size > 0) {
      profile.scores = Object.fromEntries(
        [...this.scores].map(([name, counts]) => [
          name,
          [...counts]
            .sort((a, b) => Number(a[0]) - Number(b[0]) || (a[0] < b[0] ? -1 : 1))
            .map(([value, count]) => ({ value, count })),
        ]),
      );
    }
    return profile;
  }
}

/** Equal-width histogram of `values` over [min, max]; one bin when every value is equal. */
export function histogram(
  values: readonly number[],
  min: number,
  max: number,
  bins: number,
): Histogram {
  if (values.length === 0) return { min: 0, max: 0, counts: [] };
  const n = min === max ? 1 : Math.max(1, bins);
  const counts = new Array<number>(n).fill(0);
  const width = (max - min) / n;
  for (const v of values) {
    const i = width === 0 ? 0 : Math.min(n - 1, Math.floor((v - min) / width));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { min, max, counts };
}

interface ProfileOptions {
  /** Histogram bins. Default: 20. */
  bins?: number;
  /** Top values kept. Default: 10. */
  topN?: number;
}

/** Profiles rows added in chunks; `result()` may be called at any time. */
export class Profiler {
  readonly #columns = new Map<string, ColumnAccumulator>();
  #rows = 0;

  constructor(columns: readonly string[] = []) {
    for (const c of columns) this.#columns.set(c, new ColumnAccumulator(c));
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  add(rows: readonly Row[]): void {
    for (const row of rows) {
      this.#rows++;
      for (const key of Object.keys(row)) {
        if (!this.#columns.has(key)) {
          const acc = new ColumnAccumulator(key);
          // A column first seen now was null in every earlier row.
          for (let i = 0; i < this.#rows - 1; i++) acc.add(null);
          this.#columns.set(key, acc);
        }
      }
      for (const [key, acc] of this.#columns) acc.add(row[key]);
    }
  }

  result(options: ProfileOptions = {}): ColumnProfile[] {
    const bins = options.bins ?? 20;
    const topN = options.topN ?? 10;
    return [...this.#columns.values()].map((c) => c.result(bins, topN));
  }
}

/** Profiles `rows` at once. */
export function profileRows(
  rows: readonly Row[],
  columns: readonly string[] = [],
  options?: ProfileOptions,
): ColumnProfile[] {
  const p = new Profiler(columns);
  p.add(rows);
  return p.result(options);
}
