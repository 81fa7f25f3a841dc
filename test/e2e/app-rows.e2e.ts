/**
 * Reading what was generated (issue 14), on the built site: a row opens in full in
 * a dialog from the preview, from a finished run and from a stored run (Escape
 * closes it and gives focus back to the row; arrow keys move between rows); a stored
 * run's table pages through every row, sorted or filtered on a column. A run carries
 * its config's name, is renamed in place, exports under its name, and its config
 * opens back in the designer.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type OpenApp } from './app-browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(ROOT, 'test-results');
const EXAMPLE = resolve(ROOT, 'examples/review-judge.yaml');

let app: OpenApp;
let page: Page;

/** The label of the focused element. */
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));

/** The full text the detail dialog shows for `column`. */
const detailValue = (dialog: Locator, column: string) =>
  dialog
    .locator('.field', { has: page.locator('dt', { hasText: new RegExp(`^${column}$`) }) })
    .locator('dd');

/** The text of column `n` (1 = the row number) of every row of `table`. */
const cells = (table: Locator, n: number) =>
  table.locator(`tbody tr td:nth-child(${n})`).allTextContents();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await openApp(resolve(ROOT, 'dist'), '/tabsynth/');
  page = app.page;
});

afterAll(() => app?.close());

describe('reading generated rows', () => {
  it('opens a preview row in full: long text whole, the judge as JSON; arrows move, Escape returns focus', async () => {
    await page.goto(app.site.url);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import config', exact: true }).click();
    await (await chooser).setFiles(EXAMPLE);
    const table = page.getByRole('region', { name: 'Preview rows' });
    await expect
      .poll(() => table.locator('thead th').allTextContents(), { timeout: 60_000 })
      .toEqual(['#', 'product', 'rating', 'reviewer', 'review', 'quality']);
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 60_000 }).toBe(10);

    await table.getByRole('button', { name: 'Open row 1', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Row 1' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const review = (await cells(table, 5))[0] ?? '';
    expect(review.length).toBeGreaterThan(60);
    expect(await detailValue(dialog, 'review').textContent()).toBe(review);
    const judge = JSON.parse((await detailValue(dialog, 'quality').textContent()) ?? '') as Record<
      string,
      { score: unknown; reasoning: unknown }
    >;
    expect(Object.keys(judge).sort()).toEqual(['consistency', 'helpfulness']);
    expect(typeof judge['helpfulness']?.reasoning).toBe('string');
    await page.screenshot({ path: resolve(SHOTS, 'app-row-detail.png') });

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('dialog', { name: 'Row 2' }).isVisible()).toBe(true);
    expect(await detailValue(page.getByRole('dialog'), 'review').textContent()).toBe(
      (await cells(table, 5))[1],
    );
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await focused()).toBe('Open row 2');
  });

  it('opens a row of a finished run', async () => {
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await page.getByLabel('Rows', { exact: true }).fill('1000');
    await page.getByLabel('Buffer size', { exact: true }).fill('50');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect
      .poll(() => page.locator('.phase').textContent(), { timeout: 120_000 })
      .toBe('complete');
    const table = page.getByRole('region', { name: 'Rows of this run' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(100);
    const panel = page.locator('#panel-run');
    expect(await panel.locator('.summary').textContent()).toBe('Rows 1–100 of 1,000');
    await table.getByRole('button', { name: 'Open row 3', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Row 3' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await detailValue(dialog, 'review').textContent()).toBe((await cells(table, 5))[2]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await focused()).toBe('Open row 3');
  });

  it('pages through a stored run, sorts and filters it, and opens its rows', async () => {
    await page.getByRole('tab', { name: 'Stored runs' }).click();
    await page
      .getByRole('button', { name: /^Open run/ })
      .first()
      .click();
    const panel = page.locator('#panel-history');
    const table = page.getByRole('region', { name: 'Rows of the opened run' });
    const summary = panel.locator('.summary');
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toBe('Rows 1–100 of 1,000');
    expect((await cells(table, 1)).slice(0, 3)).toEqual(['1', '2', '3']);

    // The detail view steps across pages.
    await table.getByRole('button', { name: 'Open row 100', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Row 100' }).isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('dialog', { name: 'Row 101' }).isVisible()).toBe(true);
    expect(await summary.textContent()).toBe('Rows 101–200 of 1,000');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByRole('dialog', { name: 'Row 100' }).isVisible()).toBe(true);
    expect(await summary.textContent()).toBe('Rows 1–100 of 1,000');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await focused()).toBe('Open row 100');

    await panel.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => summary.textContent()).toBe('Rows 101–200 of 1,000');
    expect((await cells(table, 1))[0]).toBe('101');
    await panel.getByRole('button', { name: 'Last', exact: true }).click();
    await expect.poll(() => summary.textContent()).toBe('Rows 901–1,000 of 1,000');
    expect((await cells(table, 1)).at(-1)).toBe('1000');
    await page.screenshot({ path: resolve(SHOTS, 'app-stored-pages.png') });

    await panel.getByLabel('Sort by').selectOption('rating');
    await panel.getByLabel('Sort direction').selectOption('descending');
    await expect.poll(() => summary.textContent()).toBe('Rows 1–100 of 1,000');
    await expect.poll(async () => new Set(await cells(table, 3))).toEqual(new Set(['5']));
    const numbers = (await cells(table, 1)).map(Number);
    expect(numbers).not.toEqual(numbers.map((_, i) => i + 1));

    await panel.getByLabel('Sort by').selectOption('');
    await panel.getByLabel('Filter column').selectOption('product');
    await panel.getByLabel('Filter text').fill('ESPRESSO');
    await panel.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect
      .poll(() => summary.textContent())
      .toMatch(/^Rows 1–\d+ of \d+ matching \(of 1,000\)$/);
    expect(new Set(await cells(table, 2))).toEqual(new Set(['espresso machine']));

    const first = (await cells(table, 1))[0] ?? '';
    await table.getByRole('button', { name: `Open row ${first}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Row ${first}` });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await detailValue(dialog, 'product').textContent()).toBe('espresso machine');
    expect(await detailValue(dialog, 'review').textContent()).toBe((await cells(table, 5))[0]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await focused()).toBe(`Open row ${first}`);
  });

  it('names the run after the imported config; renamed, its export follows; its config opens in the designer', async () => {
    const panel = page.locator('#panel-history');
    const row = panel.locator('tbody tr').first();
    expect(await row.locator('.name').textContent()).toBe('review-judge');
    let download = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Export CSV', exact: true }).click();
    expect((await download).suggestedFilename()).toBe('review-judge.csv');

    await row.getByRole('button', { name: /^Rename run/ }).click();
    const input = row.getByRole('textbox', { name: /^Name of run/ });
    await input.fill('Judged reviews, v2');
    await input.press('Enter');
    await expect.poll(() => row.locator('.name').textContent()).toBe('Judged reviews, v2');
    expect(await focused()).toMatch(/^Rename run/);
    download = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Export JSONL', exact: true }).click();
    expect((await download).suggestedFilename()).toBe('Judged-reviews-v2.jsonl');

    // Another design on screen, then the run's config back in the designer.
    await page.getByRole('tab', { name: 'Design' }).click();
    await page.getByRole('button', { name: 'Examples' }).click();
    await page.getByRole('button', { name: 'Open example Statistical table' }).click();
    await expect.poll(() => page.locator('#col-item-0').textContent()).not.toContain('product');
    await page.getByRole('tab', { name: 'Stored runs' }).click();
    await row.getByRole('button', { name: /^Load config of run/ }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Design' }).getAttribute('aria-selected'))
      .toBe('true');
    await expect.poll(() => page.locator('#col-item-5').textContent()).toContain('quality');
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    expect(await page.getByLabel('Run name').inputValue()).toBe('Judged reviews, v2');
  });
});
