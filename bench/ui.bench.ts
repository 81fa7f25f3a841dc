/**
 * `npm run bench -- ui`: the app on the built site in headless Chromium, during a
 * 200,000-row run of the statistical pipeline (examples/statistical.yaml):
 * - main-thread long tasks (PerformanceObserver 'longtask') after the first paint,
 *   during the run: how many, and the longest (target: none over 50 ms);
 * - time from page load to the first preview rows (target: under 1.5 s), the
 *   config arriving in a share link so the page previews it on load;
 * - gzip size of the initial JavaScript, the entry and what it preloads
 *   (target: under 200 kB).
 * Builds dist/ first when it is missing. BENCH_ROWS overrides the row count.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { exportableDocument, importConfigText, shareFragment } from '../src/ui/state/config-io.ts';
import { launchChromium } from '../test/e2e/app-browser.ts';
import { serveStatic } from '../test/e2e/app-server.ts';
import { printFigures, printTable, round } from './support/report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, 'dist');
const ROWS = Number(process.env['BENCH_ROWS'] ?? 200_000);
const RUN_TIMEOUT_MS = 15 * 60_000;

// Always build: a stale dist/ would measure old code.
{
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** The entry script and the modules it preloads, gzipped, in kB. */
function initialJsGzipKb(): { kb: number; files: string[] } {
  const html = readFileSync(resolve(DIST, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1] as string);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(resolve(DIST, f))).length, 0);
  return { kb: bytes / 1024, files };
}

interface PageFigures {
  firstPaint: number;
  firstPreview: number | null;
  longTasks: { start: number; duration: number }[];
}

const initial = initialJsGzipKb();
const doc = importConfigText(readFileSync(resolve(ROOT, 'examples/statistical.yaml'), 'utf8'));
const fragment = await shareFragment(exportableDocument(doc));
const site = await serveStatic(DIST, '/bench/tabsynth/');
const context = await launchChromium();
await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(() => {
    const w = window as unknown as { __bench: PageFigures };
    w.__bench = { firstPaint: 0, firstPreview: null, longTasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name === 'first-paint') w.__bench.firstPaint = e.startTime;
      }
    }).observe({ type: 'paint', buffered: true });
    new MutationObserver(() => {
      if (w.__bench.firstPreview !== null) return;
      if (document.querySelector('[aria-label="Preview rows"] tbody tr'))
        w.__bench.firstPreview = performance.now();
    }).observe(document, { childList: true, subtree: true });
  });

  await page.goto(`${site.url}${fragment}`);
  await page.waitForFunction(
    () => (window as unknown as { __bench: PageFigures }).__bench.firstPreview !== null,
    null,
    {
      timeout: 60_000,
    },
  );
  const loaded = (await page.evaluate(
    () => (window as unknown as { __bench: PageFigures }).__bench,
  )) as PageFigures;

  await page.getByRole('tab', { name: 'Run', exact: true }).click();
  await page.getByLabel('Rows', { exact: true }).fill(String(ROWS));
  await page.getByLabel('Record task timeline').uncheck();
  const runStart = (await page.evaluate(() => performance.now())) as number;
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await page.waitForFunction(
    () => {
      const phase = document.querySelector('.phase')?.textContent;
      return phase === 'complete' || phase === 'failed' || phase === 'stopped';
    },
    null,
    { timeout: RUN_TIMEOUT_MS, polling: 500 },
  );
  const wallMs = Date.now() - t0;
  const phase = await page.locator('.phase').textContent();
  const rowsText = (await page.locator('.status .rows').textContent()) ?? '';
  const end = (await page.evaluate(
    () => (window as unknown as { __bench: PageFigures }).__bench,
  )) as PageFigures;
  const during = end.longTasks.filter((t) => t.start >= runStart);
  const afterPaint = end.longTasks.filter((t) => t.start >= end.firstPaint);
  const over50 = during.filter((t) => t.duration > 50);
  const longest = during.reduce((m, t) => Math.max(m, t.duration), 0);

  printTable(`UI on the built site: ${ROWS.toLocaleString()}-row statistical run`, [
    { figure: 'initial JS (gzip kB)', value: round(initial.kb, 1), target: '< 200' },
    {
      figure: 'first preview (ms from load)',
      value: round(loaded.firstPreview ?? NaN, 0),
      target: '< 1500',
    },
    { figure: 'long tasks > 50 ms during the run', value: over50.length, target: '0' },
    { figure: 'longest task during the run (ms)', value: round(longest, 0), target: '<= 50' },
    { figure: 'long tasks after first paint (all)', value: afterPaint.length, target: '' },
    { figure: 'run wall time (s)', value: round(wallMs / 1000, 1), target: '' },
    { figure: `run ${phase ?? '?'}`, value: rowsText.trim(), target: '' },
  ]);
  printFigures({
    long_tasks_over_50ms: over50.length,
    longest_task_ms: round(longest, 1),
    first_preview_ms: round(loaded.firstPreview ?? -1, 1),
    initial_js_gzip_kb: round(initial.kb, 1),
    rows: ROWS,
    run_wall_ms: wallMs,
    run_status: phase ?? 'unknown',
  });
} finally {
  await context.close();
  await site.close();
}
