/**
 * The run table's state (issue 14): pages of a real stored run (IndexedDB) with the
 * summary a user reads ("Rows 101–200 of 450"), sort and filter from the first page,
 * and a newer request superseding one still reading.
 */
import { describe, expect, it } from 'vitest';
import type { RowPage, RowRange } from '../../../src/runtime/engine-api.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { RowViewCache } from '../../../src/runtime/row-index.ts';
import { readRunPage } from '../../../src/runtime/run-pages.ts';
import { RunRows } from '../../../src/ui/state/run-rows.svelte.ts';
import { STATISTICAL_CONFIG } from '../runtime/support/configs.ts';
import { freshDbName, runInto } from '../runtime/support/fixtures.ts';

async function storedReader() {
  const store = new IdbRunStore({ dbName: freshDbName('run-rows') });
  await runInto(store, 'r', STATISTICAL_CONFIG, { numRecords: 450, bufferSize: 50 });
  const views = new RowViewCache();
  return (range: RowRange) => readRunPage(store, 'r', range, views);
}

describe('the run table state', () => {
  it('pages through a stored run and says which rows it shows', async () => {
    const rows = new RunRows(await storedReader());
    await rows.goTo(1);
    expect(rows.summary).toBe('Rows 1–100 of 450');
    expect([rows.pageNumber, rows.pages, rows.hasPrevious, rows.hasNext]).toEqual([
      1,
      5,
      false,
      true,
    ]);
    await rows.next();
    expect(rows.summary).toBe('Rows 101–200 of 450');
    expect(rows.page?.positions[0]).toBe(100);
    await rows.goTo(99);
    expect(rows.summary).toBe('Rows 401–450 of 450');
    expect(rows.hasNext).toBe(false);
  });

  it('a sort or a filter starts again from the first page; the filter counts its matches', async () => {
    const rows = new RunRows(await storedReader());
    await rows.goTo(3);
    await rows.sortBy({ column: 'age', descending: false });
    expect(rows.pageNumber).toBe(1);
    const ages = rows.page!.rows.map((r) => r['age'] as number);
    expect(ages).toEqual([...ages].sort((a, b) => a - b));
    await rows.filterBy({ column: 'region', text: 'west' });
    expect(rows.summary).toMatch(/^Rows 1–\d+ of \d+ matching \(of 450\)$/);
    expect(rows.page!.rows.every((r) => r['region'] === 'west')).toBe(true);
    await rows.filterBy({ column: 'region', text: 'nowhere' });
    expect(rows.summary).toBe('No rows match');
    await rows.filterBy(null);
    expect(rows.summary).toBe('Rows 1–100 of 450');
  });

  it('a page asked for later wins over one still reading; a failed read says why', async () => {
    const pending: { range: RowRange; resolve: (p: RowPage) => void }[] = [];
    const rows = new RunRows(
      (range) => new Promise<RowPage>((resolve) => pending.push({ range, resolve })),
    );
    const page = (first: number): RowPage => ({
      columns: ['x'],
      rows: [{ x: first }],
      positions: [first],
      total: 1000,
      matched: 1000,
    });
    const slow = rows.goTo(1);
    const fast = rows.goTo(2);
    pending[1]!.resolve(page(100));
    await fast;
    pending[0]!.resolve(page(0));
    await slow;
    expect(rows.page?.positions).toEqual([100]);
    expect(rows.busy).toBe(false);

    const failing = new RunRows(() => Promise.reject(new Error('run "r" has no row group 3')));
    await failing.goTo(1);
    expect(failing.error).toBe('run "r" has no row group 3');
  });
});
