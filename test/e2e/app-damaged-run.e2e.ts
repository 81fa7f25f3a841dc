/**
 * SPEC 4 on the built site: a damaged record in the browser's run store shows as a
 * damaged run in Stored runs, with its reason and Delete, and breaks nothing else
 * (the app's other screens still work); Delete removes it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './app-browser.ts';
import { serveStatic, type StaticSite } from './app-server.ts';

const DIST = resolve(import.meta.dirname, '../../dist');

let site: StaticSite;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!existsSync(resolve(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` first');
  site = await serveStatic(DIST, '/tabsynth/');
  context = await launchChromium();
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await site?.close();
});

/** Writes `value` under `key` in the app's run database, as a damaged record would lie there. */
async function putRecord(key: string, value: unknown): Promise<void> {
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

describe('a damaged stored run on the built site', () => {
  it('shows "damaged" with the reason and Delete; the app keeps working; Delete removes it', async () => {
    await page.goto(site.url);
    await expect.poll(() => page.getByRole('tab', { name: 'Design' }).isVisible()).toBe(true);
    await putRecord('m/broken', { runId: 'broken', status: 'complete', columns: ['a'] });

    await page.getByRole('tab', { name: 'Stored runs' }).click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const row = page.locator('tbody tr').filter({ hasText: 'broken' });
    await expect.poll(() => row.getByText('damaged', { exact: true }).isVisible()).toBe(true);
    expect(await row.textContent()).toContain(
      'manifest of run "broken" is damaged: configHash: expected a string, found nothing',
    );
    expect(await row.getByRole('button', { name: /^Open/ }).count()).toBe(0);

    // The rest of the app is unharmed.
    await page.getByRole('tab', { name: 'Design' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Import config', exact: true }).isVisible())
      .toBe(true);

    await page.getByRole('tab', { name: 'Stored runs' }).click();
    await row.getByRole('button', { name: 'Delete run broken' }).click();
    await expect.poll(() => page.getByText('No runs stored yet').isVisible()).toBe(true);
  });
});
