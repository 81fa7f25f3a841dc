/**
 * Paging through a stored run (issue 14): a page in run order reads only the row
 * groups it covers; a sort or filter scans its column once and later pages of the
 * same view read only the groups their rows lie in. Real IndexedDB; reads are
 * counted through the store interface.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import type { GroupSource } from '../../../src/runtime/read-rows.ts';
import { RowViewCache } from '../../../src/runtime/row-index.ts';
import { readRunPage } from '../../../src/runtime/run-pages.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { allRows, freshDbName, runInto } from './support/fixtures.ts';

const GROUP = 10;
const GROUPS = 60;

/** The store, with every group it reads recorded (by id, in read order), and its launch records read. */
function counting(store: IdbRunStore): GroupSource & { reads: number[]; launches: string[] } {
  const reads: number[] = [];
  const launches: string[] = [];
  return {
    reads,
    launches,
    loadManifest: (runId) => store.loadManifest(runId),
    loadLaunch: (runId) => {
      launches.push(runId);
      return store.loadLaunch(runId);
    },
    readStoredGroup: (runId, id) => {
      reads.push(id);
      return store.readStoredGroup(runId, id);
    },
  };
}

async function manyGroupRun() {
  const store = new IdbRunStore({ dbName: freshDbName('run-pages') });
  await runInto(store, 'r', STATISTICAL_CONFIG, {
    numRecords: GROUP * GROUPS,
    bufferSize: GROUP,
  });
  return { source: counting(store), rows: await allRows(store, 'r') };
}

const byAgeThenIndex = (rows: Row[], descending: boolean) =>
  rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const d = (a.row['age'] as number) - (b.row['age'] as number);
      return (descending ? -d : d) || a.i - b.i;
    });

