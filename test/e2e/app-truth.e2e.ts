/**
 * Issue 14, never show something that is not true, on the built site: a preview
 * belongs to the config on screen (after an import, after every column is deleted,
 * after a failed preview), and a run's figures agree with each other (after a
 * reload mid-run, after a resume, after a cancel). The example's model is on the
 * loopback OpenAI-compatible server, whose answers the test lets through.
 */
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerGate } from './support/answer-gate.ts';
import { headerRows as rowsOf, openApp, type AppPage } from './support/app-page.ts';
import { EXAMPLE_HEADER, MODEL_COLUMNS_PER_ROW } from './support/local-example.ts';

const STARTER_HEADER = ['#', 'topic', 'sentence'];

let app: AppPage;
let page: Page;
let gate: AnswerGate;

beforeAll(async () => {
  app = await openApp('/tabsynth/');
  ({ page, gate } = app);
});

afterAll(() => app?.close());

/** The preview shown as the config on screen's: its header, or null when there is none. */
const currentPreviewHeader = () =>
  page.evaluate(() => {
    const region = document.querySelector('[role="region"][aria-label="Preview rows"]');
    return region ? [...region.querySelectorAll('thead th')].map((th) => th.textContent) : null;
  });

const outOfDate = () => page.getByRole('region', { name: 'Preview rows (out of date)' });

const headerRows = () => rowsOf(page);

/** The Stored runs row of the run whose id starts with `prefix`: its "rows" cell. */
async function storedRows(prefix: string): Promise<string> {
  await page.getByRole('tab', { name: 'Stored runs' }).click();
  const row = page.locator('tbody tr', { has: page.locator('code', { hasText: prefix }) });
  await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
  const text = (await row.locator('td.num').first().textContent()) ?? '';
  await page.getByRole('tab', { name: 'Run', exact: true }).click();
  return text.trim();
}

describe('issue 14: a preview belongs to the config on screen', () => {
  it('after an import, the previous config rows never show as the current preview', async () => {
    await page.goto(app.url);
    await expect.poll(currentPreviewHeader, { timeout: 60_000 }).toEqual(STARTER_HEADER);

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import config', exact: true }).click();
    await (await chooser).setFiles(app.exampleFile);
    await expect.poll(() => page.locator('#col-item-6').textContent()).toContain('title');
    // From the moment the imported config is on screen until its own preview arrives,
    // the starter's rows are marked out of date, never shown as current.
    const seen: (string | null)[][] = [];
    await expect
      .poll(
        async () => {
          const header = await currentPreviewHeader();
          seen.push(header ?? [null]);
          return header;
        },
        { timeout: 60_000, interval: 50 },
      )
      .toEqual(EXAMPLE_HEADER);
    expect(seen.filter((h) => h[0] !== null && h.join() !== EXAMPLE_HEADER.join())).toEqual([]);
    expect(await outOfDate().count()).toBe(0);
  });

  it('after every column is deleted, the old rows are marked out of date', async () => {
    // Columns others read ask first (issue 14, app-references.e2e.ts): yes to each.
    const accept = (dialog: Dialog) => void dialog.accept();
    page.on('dialog', accept);
    for (const name of EXAMPLE_HEADER.slice(1)) {
      await page.getByRole('button', { name: `Remove ${name}`, exact: true }).click();
    }
    page.off('dialog', accept);
    await expect.poll(() => page.locator('#col-item-0').count()).toBe(0);
    expect(await currentPreviewHeader()).toBeNull();
    expect(await outOfDate().count()).toBe(1);
    await expect
      .poll(() => page.getByText('These rows are from an earlier version of the config').count())
      .toBe(1);

    for (let i = 0; i < EXAMPLE_HEADER.length - 1; i++) {
      await page.getByRole('button', { name: 'Undo', exact: true }).click();
    }
    await expect.poll(currentPreviewHeader, { timeout: 60_000 }).toEqual(EXAMPLE_HEADER);
  });

  it('a failed preview leaves no older rows looking current', async () => {
    gate.answerWith({ status: 401, body: { error: { message: 'invalid api key' } } });
    try {
      await page.getByLabel('Simulate models', { exact: true }).uncheck();
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      const status = page.locator('.preview .meta');
      await expect.poll(() => status.textContent(), { timeout: 60_000 }).not.toMatch(/Generating/);
      // Nothing could be made: the error shows, with no rows under it.
      await expect.poll(() => page.locator('.preview [role="alert"]').count()).toBe(1);
      const header = await currentPreviewHeader();
      const rows = await page
        .getByRole('region', { name: 'Preview rows', exact: true })
        .locator('tbody tr')
        .count();
      expect(rows).toBe(0);
      expect(header === null || header.join() === EXAMPLE_HEADER.join()).toBe(true);
      expect(await status.textContent()).not.toMatch(/^10 rows/);
      expect(await outOfDate().count()).toBe(0);
    } finally {
      gate.answerWith(null);
      await page.getByLabel('Simulate models', { exact: true }).check();
    }
  });
});

