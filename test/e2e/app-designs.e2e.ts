/**
 * Issue 14 on the built site: work is never lost by a click (named designs saved in
 * the browser; an example, an import or a share link opens as a new design, the one
 * before kept; the single design an older version saved is still there), and a model
 * column works at once (a new design's LLM column previews; a model is created from the column
 * editor; a Data Designer config on `provider: nvidia` previews on the simulated model).
 * Everything runs offline on the simulated model.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openApp, type OpenApp } from './app-browser.ts';

const DIST = resolve(import.meta.dirname, '../../dist');
const WAIT = { timeout: 60_000 };

/** A Data Designer config as published: its model on the predefined nvidia provider, no key. */
const NVIDIA_CONFIG = `
model_configs:
  - alias: nemo
    model: meta/llama-3.3-70b-instruct
    provider: nvidia
    inference_parameters:
      temperature: 0.7
columns:
  - name: city
    column_type: sampler
    sampler_type: category
    params:
      values: [Lyon, Porto, Turin]
  - name: postcard
    column_type: llm-text
    model_alias: nemo
    prompt: "Write a postcard from {{ city }}."
`;

let app: OpenApp;
let page: Page;
let nvidiaFile: string;

beforeAll(async () => {
  app = await openApp(DIST, '/designs/');
  page = app.page;
  nvidiaFile = join(mkdtempSync(join(tmpdir(), 'tabsynth-e2e-designs-')), 'nvidia-postcards.yaml');
  writeFileSync(nvidiaFile, NVIDIA_CONFIG);
});

afterAll(() => app?.close());

/** The current preview's header and its column `name`'s cells, or null while there is none. */
const preview = (name?: string) =>
  page.evaluate((column) => {
    const region = document.querySelector('[role="region"][aria-label="Preview rows"]');
    if (!region) return null;
    const header = [...region.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
    const at = column === undefined ? -1 : header.indexOf(column);
    const cells = [...region.querySelectorAll('tbody tr')].map(
      (tr) => tr.children[at]?.textContent?.trim() ?? '',
    );
    return { header, cells: at > 0 ? cells : [] };
  }, name);

const header = async () => (await preview())?.header ?? null;

/** Every cell of column `name` in the current preview is simulated model output. */
async function expectSimulated(name: string): Promise<void> {
  await expect
    .poll(async () => {
      const p = await preview(name);
      return p !== null && p.cells.length > 0 && p.cells.every((c) => c.startsWith('[simulated]'));
    }, WAIT)
    .toBe(true);
}

const menu = () => page.getByRole('button', { name: /^Design/ });
const list = () => page.getByRole('region', { name: 'Saved designs' });

async function closeMenu(): Promise<void> {
  if ((await menu().getAttribute('aria-expanded')) === 'true') await menu().click();
}

/** The Design menu's entries, as their names. */
async function designNames(): Promise<string[]> {
  await menu().click();
  const names = await list().locator('.pick .name').allTextContents();
  await closeMenu();
  return names;
}

/** Opens the saved design named `name` from the Design menu. */
async function openDesign(name: string): Promise<void> {
  await menu().click();
  await list()
    .locator('.pick', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) })
    .click();
}

async function addColumn(type: string, on: Page = page): Promise<void> {
  await on.getByLabel('New column type').selectOption({ label: type });
  await on.getByRole('button', { name: 'Add column', exact: true }).click();
}

/** The names in the column list of `on`. */
const columnNames = (on: Page) => on.locator('[id^="col-item-"] .name').allTextContents();

/**
 * Reloads `page` with the storage events it hears held back, as if they were slow to
 * arrive (counted), until `letThrough`: the tab then edits before it heard of another
 * tab's save. The holding listener comes before the app's (window runs its listeners
 * in the order they were added). The page's later loads, in later tests, hear them all.
 */
async function holdBackStorageEvents() {
  type Held = { heldBack: number; holding: boolean };
  const script = await page.addInitScript(() => {
    const w = window as unknown as Held;
    w.heldBack = 0;
    w.holding = true;
    window.addEventListener('storage', (e) => {
      if (!w.holding) return;
      w.heldBack++;
      e.stopImmediatePropagation();
    });
  });
  onTestFinished(() => script.dispose());
  await page.reload();
  return {
    heard: () => page.evaluate(() => (window as unknown as Held).heldBack),
    letThrough: () => page.evaluate(() => void ((window as unknown as Held).holding = false)),
  };
}

