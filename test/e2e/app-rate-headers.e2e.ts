/**
 * Issue 12 in the browser: a server that sends OpenAI's rate-limit headers paces the
 * run by them when the page may read them (named in Access-Control-Expose-Headers);
 * when CORS hides them, the run falls back to budgets and AIMD, and the run panel
 * says so. Both are real loopback servers with the same budget; only the exposure differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.ts';
import { openApp, type AppPage } from './support/app-page.ts';
import { localExample } from './support/local-example.ts';

let app: AppPage;
let page: Page;
let exposed: OpenAIServer;
let hidden: OpenAIServer;

/** A budget far above what the run asks: no request is refused, the headers only inform. */
const RATE = { requestsPerMinute: 600_000 };

beforeAll(async () => {
  app = await openApp('/tabsynth/');
  page = app.page;
  exposed = await startOpenAIServer({ cors: true, rateLimit: { ...RATE } });
  hidden = await startOpenAIServer({ cors: true, rateLimit: { ...RATE, exposeHeaders: false } });
  await page.goto(app.url);
});

afterAll(async () => {
  await app?.close();
  await exposed?.close();
  await hidden?.close();
});

/** Imports the example at `endpoint`, runs 40 rows on it and waits for the run to end. */
async function runAt(server: OpenAIServer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import config', exact: true }).click();
  // Each server its own model id: answers cached from the other run would send no request.
  const { file } = localExample(server.url);
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      /model: demo-writer/,
      `model: m-${new URL(server.url).port}`,
    ),
  );
  await (await chooser).setFiles(file);
  await expect.poll(() => page.locator('#col-item-6').textContent()).toContain('title');
  await page.getByRole('tab', { name: 'Run', exact: true }).click();
  await page.getByLabel('Simulate all models (offline)').uncheck();
  await page.getByLabel('Rows', { exact: true }).fill('40');
  const before = await runId();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  // This run's end, not the one before it still on screen.
  await expect
    .poll(async () => `${await runId()} ${await page.locator('.phase').textContent()}`, {
      timeout: 120_000,
    })
    .toMatch(/^(\S+) complete$/);
  expect(await runId()).not.toBe(before);
}

/** The id of the run the panel shows ('' before the first). */
async function runId(): Promise<string> {
  const id = page.locator('.status .id');
  return (await id.count()) > 0 ? ((await id.textContent()) ?? '').trim() : '';
}

/** The run panel's models table: model → what paces it. */
async function pacedBy(): Promise<Record<string, string>> {
  const rows = await page
    .locator('table.models tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
  return Object.fromEntries(rows.map((cells) => [cells[0] ?? '', cells[4] ?? '']));
}

const note = () => page.locator('p.note', { hasText: 'No readable rate-limit headers' });

describe('issue 12: rate-limit headers in the browser', () => {
  it('headers the page may read pace the run: every model is "paced by headers", with no fallback note', async () => {
    await runAt(exposed);
    const paced = await pacedBy();
    expect(Object.keys(paced).length).toBeGreaterThan(0);
    for (const by of Object.values(paced)) expect(by).toBe('headers');
    expect(await note().count()).toBe(0);
    expect(exposed.rateLimited).toBe(0);
  });

  it('headers hidden by CORS: the run falls back to AIMD, and the panel says the headers could not be read', async () => {
    await page.getByRole('tab', { name: 'Design', exact: true }).click();
    await runAt(hidden);
    const paced = await pacedBy();
    expect(Object.keys(paced).length).toBeGreaterThan(0);
    for (const by of Object.values(paced)) expect(by).toBe('AIMD');
    await expect.poll(() => note().textContent()).toContain('(not sent, or hidden by CORS)');
    expect(hidden.requests.length).toBeGreaterThan(0);
  });
});