describe('paging through a stored run', () => {
  it('page k in run order reads only the row groups it covers', async () => {
    const { source, rows } = await manyGroupRun();
    const views = new RowViewCache();
    const page = await readRunPage(source, 'r', { offset: 420, limit: GROUP }, views);
    expect(source.reads).toEqual([42]);
    expect(page.rows).toEqual(rows.slice(420, 430));
    expect(page.positions).toEqual([...Array(GROUP).keys()].map((i) => 420 + i));
    expect(page.total).toBe(GROUP * GROUPS);
    expect(page.matched).toBe(GROUP * GROUPS);

    source.reads.length = 0;
    const straddling = await readRunPage(source, 'r', { offset: 255, limit: GROUP }, views);
    expect(source.reads).toEqual([25, 26]);
    expect(straddling.rows).toEqual(rows.slice(255, 265));

    source.reads.length = 0;
    const last = await readRunPage(source, 'r', { offset: 595, limit: 100 }, views);
    expect(source.reads).toEqual([59]);
    expect(last.rows).toEqual(rows.slice(595));
    // The run's launch record (its after_run processors) is read for the first page only.
    expect(source.launches).toEqual(['r']);
  });

  it('a sort gives the rows in the column order (ties in run order); it scans the column once, then a page reads only its groups', async () => {
    const { source, rows } = await manyGroupRun();
    const views = new RowViewCache();
    const sorted = byAgeThenIndex(rows, true);
    const first = await readRunPage(
      source,
      'r',
      { offset: 0, limit: 20, sort: { column: 'age', descending: true } },
      views,
    );
    expect(first.rows).toEqual(sorted.slice(0, 20).map((s) => s.row));
    expect(first.positions).toEqual(sorted.slice(0, 20).map((s) => s.i));
    const scanned = source.reads.length;
    // The scan reads every group once; the page then reads the groups of its 20 rows.
    const pageGroups = new Set(first.positions.map((p) => Math.floor(p / GROUP)));
    expect(scanned).toBe(GROUPS + pageGroups.size);

    source.reads.length = 0;
    const third = await readRunPage(
      source,
      'r',
      { offset: 40, limit: 20, sort: { column: 'age', descending: true } },
      views,
    );
    expect(third.rows).toEqual(sorted.slice(40, 60).map((s) => s.row));
    expect(source.reads.sort((a, b) => a - b)).toEqual(
      [...new Set(third.positions.map((p) => Math.floor(p / GROUP)))].sort((a, b) => a - b),
    );

    const ascending = await readRunPage(
      source,
      'r',
      { offset: 0, limit: 5, sort: { column: 'age' } },
      views,
    );
    expect(ascending.rows).toEqual(
      byAgeThenIndex(rows, false)
        .slice(0, 5)
        .map((s) => s.row),
    );
  });

  it('text, dates and booleans sort by value too (descending, ties in run order)', async () => {
    const { source, rows } = await manyGroupRun();
    const views = new RowViewCache();
    const expectSorted = async (column: string, key: (v: unknown) => number | string) => {
      const page = await readRunPage(
        source,
        'r',
        { limit: rows.length, sort: { column, descending: true } },
        views,
      );
      const want = rows
        .map((row, i) => ({ k: key(row[column]), i }))
        .sort((a, b) => (a.k < b.k ? 1 : a.k > b.k ? -1 : a.i - b.i))
        .map((e) => e.i);
      expect(page.positions).toEqual(want);
    };
    await expectSorted('segment', (v) => String(v));
    await expectSorted('joined', (v) => (v as Date).getTime());
    await expectSorted('churn', (v) => (v ? 1 : 0));
  });

  it('a filter keeps the rows whose column shows the text (case-insensitive), and counts them', async () => {
    const { source, rows } = await manyGroupRun();
    const views = new RowViewCache();
    const north = rows.filter((r) => String(r['segment']).includes('north-senior'));
    expect(north.length).toBeGreaterThan(25);
    const filter = { column: 'segment', text: 'NORTH-Senior' };
    const page = await readRunPage(source, 'r', { offset: 10, limit: 15, filter }, views);
    expect(page.matched).toBe(north.length);
    expect(page.total).toBe(rows.length);
    expect(page.rows).toEqual(north.slice(10, 25));
    expect(page.rows.every((r) => r['segment'] === 'north-senior')).toBe(true);

    const sorted = await readRunPage(
      source,
      'r',
      { offset: 0, limit: 1000, filter, sort: { column: 'income' } },
      views,
    );
    const incomes = sorted.rows.map((r) => r['income'] as number);
    expect(incomes).toEqual([...incomes].sort((a, b) => a - b));
    expect(sorted.rows).toHaveLength(north.length);

    const none = await readRunPage(
      source,
      'r',
      { filter: { column: 'segment', text: 'zzz' } },
      views,
    );
    expect(none.matched).toBe(0);
    expect(none.rows).toEqual([]);
  });

  it('a view both filtered and sorted scans the run once: every group is read once, then the page reads its groups', async () => {
    const { source, rows } = await manyGroupRun();
    const filter = { column: 'segment', text: 'north' };
    const page = await readRunPage(
      source,
      'r',
      { limit: 20, filter, sort: { column: 'age', descending: true } },
      new RowViewCache(),
    );
    const want = byAgeThenIndex(rows, true).filter((s) =>
      String(s.row['segment']).includes('north'),
    );
    expect(page.positions).toEqual(want.slice(0, 20).map((s) => s.i));
    expect(page.rows).toEqual(want.slice(0, 20).map((s) => s.row));
    const scan = source.reads.slice(0, GROUPS);
    expect(scan).toEqual([...Array(GROUPS).keys()]);
    const pageGroups = new Set(page.positions.map((p) => Math.floor(p / GROUP)));
    expect(source.reads).toHaveLength(GROUPS + pageGroups.size);
  });

  it('a sort or filter on a column the run does not have is refused, naming it and the columns there are', async () => {
    const { source } = await manyGroupRun();
    await expect(
      readRunPage(source, 'r', { sort: { column: 'nope' } }, new RowViewCache()),
    ).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
      message: expect.stringMatching(/column "nope".*region/) as unknown,
    });
  });
});
