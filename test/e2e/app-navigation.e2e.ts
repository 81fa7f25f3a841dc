/**
 * Issue 14, everywhere, on the built site: each screen has a URL (a URL opens its
 * screen, a reload keeps it, Back and Forward move between screens), Back closes a
 * dialog and a dialog closed by Escape leaves no entry behind, a share link still
 * opens; the column list is one tab stop whose arrows move the selection, and the
 * skip link takes focus to the editor.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareFragment } from '../../src/ui/state/config-io.ts';
import { openApp, type OpenApp } from './app-browser.ts';

const DIST = resolve(import.meta.dirname, '../../dist');

/** Ten sampler columns c0 … c9. */
const TEN = Array.from({ length: 10 }, (_, i) => `c${i}`);
const TEN_COLUMNS = {
  columns: TEN.map((name, i) => ({
    name,
    column_type: 'sampler',
    sampler_type: 'uniform',
    params: { low: 0, high: i + 1 },
  })),
};

let app: OpenApp;
let page: Page;

beforeAll(async () => {
  app = await openApp(DIST, '/nav/tabsynth/');
  page = app.page;
});

afterAll(() => app?.close());

const hash = () => page.evaluate(() => location.hash);
const selectedTab = () => page.locator('[role="tab"][aria-selected="true"]').textContent();
/** The element with focus: its id, else its accessible text. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.id || (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
  });
const galleryOpen = () => page.getByRole('dialog', { name: 'Example pipelines' }).isVisible();
const columnNames = () => page.locator('[role="grid"] [role="row"] .name').allTextContents();

describe('issue 14: every screen has a URL', () => {
  it('a share link still opens its config, and the URL then names the designer', async () => {
    await page.goto(app.site.url + (await shareFragment(TEN_COLUMNS)));
    await expect.poll(columnNames, { timeout: 30_000 }).toEqual(TEN);
    expect(await hash()).toBe('#/design');
    expect(await selectedTab()).toContain('Design');
  });

  it('Back and Forward move between Design, Run and Stored runs, each under its own URL', async () => {
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    expect(await hash()).toBe('#/run');
    await page.getByRole('tab', { name: 'Stored runs' }).click();
    expect(await hash()).toBe('#/runs');
    await page.goBack();
    await expect.poll(selectedTab).toContain('Run');
    expect(await hash()).toBe('#/run');
    await page.goBack();
    await expect.poll(selectedTab).toContain('Design');
    expect(await columnNames()).toEqual(TEN);
    await page.goForward();
    await expect.poll(selectedTab).toContain('Run');
    await page.getByRole('tab', { name: 'Design' }).click();
    expect(await hash()).toBe('#/design');
  });

  it('a designer section has its URL, and Back returns to the section before', async () => {
    await page.getByRole('button', { name: 'Models', exact: true }).click();
    expect(await hash()).toBe('#/design/models');
    await page.goBack();
    await expect
      .poll(() =>
        page.getByRole('button', { name: 'Columns', exact: true }).getAttribute('aria-current'),
      )
      .toBe('page');
    expect(await hash()).toBe('#/design');
  });

  it('a URL opens its screen, and a reload keeps it', async () => {
    // Typed into the address bar of the open app.
    await page.goto(app.site.url + '#/runs');
    await expect.poll(selectedTab).toContain('Stored runs');
    // Opened in a new tab.
    const other = await app.context.newPage();
    await other.goto(app.site.url + '#/design/seed');
    const seed = other.getByRole('button', { name: 'Seed data', exact: true });
    await expect.poll(() => seed.getAttribute('aria-current'), { timeout: 30_000 }).toBe('page');
    await other.reload();
    await expect.poll(() => seed.getAttribute('aria-current'), { timeout: 30_000 }).toBe('page');
    expect(await other.evaluate(() => location.hash)).toBe('#/design/seed');
    await other.close();
    await page.reload();
    await expect.poll(selectedTab, { timeout: 30_000 }).toContain('Stored runs');
    expect(await hash()).toBe('#/runs');
  });
});

describe('issue 14: Back closes a dialog', () => {
  it('Back closes the gallery and stays on the screen', async () => {
    await page.getByRole('tab', { name: 'Design' }).click();
    await page.getByRole('button', { name: 'Examples', exact: true }).click();
    await expect.poll(galleryOpen).toBe(true);
    await page.goBack();
    await expect.poll(galleryOpen).toBe(false);
    expect(await hash()).toBe('#/design');
    expect(await selectedTab()).toContain('Design');
  });

  it('a dialog closed by Escape leaves no history entry: the next Back leaves the screen', async () => {
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await page.getByRole('tab', { name: 'Design' }).click();
    await page.getByRole('button', { name: 'Examples', exact: true }).click();
    await expect.poll(galleryOpen).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(galleryOpen).toBe(false);
    await expect.poll(() => page.evaluate(() => history.state as unknown)).toBeNull();
    await page.goBack();
    await expect.poll(selectedTab).toContain('Run');
    await page.goForward();
    await expect.poll(selectedTab).toContain('Design');
    expect(await galleryOpen()).toBe(false);
  });

  it('Back closes a row opened in full, focus returning to its row; Forward opens it again', async () => {
    const table = page.getByRole('region', { name: 'Preview rows' });
    await table.getByRole('button', { name: 'Open row 2', exact: true }).click({ timeout: 60_000 });
    const detail = page.getByRole('dialog', { name: 'Row 2' });
    await expect.poll(() => detail.isVisible()).toBe(true);
    await page.goBack();
    await expect.poll(() => detail.count()).toBe(0);
    expect(await selectedTab()).toContain('Design');
    await expect.poll(focused).toBe('Open row 2');
    // Forward opens it again; Escape then closes it and pops its entry.
    await page.goForward();
    await expect.poll(() => detail.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => history.state as unknown)).toBeNull();
    await expect.poll(focused).toBe('Open row 2');
  });
});

describe('issue 14: keyboard', () => {
  /** Presses Tab until `stop` has focus; the ids (or labels) of the stops passed. */
  async function tabUntil(stop: (label: string) => boolean, most = 60): Promise<string[]> {
    const seen: string[] = [];
    for (let n = 0; n < most; n++) {
      await page.keyboard.press('Tab');
      const label = await focused();
      seen.push(label);
      if (stop(label)) return seen;
    }
    throw new Error(`no stop matched in ${most} tabs: ${seen.join(' | ')}`);
  }

  it('the skip link is the first tab stop and moves focus to the editor', async () => {
    await page.goto(app.site.url + '#/design');
    await page.reload();
    await expect.poll(columnNames, { timeout: 30_000 }).toEqual(TEN);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to editor');
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('editor');
    // The next Tab lands inside the editor: the column's fields.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() =>
        document.getElementById('editor')!.contains(document.activeElement),
      ),
    ).toBe(true);
  });

  it('a list of 10 columns is one tab stop, and the arrows move the selection', async () => {
    await page.reload();
    await expect.poll(columnNames, { timeout: 30_000 }).toEqual(TEN);
    const passed = await tabUntil((label) => label === 'add-type');
    const inList = passed.filter(
      (label) => label.startsWith('col-item-') || /^(Move|Duplicate|Remove) /.test(label),
    );
    expect(inList).toEqual(['col-item-0']);
    // Back into the list.
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('col-item-0');

    const selectedRow = () =>
      page.locator('[role="row"][aria-selected="true"] .name').textContent();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('col-item-2');
    await expect.poll(selectedRow).toBe('c2');
    await page.keyboard.press('End');
    expect(await focused()).toBe('col-item-9');
    await expect.poll(selectedRow).toBe('c9');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('col-item-0');
    await expect.poll(selectedRow).toBe('c0');

    // The row's own buttons: Right reaches them, Left comes back.
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('Move c0 down');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('col-item-0');

    // Alt+Down moves the column, the focus going with it.
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(columnNames).toEqual(['c1', 'c0', ...TEN.slice(2)]);
    await expect.poll(focused).toBe('col-item-1');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(columnNames).toEqual(TEN);

    // The list's tab stop follows the selection: Tab out and back lands on it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('add-type');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('col-item-1');

    // Enter opens the column: the editor has the focus and shows it.
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('editor');
    expect(await page.locator('#editor').getByRole('textbox').first().inputValue()).toBe('c1');
  });
});
