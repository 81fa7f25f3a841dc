/**
 * The runtime on the built site (issue 4): a 2,000-row run of 20 row groups whose page is closed
 * mid-run, resumed from a new page, exported to Parquet and compared row by row
 * with an uninterrupted run of the same seed; and a run that fills a real
 * IndexedDB quota (set over CDP), whose commits the compute pool writes. Driven
 * through the runtime harness page (test/e2e/support/runtime-harness.html).
 *
 * The model column calls the loopback OpenAI-compatible server, whose answers the
 * test lets through (support/answer-gate.ts): the page closes mid-run because the
 * rest of the run's answers are held, not because it closed early enough.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Harness } from './support/runtime-harness.ts';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildSite, HARNESS_PATH, openSite, ROOT, waitForOutcome } from './support/browser.ts';
import { serveStatic } from './app-server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import type { Site } from './support/browser.ts';
import { STATISTICAL_CONFIG } from '../browser/runtime/support/configs.ts';
import { startOpenAIServer, type OpenAIServer } from '../support/openai-server.ts';
import { answerGate } from './support/answer-gate.ts';

/** The statistical pipeline plus a model column on the server at `endpoint`. */
const config = (endpoint: string) => `
model_providers:
  - { name: local, provider_type: openai, endpoint: '${endpoint}' }
model_configs:
  - alias: writer
    model: demo-writer
    provider: local
    inference_parameters: { max_tokens: 16, max_parallel_requests: 64 }
columns:
  - { name: id, column_type: sampler, sampler_type: uuid, params: { short_form: true } }
  - name: region
    column_type: sampler
    sampler_type: category
    params: { values: [north, south, east, west], weights: [4, 3, 2, 1] }
  - { name: income, column_type: sampler, sampler_type: gaussian, params: { mean: 52000, stddev: 15000 } }
  - { name: joined, column_type: sampler, sampler_type: datetime, params: { start: '2020-01-01', end: '2025-01-01' } }
  - { name: segment, column_type: expression, expr: '{{ region }}-{{ income > 60000 }}' }
  - { name: note, column_type: llm-text, model_alias: writer, prompt: 'One line about {{ segment }}.' }
`;
const ROWS = 2000;
const overrides = { numRecords: ROWS, seed: 42, bufferSize: 100 };
/** Rows committed before the page closes: 3 row groups. */
const BEFORE_CLOSE = 3 * overrides.bufferSize;

type Win = { harness: Harness };

const gate = answerGate();
let models: OpenAIServer;
let runConfig: string;
let site: Site;
beforeAll(async () => {
  buildSite();
  models = await startOpenAIServer({ cors: true, handler: gate.handler });
  runConfig = config(models.url);
  site = await openSite();
});
afterAll(async () => {
  await site?.close();
  gate.open();
  await models?.close();
});

async function parquetRows(base64: string) {
  const file = new Uint8Array(Buffer.from(base64, 'base64')).buffer;
  return {
    groups: parquetMetadata(file).row_groups.length,
    rows: await parquetReadObjects({ file, compressors, utf8: true }),
  };
}

describe('runtime on the built site', () => {
  it('a run closed mid-way resumes in a new page and exports exactly the Parquet of an uninterrupted run', async () => {
    const first = await site.openHarness();
    // One answer per row; at most 3 row groups are open at once. Until 3 groups have
    // committed, at most 2 groups and 3 open ones' cells were answered: letting
    // 2 + 3 groups' answers through commits BEFORE_CLOSE rows, and no more than
    // those answers can be spent before the page closes.
    gate.allow(5 * overrides.bufferSize);
    await first.evaluate(
      ([config, o]) => (window as unknown as Win).harness.start(config, 'closed', o, false),
      [runConfig, overrides] as const,
    );
    await first.waitForFunction(
      (rows) => ((window as unknown as Win).harness.progress?.rowsCommitted ?? 0) >= rows,
      BEFORE_CLOSE,
      { timeout: 120_000, polling: 50 },
    );
    await first.close();
    gate.open();

    const second = await site.openHarness();
    const before = await second.evaluate(() => (window as unknown as Win).harness.list());
    const closed = before.find((r) => r.manifest.runId === 'closed')!;
    expect(closed.manifest.rowsWritten).toBeGreaterThanOrEqual(BEFORE_CLOSE);
    expect(closed.manifest.rowsWritten).toBeLessThanOrEqual(5 * overrides.bufferSize);
    expect(closed.manifest.status).toBe('running');
    // Its page closed and no worker runs it: the history lists it as interrupted.
    expect([closed.status, closed.active]).toEqual(['interrupted', false]);

    await second.evaluate(() => (window as unknown as Win).harness.resume('closed'));
    const resumed = await waitForOutcome(second);
    expect(resumed).toMatchObject({ status: 'complete', rowsWritten: ROWS });
    const resumedFile = await second.evaluate(() =>
      (window as unknown as Win).harness.exportBase64('closed'),
    );

    await second.evaluate(
      ([config, o]) => (window as unknown as Win).harness.start(config, 'straight', o, false),
      [runConfig, overrides] as const,
    );
    await waitForOutcome(second);
    const straightFile = await second.evaluate(() =>
      (window as unknown as Win).harness.exportBase64('straight'),
    );

    const a = await parquetRows(resumedFile.base64);
    const b = await parquetRows(straightFile.base64);
    expect(a.rows.length).toBe(ROWS);
    expect(a.groups).toBe(ROWS / overrides.bufferSize);
    expect(a.rows).toEqual(b.rows);
    expect(new Set(a.rows.map((r) => r['id'])).size).toBe(ROWS);
  });

  it('4 storage full mid-run (a real IndexedDB quota): the run stops with STORE_QUOTA and what it committed exports', async () => {
    // A fresh browser: Chromium applies a quota override to a non-persistent context.
    const server = await serveStatic(join(ROOT, 'dist'), '/');
    const origin = new URL(server.url).origin;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}${HARNESS_PATH}`);
      await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
      // Room for a few of the run's 20 row groups (~260 kB of Arrow each).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', {
        origin,
        quotaSize: 2_000_000,
      });
      await page.evaluate(
        ([config, o]) => (window as unknown as Win).harness.start(config, 'full', o, false),
        [STATISTICAL_CONFIG, { numRecords: 200_000, seed: 3, bufferSize: 10_000 }] as const,
      );
      await expect(waitForOutcome(page)).rejects.toThrow(/STORE_QUOTA.*storage is full/);
      const runs = await page.evaluate(() => (window as unknown as Win).harness.list());
      const full = runs.find((r) => r.manifest.runId === 'full')!;
      expect(full.manifest.rowsWritten).toBeGreaterThan(0);
      expect(full.manifest.rowsWritten).toBeLessThan(200_000);
      const file = await page.evaluate(() =>
        (window as unknown as Win).harness.exportBase64('full'),
      );
      const { rows, groups } = await parquetRows(file.base64);
      expect(rows.length).toBe(full.manifest.rowsWritten);
      expect(groups).toBe(full.manifest.committed.length);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
