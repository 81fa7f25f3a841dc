/**
 * The app end to end on the built site, served from a sub-path: import an example,
 * edit a column (an invalid value shows its error at the field), preview, generate
 * 1,000 rows, reload mid-run and resume, export Parquet and read it back with
 * hyparquet. Saves a screenshot of each screen under test-results/.
 *
 * The example's model is pointed at the loopback OpenAI-compatible server, whose
 * answers the test lets through (support/answer-gate.ts): the run is mid-way at
 * the reload because the test holds its answers, not because the reload came
 * early enough. Previews run on the simulated model.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerGate } from './support/answer-gate.ts';
import { headerRows, openApp, type AppPage } from './support/app-page.ts';
import { EXAMPLE_HEADER, MODEL_COLUMNS_PER_ROW } from './support/local-example.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(ROOT, 'test-results');

let app: AppPage;
let page: Page;
let gate: AnswerGate;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: resolve(SHOTS, `app-${name}.png`) });
}

/** Rows committed as the run panel shows them ("340 / 1,000 rows"). */
const rowsCommitted = async () => (await headerRows(page))?.[0] ?? 0;

/** Writes `value` under `key` in the app's run database, as a damaged record would lie there. */
async function putStoredRecord(key: string, value: unknown): Promise<void> {
  await page.evaluate(
    ([k, v]) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('tabsynth-runs');
        open.onupgradeneeded = () => open.result.createObjectStore('kv');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put(v, k);
          tx.oncomplete = () => {
            open.result.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    [key, value] as const,
  );
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await openApp('/tools/tabsynth/');
  ({ page, gate } = app);
});

afterAll(() => app?.close());

describe('the app on the built site, from a sub-path', () => {
  it('imports an example config through "Import config"', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('tab', { name: 'Design' }).isVisible()).toBe(true);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import config', exact: true }).click();
    await (await chooser).setFiles(app.exampleFile);
    // The imported config's last column is listed: the status beside it is the import's.
    await expect.poll(() => page.locator('#col-item-6').textContent()).toContain('title');
    expect(await page.getByRole('status').filter({ hasText: 'Config valid' }).count()).toBe(1);
    await shot('designer');
  });

  it('shows an invalid value at its field, then accepts the fix', async () => {
    await page.getByRole('button', { name: /^price/ }).click();
    const stddev = page.getByLabel('Std. deviation');
    await stddev.fill('-5');
    const field = page.locator('.field', { has: stddev });
    await expect
      .poll(() => field.getByRole('alert').textContent())
      .toMatch(/stddev|above 0|positive/i);
    await shot('field-error');
    await stddev.fill('10');
    await page.getByLabel('Mean').fill('120');
    await expect.poll(() => field.getByRole('alert').count()).toBe(0);
    await expect.poll(() => page.getByLabel('Mean').inputValue()).toBe('120');
    expect(await page.getByRole('status').filter({ hasText: 'Config valid' }).count()).toBe(1);
  });

  it('previews 10 rows of the edited config', async () => {
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    // Only a preview of the config on screen is "Preview rows"; an older one is
    // marked out of date: this waits for the edited config's own preview.
    const table = page.getByRole('region', { name: 'Preview rows', exact: true });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 60_000 }).toBe(10);
    expect(await table.locator('thead th').allTextContents()).toEqual(EXAMPLE_HEADER);
    // The edited mean (120, stddev 10) shows in the preview's prices.
    const prices = (await table.locator('tbody tr td:nth-child(5)').allTextContents()).map(Number);
    expect(prices.reduce((a, b) => a + b, 0) / prices.length).toBeGreaterThan(105);
    await shot('preview');
  });

  it('opens the other designer screens', async () => {
    await page.getByRole('button', { name: 'Models', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Providers' }).isVisible())
      .toBe(true);
    await shot('models');
    await page.getByRole('button', { name: 'Processors & settings' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Processors', exact: true }).isVisible())
      .toBe(true);
    await shot('processors');
    await page.getByRole('button', { name: 'Examples' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await shot('gallery');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('generates 1,000 rows, survives a reload mid-run and resumes to exactly 1,000', async () => {
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await page.getByLabel('Simulate all models (offline)').uncheck();
    await page.getByLabel('Rows', { exact: true }).fill('1000');
    // At most 3 row groups are open at once: answering every cell of 3 of them
    // completes at least one, and leaves the run far from its 2,000 answers.
    gate.allow(3 * app.bufferSize * MODEL_COLUMNS_PER_ROW);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(rowsCommitted, { timeout: 60_000 }).toBeGreaterThan(0);
    await shot('run');
    const before = await rowsCommitted();
    expect(before).toBeLessThan(1000);

    await page.reload();
    gate.open();
    // The app comes back on the run screen, offering to resume.
    const resume = page.getByRole('button', { name: 'Resume', exact: true });
    await expect.poll(() => resume.isEnabled(), { timeout: 30_000 }).toBe(true);
    await resume.click();
    await expect.poll(rowsCommitted, { timeout: 120_000 }).toBe(1000);
    await expect
      .poll(() => page.locator('.phase').textContent(), { timeout: 30_000 })
      .toBe('complete');
    await expect
      .poll(() => page.getByRole('heading', { name: /^Profile/ }).count(), { timeout: 60_000 })
      .toBe(1);
    await shot('run-complete');
  });

  it('exports Parquet that hyparquet reads back as the 1,000 rows', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Parquet', exact: true }).click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = parquetMetadata(buffer);
    expect(Number(meta.num_rows)).toBe(1000);
    const rows = await parquetReadObjects({ file: buffer, compressors });
    expect(rows).toHaveLength(1000);
    expect(Object.keys(rows[0] ?? {})).toEqual(EXAMPLE_HEADER.slice(1));
    expect(new Set(rows.map((r) => r['review_id'])).size).toBe(1000);
    expect(rows.every((r) => typeof r['review'] === 'string' && r['review'] !== '')).toBe(true);
  });

  it('lists the run in Stored runs, with its storage', async () => {
    await page.getByRole('tab', { name: 'Stored runs' }).click();
    await expect
      .poll(() => page.locator('tbody tr').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page
      .getByRole('button', { name: /^Open run/ })
      .first()
      .click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Rows of the opened run' }).isVisible(), {
        timeout: 60_000,
      })
      .toBe(true);
    await shot('history');
  });

  it('SPEC 4 shows a damaged stored run with its reason and Delete, beside the others, and deletes it', async () => {
    await putStoredRecord('m/broken', { runId: 'broken', status: 'complete', columns: ['a'] });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const runs = page.locator('.history > table > tbody > tr');
    const row = runs.filter({ hasText: 'broken' });
    await expect.poll(() => row.getByText('damaged', { exact: true }).isVisible()).toBe(true);
    expect(await row.textContent()).toContain(
      'manifest of run "broken" is damaged: configHash: expected a string, found nothing',
    );
    expect(await row.getByRole('button', { name: /^Open/ }).count()).toBe(0);
    const others = runs.filter({ hasNotText: 'broken' });
    expect(await others.count()).toBeGreaterThan(0);
    expect(await others.getByRole('button', { name: /^Open run/ }).count()).toBe(
      await others.count(),
    );
    await shot('history-damaged');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete run broken' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await others.count()).toBeGreaterThan(0);
  });
});
