/**
 * memory: the engine worker's peak JS heap for 1M vs 5M rows of the statistical
 * pipeline, through the real runtime on the built site (commits to IndexedDB).
 * Target: within 1.1x (memory bounded by row groups in flight, not by rows).
 *
 * Method: the worker's V8 heap in use (CDP Runtime.getHeapUsage, see
 * support/worker-heap.ts), sampled every 100 ms during the run; the peak is the
 * largest sample; the large run's peak per fifth of it is shown too. Each size runs in a fresh browser, so one run's garbage never
 * counts against the other. The live heap after a forced GC at the end is shown too.
 *
 * `npm run bench -- memory [SMALL] [LARGE]`
 */
import { STATISTICAL_CONFIG } from '../test/browser/runtime/support/configs.ts';
import { buildSite, openSite, waitForOutcome } from '../test/e2e/support/browser.ts';
import type { Harness } from '../test/e2e/support/runtime-harness.ts';
import { printFigures, printTable, round } from './support/report.ts';
import { WorkerHeapProbe } from './support/worker-heap.ts';

type Win = { harness: Harness };

const small = Number(process.argv[2] ?? 1_000_000);
const large = Number(process.argv[3] ?? 5_000_000);
const MB = 1024 * 1024;

async function measure(rows: number) {
  const site = await openSite();
  try {
    const page = await site.openHarness();
    const probe = await WorkerHeapProbe.attach(site.context, page, 'engine.worker');
    await probe.collectGarbage();
    const baseline = await probe.heapUsed();
    const sampler = probe.sample(100);
    await page.evaluate(
      ([c, n]) =>
        (window as unknown as Win).harness.start(
          c,
          'mem',
          { numRecords: n, seed: 1, bufferSize: 1000 },
          false,
        ),
      [STATISTICAL_CONFIG, rows] as const,
    );
    await waitForOutcome(page, 3_600_000);
    const { peak, samples, series } = await sampler.stop();
    await probe.collectGarbage();
    const after = await probe.heapUsed();
    return { rows, baseline, peak, after, samples, series };
  } finally {
    await site.close();
  }
}

buildSite({ always: true });
const a = await measure(small);
const b = await measure(large);
printTable(
  'memory: engine worker JS heap (MB)',
  [a, b].map((m) => ({
    rows: m.rows,
    'heap before run': round(m.baseline / MB, 1),
    'peak during run': round(m.peak / MB, 1),
    'live after GC': round(m.after / MB, 1),
    samples: m.samples,
  })),
);
// The large run's peak in each fifth of it: flat when memory is bounded by row groups.
// (Its overall peak is the largest of more samples than the small run's, so GC timing
// alone lifts it a little.)
const fifths = Array.from({ length: 5 }, (_, i) => {
  const from = Math.floor((b.series.length * i) / 5);
  const to = Math.floor((b.series.length * (i + 1)) / 5);
  return round(Math.max(...b.series.slice(from, to)) / MB, 1);
});
printTable(
  `memory: peak in each fifth of the ${large}-row run (MB)`,
  fifths.map((peak, i) => ({ fifth: i + 1, peak })),
);
printFigures({
  heap_ratio_5m_vs_1m: round(b.peak / a.peak, 3),
  large_run_fifths_spread: round(Math.max(...fifths) / Math.min(...fifths), 3),
  peak_mb_small: round(a.peak / MB, 1),
  peak_mb_large: round(b.peak / MB, 1),
  rows_small: small,
  rows_large: large,
});
