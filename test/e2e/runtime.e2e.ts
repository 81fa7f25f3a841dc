/**
 * The runtime on the built site (issue 4): a 20,000-row run whose page is closed
 * mid-run, resumed from a new page, exported to Parquet and compared row by row
 * with an uninterrupted run of the same seed. Driven through the runtime harness
 * page (test/e2e/support/runtime-harness.html) until the app's own e2e covers it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Harness } from './support/runtime-harness.ts';
import { buildSite, openSite, waitForOutcome } from './support/browser.ts';
import type { Site } from './support/browser.ts';

/** The statistical pipeline plus a simulated model column slow enough to close the page mid-run. */
const CONFIG = `
model_providers:
  - name: sim
    provider_type: simulated
    simulated: { latency: { distribution: fixed, ms: 4 } }
model_configs:
  - alias: writer
    model: demo-writer
    provider: sim
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
const ROWS = 20_000;
const overrides = { numRecords: ROWS, seed: 42, bufferSize: 1000 };

type Win = { harness: Harness };

let site: Site;
beforeAll(async () => {
  buildSite();
  site = await openSite();
});
afterAll(() => site?.close());

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
    await first.evaluate(
      ([config, o]) => (window as unknown as Win).harness.start(config, 'closed', o),
      [CONFIG, overrides] as const,
    );
    await first.waitForFunction(
      () => ((window as unknown as Win).harness.progress?.rowsCommitted ?? 0) >= 3000,
      undefined,
      { timeout: 120_000, polling: 50 },
    );
    await first.close();

    const second = await site.openHarness();
    const before = await second.evaluate(() => (window as unknown as Win).harness.list());
    const closed = before.find((r) => r.manifest.runId === 'closed')!;
    expect(closed.manifest.rowsWritten).toBeGreaterThanOrEqual(3000);
    expect(closed.manifest.rowsWritten).toBeLessThan(ROWS);
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
      ([config, o]) => (window as unknown as Win).harness.start(config, 'straight', o),
      [CONFIG, overrides] as const,
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
});