describe('issue 14: run figures agree with each other', () => {
  it('after a reload mid-run the panel shows the interrupted run and its stored rows, and after the resume every column reaches the header', async () => {
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await page.getByLabel('Simulate all models (offline)').uncheck();
    await page.getByLabel('Rows', { exact: true }).fill('1000');
    // Enough answers to commit a row group (3 are open at once), far from all 2,000.
    gate.allow(3 * app.bufferSize * MODEL_COLUMNS_PER_ROW);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect
      .poll(async () => (await headerRows())?.[0] ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    const id = ((await page.locator('.status .id').textContent()) ?? '').trim();

    await page.reload();
    await expect
      .poll(() => page.locator('.phase').textContent(), { timeout: 30_000 })
      .toBe('interrupted');
    await expect.poll(headerRows, { timeout: 30_000 }).not.toBeNull();
    const [committed, requested] = (await headerRows())!;
    expect(requested).toBe(1000);
    expect(committed).toBeGreaterThan(0);
    expect(await page.getByText('No run yet').count()).toBe(0);
    expect(await storedRows(id)).toBe(`${committed.toLocaleString('en-US')} / 1,000`);
    // From another screen, the Run tab says a run waits to be resumed.
    const runTab = page.getByRole('tab', { name: 'Run', exact: true });
    await page.getByRole('tab', { name: 'Design', exact: true }).click();
    await expect.poll(() => runTab.textContent()).toMatch(/^\s*Run\s+interrupted\s*$/);
    expect(await runTab.getAttribute('title')).toContain('A run was interrupted');
    await runTab.click();

    gate.open();
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect
      .poll(() => page.locator('.phase').textContent(), { timeout: 120_000 })
      .toBe('complete');
    expect(await headerRows()).toEqual([1000, 1000]);
    expect(await page.locator('.outcome').textContent()).toMatch(
      new RegExp(
        `^\\s*Generated 1,000 of 1,000 rows\\s+\\(${(1000 - committed).toLocaleString('en-US')} since the resume\\)\\s+in\\s+(?:\\d+\\.\\ds|\\d+m \\d+\\.\\ds|\\d+h \\d+m)\\.\\s*$`,
      ),
    );
    const counts = await page.locator('.columns .cnum').allTextContents();
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.map((c) => c.trim())).toEqual(counts.map(() => '1,000'));
    expect(await storedRows(id)).toBe('1,000 / 1,000');
  });

  it('a cancelled run shows the same rows in its header and in Stored runs', async () => {
    // Another seed: the response cache holds every answer of the first run's seed.
    await page.getByLabel('Seed', { exact: true }).fill('2');
    await page.getByLabel('Rows', { exact: true }).fill('1000');
    // The reload put the page back to simulating: this run's answers come from the gate.
    await page.getByLabel('Simulate all models (offline)').uncheck();
    gate.allow(3 * app.bufferSize * MODEL_COLUMNS_PER_ROW);
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => page.locator('.phase').textContent()).toBe('running');
    await expect
      .poll(async () => (await headerRows())?.[0] ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(0);
    const id = ((await page.locator('.status .id').textContent()) ?? '').trim();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect
      .poll(() => page.locator('.phase').textContent(), { timeout: 30_000 })
      .toBe('cancelled');
    gate.open();
    // The stored run settles on its committed rows; the header says the same.
    const stored = await storedRows(id);
    const [committed] = (await headerRows())!;
    expect(stored).toBe(`${committed.toLocaleString('en-US')} / 1,000`);
  });
});
