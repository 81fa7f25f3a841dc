/**
 * pipeline-browser: 1,000,000 rows of the statistical pipeline in headless Chromium
 * on the built site, through the real runtime (engine worker, compute pool,
 * IndexedDB commits) and then exported to Parquet zstd by the export worker.
 * In the same page, the raw steps on the same data (bench/support/raw-steps.ts):
 * the plain generation loop, Arrow building, one IndexedDB setMany, one
 * parquet-wasm write. Target: end to end within 1.5x of the raw sum.
 *
 * `npm run bench -- pipeline-browser [ROWS]`
 */
import { STATISTICAL_CONFIG } from '../test/browser/runtime/support/configs.ts';
import { buildSite, openSite, waitForOutcome } from '../test/e2e/support/browser.ts';
import type { Harness } from '../test/e2e/support/runtime-harness.ts';
import type { RawTimings } from './support/raw-steps.ts';
import { printFigures, printTable, round } from './support/report.ts';

type Win = { harness: Harness };

const rows = Number(process.argv[2] ?? 1_000_000);
const overrides = { numRecords: rows, seed: 1, bufferSize: 10_000 };

buildSite({ always: true });
const site = await openSite();
try {
  const page = await site.openHarness();
  await page.evaluate(([c, o]) => (window as unknown as Win).harness.start(c, 'bench', o, false), [
    STATISTICAL_CONFIG,
    overrides,
  ] as const);
  await waitForOutcome(page, 1_800_000);
  const runMs = await page.evaluate(() => {
    const h = (window as unknown as Win).harness;
    return h.endedAt - h.startedAt;
  });
  const exported = await page.evaluate(() =>
    (window as unknown as Win).harness.exportTimed('bench'),
  );
  const raw = (await page.evaluate(([c, o]) => (window as unknown as Win).harness.rawSteps(c, o), [
    STATISTICAL_CONFIG,
    overrides,
  ] as const)) as RawTimings;

  const endToEndMs = runMs + exported.ms;
  const rawMs = raw.generateMs + raw.arrowMs + raw.idbMs + raw.parquetMs;
  printTable(`pipeline-browser: ${rows} rows x 10 columns, row groups of ${overrides.bufferSize}`, [
    { step: 'run (generate, encode on pool, commit to IndexedDB)', ms: round(runMs, 0) },
    { step: 'export Parquet zstd (export worker)', ms: round(exported.ms, 0) },
    { step: 'end to end', ms: round(endToEndMs, 0) },
    { step: 'raw: generation loop', ms: round(raw.generateMs, 0) },
    { step: 'raw: Arrow building', ms: round(raw.arrowMs, 0) },
    { step: 'raw: one IndexedDB setMany', ms: round(raw.idbMs, 0) },
    { step: 'raw: one parquet-wasm write (zstd)', ms: round(raw.parquetMs, 0) },
    { step: 'raw sum', ms: round(rawMs, 0) },
  ]);
  printFigures({
    rows,
    rows_per_s: round(rows / (endToEndMs / 1000), 0),
    ratio_to_raw: round(endToEndMs / rawMs, 3),
    end_to_end_ms: round(endToEndMs, 0),
    raw_sum_ms: round(rawMs, 0),
    parquet_bytes: exported.bytes,
  });
} finally {
  await site.close();
}