describe('issue 14: named designs, on the built site', () => {
  it('the design an older version saved is still there, as the first saved design', async () => {
    await page.goto(app.site.url);
    await page.evaluate(() => {
      localStorage.clear();
      localStorage.setItem(
        'tabsynth:design',
        JSON.stringify({
          columns: [
            {
              name: 'kept_column',
              column_type: 'sampler',
              sampler_type: 'category',
              params: { values: ['x', 'y'] },
            },
          ],
        }),
      );
    });
    await page.reload();
    await expect.poll(header, WAIT).toEqual(['#', 'kept_column']);
    expect(await designNames()).toEqual(['Untitled design']);
  });

  it('switching designs keeps both; a new design is empty with a simulated model, and its first LLM column previews', async () => {
    await menu().click();
    await list().getByRole('button', { name: 'Rename design Untitled design' }).click();
    await list().getByLabel('New name of design Untitled design').fill('Kept');
    await page.keyboard.press('Enter');
    await closeMenu();
    await expect.poll(() => menu().textContent()).toContain('Kept');

    await menu().click();
    await list().getByRole('button', { name: 'New design' }).click();
    await expect.poll(() => page.getByText('Add a column to start.').isVisible()).toBe(true);
    await addColumn('LLM text');
    await expect.poll(header, WAIT).toEqual(['#', 'llm_text']);
    await expectSimulated('llm_text');
    expect(await page.getByRole('combobox', { name: 'Model' }).inputValue()).toBe('writer');

    await openDesign('Kept');
    await expect.poll(header, WAIT).toEqual(['#', 'kept_column']);
    await openDesign('Untitled design');
    await expect.poll(header, WAIT).toEqual(['#', 'llm_text']);

    // Both survive a reload; the one open last opens again.
    await page.reload();
    await expect.poll(header, WAIT).toEqual(['#', 'llm_text']);
    expect((await designNames()).sort()).toEqual(['Kept', 'Untitled design']);
  });

  it('an example opens as a new design; the edited design before it stays', async () => {
    await openDesign('Kept');
    await addColumn('Sampler');
    await expect.poll(header, WAIT).toEqual(['#', 'kept_column', 'sampled']);

    await page.getByRole('button', { name: 'Examples', exact: true }).click();
    await page.getByRole('button', { name: 'Open example Statistical table' }).click();
    await expect.poll(() => menu().textContent()).toContain('Statistical table');
    await expect
      .poll(async () => (await header())?.slice(0, 3), WAIT)
      .toEqual(['#', 'id', 'region']);
    expect((await designNames()).sort()).toEqual(['Kept', 'Statistical table', 'Untitled design']);

    await openDesign('Kept');
    await expect.poll(header, WAIT).toEqual(['#', 'kept_column', 'sampled']);
  });

  it('an imported Data Designer config on provider nvidia opens as a new design and previews on the simulated model', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import config', exact: true }).click();
    await (await chooser).setFiles(nvidiaFile);
    await expect.poll(() => menu().textContent()).toContain('nvidia-postcards');
    await expect.poll(header, WAIT).toEqual(['#', 'city', 'postcard']);
    await expectSimulated('postcard');
    expect(await designNames()).toHaveLength(4);

    // The column editor says why.
    await page.locator('#col-item-1').click();
    await expect
      .poll(() => page.getByText(/nvidia has no API key here/).textContent())
      .toMatch(/previews and runs on the simulated model/);
  });

  it('a model is created from the column editor, picked, and previews', async () => {
    const picker = page.getByRole('combobox', { name: 'Model' });
    await expect.poll(() => picker.inputValue()).toBe('nemo');
    await picker.selectOption({ label: 'New model…' });
    await expect.poll(() => picker.inputValue()).toBe('model');
    await expect
      .poll(() => page.getByText(/^Added model “model” on the simulated provider/).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByText(/nvidia has no API key here/).count()).toBe(0);
    await expectSimulated('postcard');
    await expect.poll(() => page.locator('header .status').textContent()).toBe('Config valid');

    await page.getByRole('button', { name: 'Models', exact: true }).click();
    await expect
      .poll(async () => {
        const aliases = page.getByRole('textbox', { name: 'Alias', exact: true });
        return Promise.all((await aliases.all()).map((a) => a.inputValue()));
      })
      .toEqual(['nemo', 'model']);
    // The imported design is kept with its new model, and the others with it.
    await page.reload();
    await expect.poll(() => menu().textContent()).toContain('nvidia-postcards');
    expect(await designNames()).toHaveLength(4);
  });

  it('a share link opens as a new design beside the others', async () => {
    await page.getByRole('button', { name: 'Share link', exact: true }).click();
    await expect.poll(() => page.url()).toContain('#config=');
    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    await expect.poll(header, WAIT).toEqual(['#', 'city', 'postcard']);
    await expect.poll(() => menu().textContent()).toContain('Untitled design');
    expect((await designNames()).sort()).toEqual([
      'Kept',
      'Statistical table',
      'Untitled design',
      'Untitled design',
      'nvidia-postcards',
    ]);
  });

  it("a design opened in another tab shows in this tab's list, without a reload", async () => {
    const before = await designNames();
    const other = await app.context.newPage();
    try {
      await other.goto(app.site.url);
      await other.getByRole('button', { name: 'Examples', exact: true }).click();
      await other.getByRole('button', { name: 'Open example Text to SQL' }).click();
      await expect
        .poll(() => other.getByRole('button', { name: /^Design/ }).textContent())
        .toContain('Text to SQL');
    } finally {
      await other.close();
    }
    await expect
      .poll(async () => (await designNames()).sort())
      .toEqual([...before, 'Text to SQL'].sort());
    // This tab's next edit keeps it in the stored list.
    await addColumn('Sampler');
    await page.reload();
    expect(await designNames()).toContain('Text to SQL');
  });

  it("a design renamed or deleted in another tab is so in this tab's list, without a reload, and stays so after this tab saves", async () => {
    const before = await designNames();
    expect(before).toContain('Statistical table');
    const other = await app.context.newPage();
    try {
      await other.goto(app.site.url);
      const otherList = other.getByRole('region', { name: 'Saved designs' });
      await other.getByRole('button', { name: /^Design/ }).click();
      await otherList.getByRole('button', { name: 'Rename design Text to SQL' }).click();
      await otherList.getByLabel('New name of design Text to SQL').fill('SQL pairs');
      await other.keyboard.press('Enter');
      await otherList.getByRole('button', { name: 'Delete design Statistical table' }).click();
      await expect.poll(() => otherList.getByRole('status').textContent()).toContain('Deleted');
    } finally {
      await other.close();
    }
    const after = before
      .filter((n) => n !== 'Statistical table')
      .map((n) => (n === 'Text to SQL' ? 'SQL pairs' : n))
      .sort();
    await expect.poll(async () => (await designNames()).sort()).toEqual(after);
    // This tab's next edit writes the list: the rename and the deletion stay.
    await addColumn('Sampler');
    await page.reload();
    await expect.poll(async () => (await designNames()).sort()).toEqual(after);
  });

  it("the same design edited in two tabs: the tab about to overwrite the other's save says so; it loads their version, and Undo brings its own back", async () => {
    const other = await app.context.newPage();
    try {
      await other.goto(app.site.url);
      const otherMenu = other.getByRole('button', { name: /^Design/ });
      await expect.poll(() => otherMenu.textContent()).toBe(await menu().textContent());
      // This tab hears of the other's save only after it made an edit of its own.
      const events = await holdBackStorageEvents();
      await expect.poll(() => columnNames(page).then((n) => n.length)).toBeGreaterThan(0);
      const mine = await columnNames(page);
      await expect.poll(() => columnNames(other)).toEqual(mine);
      await addColumn('LLM code', other);
      await expect.poll(() => columnNames(other)).toEqual([...mine, 'llm_code']);
      await expect.poll(events.heard).toBeGreaterThan(0);
      await addColumn('Expression');
      const notice = page.getByRole('alert').filter({ hasText: 'changed in another tab' });
      await expect
        .poll(() => notice.textContent())
        .toContain('Your changes here are not saved until you choose');
      // It stays up on the other screens, where a run would start from this tab's version.
      await page.getByRole('tab', { name: 'Run', exact: true }).click();
      await expect.poll(() => notice.count()).toBe(1);
      await page.getByRole('tab', { name: 'Design', exact: true }).click();
      await events.letThrough();
      // The other tab's save stands.
      await other.reload();
      await expect.poll(() => columnNames(other)).toEqual([...mine, 'llm_code']);

      await notice.getByRole('button', { name: 'Load their version' }).click();
      await expect.poll(() => notice.count()).toBe(0);
      await expect.poll(() => columnNames(page)).toEqual([...mine, 'llm_code']);
      // Undo brings this tab's version back and saves it; the other tab, with nothing unsaved, follows.
      await page.getByRole('button', { name: 'Undo', exact: true }).click();
      await expect.poll(() => columnNames(page)).toEqual([...mine, 'expression']);
      await expect.poll(() => columnNames(other)).toEqual([...mine, 'expression']);
      expect(await other.getByRole('alert').count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
