/**
 * The rows of one stored run as its table pages through them: the page shown, its
 * sort and filter, and whether a read is under way. Each page is read in the engine
 * worker (readRows); a newer request supersedes one still reading.
 */
import type { RowPage, RowRange } from '../../runtime/engine-api.ts';
import { errorMessage } from '../lib/format.ts';

/** Reads a page of the run (the engine client's readRows for one run). */
export type ReadPage = (range: RowRange) => Promise<RowPage>;

/** Rows a page holds. */
export const PAGE_SIZE = 100;

export interface SortBy {
  column: string;
  descending: boolean;
}

export interface FilterBy {
  column: string;
  text: string;
}

export class RunRows {
  #page = $state.raw<RowPage | null>(null);
  #offset = $state(0);
  #sort = $state.raw<SortBy | null>(null);
  #filter = $state.raw<FilterBy | null>(null);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #seq = 0;
  readonly #read: ReadPage;
  readonly #size: number;

  /** `size`: rows a page holds. Default: PAGE_SIZE. */
  constructor(read: ReadPage, size = PAGE_SIZE) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`RunRows: expected a page size of at least 1, got ${size}`);
    }
    this.#read = read;
    this.#size = size;
  }

  /** The page shown; null before the first read. */
  get page(): RowPage | null {
    return this.#page;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }
  get sort(): SortBy | null {
    return this.#sort;
  }
  get filter(): FilterBy | null {
    return this.#filter;
  }
  get size(): number {
    return this.#size;
  }
  /** Rows the pages go through: the filter's matches, or every row. */
  get count(): number {
    return this.#page?.matched ?? 0;
  }
  /** The first row shown (0-based within the view). */
  get offset(): number {
    return this.#offset;
  }
  /** Page number shown, from 1. */
  get pageNumber(): number {
    return Math.floor(this.#offset / this.#size) + 1;
  }
  get pages(): number {
    return Math.max(1, Math.ceil(this.count / this.#size));
  }
  get hasPrevious(): boolean {
    return this.#offset > 0;
  }
  get hasNext(): boolean {
    return this.#offset + this.#size < this.count;
  }

  /** "Rows 1–100 of 3,000,000", or "No rows" (with "match" when a filter is on). */
  get summary(): string {
    const page = this.#page;
    if (!page) return '';
    const fmt = (n: number) => n.toLocaleString('en-US');
    if (page.rows.length === 0) return this.#filter ? 'No rows match' : 'No rows';
    const range = `Rows ${fmt(this.#offset + 1)}–${fmt(this.#offset + page.rows.length)} of ${fmt(page.matched)}`;
    return this.#filter ? `${range} matching (of ${fmt(page.total)})` : range;
  }

  /** Reads page `n` (from 1; clamped to the pages there are). */
  goTo(n: number): Promise<void> {
    const last = this.#page ? this.pages : Infinity;
    const page = Math.min(Math.max(1, Math.floor(n) || 1), last);
    return this.#load((page - 1) * this.#size);
  }
  next(): Promise<void> {
    return this.goTo(this.pageNumber + 1);
  }
  previous(): Promise<void> {
    return this.goTo(this.pageNumber - 1);
  }
  /** Reads the first page again (after the run committed more rows, say). */
  reload(): Promise<void> {
    return this.#load(this.#offset);
  }

  /** Sorts by `column` (null: run order) and shows the first page. */
  sortBy(sort: SortBy | null): Promise<void> {
    this.#sort = sort;
    return this.#load(0);
  }

  /** Keeps the rows whose `column` shows `text` (empty text: every row) and shows the first page. */
  filterBy(filter: FilterBy | null): Promise<void> {
    this.#filter = filter && filter.text !== '' ? filter : null;
    return this.#load(0);
  }

  async #load(offset: number): Promise<void> {
    const seq = ++this.#seq;
    this.#busy = true;
    this.#error = null;
    const range: RowRange = {
      offset,
      limit: this.#size,
      ...(this.#sort ? { sort: { ...this.#sort } } : {}),
      ...(this.#filter ? { filter: { ...this.#filter } } : {}),
    };
    try {
      const page = await this.#read(range);
      if (seq !== this.#seq) return;
      this.#page = page;
      this.#offset = offset;
    } catch (err) {
      if (seq !== this.#seq) return;
      this.#error = errorMessage(err);
    } finally {
      if (seq === this.#seq) this.#busy = false;
    }
  }
}
