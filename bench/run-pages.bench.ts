/**
 * run-pages: opening and paging a large stored run in headless Chromium on the built
 * site (engine worker, IndexedDB), as the app's run table does (issue 14): a page in
 * run order (only the row groups it covers are read), a sort and a filter (one scan
 * of the column, then an index of 4 bytes a row), later pages of each, beside the
 * whole-run profile that opening a run used to wait for.
 *
 * `npm run bench -- run-pages [ROWS]` (default 1,000,000 rows in groups of 10,000)
 */
import { STATISTICAL_CONFIG } from '../test/browser/runtime/support/configs.ts';
import type { RowRange } from '../src/runtime/engine-api.ts';
import { buildSite, openSite, waitForOutcome } from '../test/e2e/support/browser.ts';
import type { Harness } from '../test/e2e/support/runtime-harness.ts';
import { printFigures, printTable, round } from './support/report.ts';

type Win = { harness: Harness };

const rows = Number(process.argv[2] ?? 1_000_000);
const overrides = { numRecords: rows, seed: 1, bufferSize: 10_000 };
const PAGE = 100;

buildSite({ always: true });
const site = await openSite();
try {
  const page = await site.openHarness();
  await page.evaluate(([c, o]) => (window as unknown as Win).harness.start(c, 'pages', o, true), [
    STATISTICAL_CONFIG,
    overrides,
  ] as const);
  await waitForOutcome(page, 1_800_000);

  const read = (range: RowRange) =>
    page.evaluate((r) => (window as unknown as Win).harness.readTimed('pages', r), range);
  const sort = { column: 'income', descending: true };
  const filter = { column: 'segment', text: 'west-senior' };
  const steps: [string, RowRange][] = [
    ['page 1, run order', { offset: 0, limit: PAGE }],
    ['middle page, run order', { offset: Math.floor(rows / 2), limit: PAGE }],
    ['last page, run order', { offset: rows - PAGE, limit: PAGE }],
    ['sort by income: page 1 (scans the column)', { offset: 0, limit: PAGE, sort }],
    ['sort by income: page 2 (index kept)', { offset: PAGE, limit: PAGE, sort }],
    ['filter segment: page 1 (scans the column)', { offset: 0, limit: PAGE, filter }],
    ['filter segment: page 2 (index kept)', { offset: PAGE, limit: PAGE, filter }],
  ];
  const timed: { step: string; rows: number; matched: number; ms: number }[] = [];
  for (const [step, range] of steps) {
    const r = await read(range);
    timed.push({ step, rows: r.rows, matched: r.matched, ms: round(r.ms, 1) });
  }
  const profile = await page.evaluate(() =>
    (window as unknown as Win).harness.profileTimed('pages'),
  );
  timed.push({
    step: 'profile every column (what opening waited for before)',
    rows: profile.rows,
    matched: profile.rows,
    ms: round(profile.ms, 0),
  });
  printTable(`run-pages: ${rows} rows x 10 columns, row groups of ${overrides.bufferSize}`, timed);
  const ms = (i: number) => timed[i]!.ms;
  printFigures({
    rows,
    first_page_ms: ms(0),
    middle_page_ms: ms(1),
    last_page_ms: ms(2),
    sort_first_page_ms: ms(3),
    sort_next_page_ms: ms(4),
    filter_first_page_ms: ms(5),
    filter_next_page_ms: ms(6),
    profile_ms: ms(7),
    profile_to_first_page: round(ms(7) / ms(0), 1),
  });
} finally {
  await site.close();
}
