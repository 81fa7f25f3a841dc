/**
 * Issue 14, never lose work by a click, on the built site: renaming a column
 * updates every reference to it (with an Undo notice), removing a column others
 * read asks first and names them, and deleting a stored run asks first, then puts
 * focus on the next row's Open button (never its Delete) or on the list heading.
 * Models are simulated, so no answer goes through the model server.
 */
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './support/app-page.ts';

let app: AppPage;
let page: Page;

beforeAll(async () => {
  app = await openApp('/tabsynth/');
  page = app.page;
  await page.goto(app.url);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import config', exact: true }).click();
  await (await chooser).setFiles(app.exampleFile);
  await page.locator('#col-item-6', { hasText: 'title' }).waitFor();
});

afterAll(() => app?.close());

/** Answers the next dialog with `accept`; resolves to its message. */
function answerNextDialog(accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog: Dialog) => {
      resolve(dialog.message());
      void (accept ? dialog.accept() : dialog.dismiss());
    });
  });
}

const nameField = () => page.getByRole('textbox', { name: 'Name', exact: true });
const columnIssues = () => page.locator('.list .issues').allTextContents();
const promptOf = async (item: number) => {
  await page.locator(`#col-item-${item}`).click();
  return page.getByRole('combobox', { name: 'Prompt', exact: true }).inputValue();
};

describe('issue 14: renaming and removing a column', () => {
  it('renaming updates the prompt that reads the column, in one step the notice can undo', async () => {
    await page.locator('#col-item-1').click();
    await nameField().fill('item');
    await page.keyboard.press('Tab');
    const notice = page.getByRole('status').filter({ hasText: 'Renamed' });
    await expect
      .poll(() => notice.textContent())
      .toMatch(/^\s*Renamed product to item: updated 1\s+reference in review\.\s*Undo\s*$/);
    expect(await columnIssues()).toEqual([]);
    expect(await promptOf(5)).toContain('review of {{ item }} (rated');

    // The notice stays while the document is as the rename left it.
    await page.getByRole('button', { name: 'Undo updating the references' }).click();
    expect(await promptOf(5)).toContain('review of {{ product }} (rated');
    await expect.poll(columnIssues).toEqual(['1']);
    await page
      .getByText("column 'review' references 'product', which is not a column")
      .first()
      .waitFor();

    // The toolbar's Undo takes the name back too: nothing is left broken.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(columnIssues).toEqual([]);
    await page.locator('#col-item-1').click();
    expect(await nameField().inputValue()).toBe('product');
  });

  it('removing a column others read asks first, naming them, by click or Delete key; No keeps it', async () => {
    const question = answerNextDialog(false);
    await page.getByRole('button', { name: 'Remove rating', exact: true }).click();
    expect(await question).toBe(
      "'rating' is used by sentiment and review. Delete it anyway? They will then refer to a column that does not exist.",
    );
    expect(await page.locator('#col-item-2').textContent()).toContain('rating');
    expect(await page.locator('.list li').count()).toBe(7);

    // The list's Delete key asks the same question.
    const again = answerNextDialog(true);
    await page.locator('#col-item-2').click();
    await page.keyboard.press('Delete');
    expect(await again).toMatch(/^'rating' is used by sentiment and review\./);
    await expect.poll(() => page.locator('.list li').count()).toBe(6);
    // Both readers are flagged, naming the missing column.
    await expect.poll(async () => (await columnIssues()).length).toBe(2);
    await page
      .getByText("column 'sentiment' references 'rating', which is not a column")
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => page.locator('.list li').count()).toBe(7);
    await expect.poll(columnIssues).toEqual([]);
  });
});

describe('issue 14: deleting a stored run', () => {
  const runRows = () => page.locator('.history > table > tbody > tr');

  async function generate(): Promise<void> {
    await page.getByRole('tab', { name: 'Run', exact: true }).click();
    await page.getByLabel('Rows', { exact: true }).fill('20');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect
      .poll(() => page.locator('.phase').textContent(), { timeout: 60_000 })
      .toBe('complete');
  }

  it('asks first; after a delete from the keyboard focus is on the next row Open, then on the heading', async () => {
    await generate();
    await page.getByLabel('Seed', { exact: true }).fill('2');
    await generate();
    await page.getByRole('tab', { name: 'Stored runs' }).click();
    await expect.poll(() => runRows().count(), { timeout: 30_000 }).toBe(2);

    const firstDelete = runRows()
      .first()
      .getByRole('button', { name: /^Delete run / });
    const declined = answerNextDialog(false);
    await firstDelete.focus();
    await page.keyboard.press('Enter');
    expect(await declined).toMatch(
      /^Delete run .*\([0-9a-f-]{8}, 20 rows\)\? Its rows cannot be brought back\.$/,
    );
    expect(await runRows().count()).toBe(2);

    const remaining = (await runRows().nth(1).locator('code').first().textContent()) ?? '';
    const accepted = answerNextDialog(true);
    await firstDelete.focus();
    await page.keyboard.press('Enter');
    await accepted;
    await expect.poll(() => runRows().count()).toBe(1);
    const focused = () =>
      page.evaluate(
        () =>
          document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent,
      );
    await expect.poll(focused).toBe(`Open run ${remaining}`);

    const last = answerNextDialog(true);
    await runRows()
      .first()
      .getByRole('button', { name: /^Delete run / })
      .focus();
    await page.keyboard.press('Enter');
    await last;
    await expect.poll(() => runRows().count()).toBe(0);
    await expect.poll(focused).toBe('Stored runs');
  });
});
