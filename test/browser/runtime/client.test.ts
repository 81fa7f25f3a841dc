import { afterEach, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { Progress } from '../../../src/core/engine/events.ts';
import { ConfigError, ErrorCodes, RunError } from '../../../src/core/errors.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import { ALL_TYPES_CONFIG, STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName } from './support/fixtures.ts';

let client: EngineClient | undefined;
afterEach(() => client?.dispose());

/** The engine worker whose runs wait for a pause before their second commit. */
const heldEngineWorker = () =>
  new Worker(new URL('./support/held-engine.worker.ts', import.meta.url), { type: 'module' });

const open = (poolSize = 1, createEngineWorker?: () => Worker) => {
  client = createEngineClient({
    dbName: freshDbName('client'),
    cacheDbName: freshDbName('cache'),
    poolSize,
    ...(createEngineWorker ? { createEngineWorker } : {}),
  });
  return client;
};

describe('the engine client over the engine worker', () => {
  it('runs in the engine worker with Arrow encoding on the compute pool, reports progress, lists and exports the run', async () => {
    const engine = open();
    const progress: Progress[] = [];
    const outcome = await engine.startRun(
      { config: STATISTICAL_CONFIG, runId: 'r1', overrides: { numRecords: 300, bufferSize: 100 } },
      { onProgress: (p) => progress.push(p) },
    );
    expect(outcome).toMatchObject({ status: 'complete', rowsWritten: 300 });
    expect(progress.at(-1)?.rowsCommitted).toBe(300);
    const runs = await engine.listRuns();
    expect(runs.map((r) => [r.manifest.runId, r.manifest.status, r.active])).toEqual([
      ['r1', 'complete', false],
    ]);
    expect(runs[0]!.bytes).toBeGreaterThan(0);
    const exported = await engine.exportRun({ runId: 'r1', format: 'parquet' });
    const rows = await parquetReadObjects({
      file: await exported.blob!.arrayBuffer(),
      compressors,
    });
    expect(rows.length).toBe(300);
    expect(exported.fileName).toMatch(/\.parquet$/);
  });

  it('errors cross the worker boundary as catalogue classes with their code and details', async () => {
    const engine = open();
    const bad = await engine
      .startRun({ config: 'columns: [{ name: x }]' })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).issues.length).toBeGreaterThan(0);
    const missing = await engine.resumeRun('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RunError);
    expect((missing as RunError).code).toBe(ErrorCodes.RUN_NOT_FOUND);
  });

  it('pause keeps committed rows and resume finishes with exactly the rows of an uninterrupted run', async () => {
    const overrides = { numRecords: 40, bufferSize: 10, maxConcurrentRowGroups: 1 };
    const reference = open();
    await reference.startRun({ config: ALL_TYPES_CONFIG, runId: 'ref', overrides, simulate: true });
    const read = async (engine: EngineClient, runId: string) =>
      (await engine.exportRun({ runId, format: 'jsonl' })).blob!.text();
    const expected = await read(reference, 'ref');
    reference.dispose();

    // Its second row group commits only once the pause has reached the worker.
    const engine = open(0, heldEngineWorker);
    let paused = false;
    const first = await engine.startRun(
      { config: ALL_TYPES_CONFIG, runId: 'p', overrides, simulate: true },
      {
        onProgress: (p) => {
          if (!paused && p.rowsCommitted > 0) {
            paused = true;
            void engine.pause('p');
          }
        },
      },
    );
    expect(first).toMatchObject({ status: 'cancelled', paused: true });
    expect(first.rowsWritten).toBeGreaterThanOrEqual(10);
    expect(first.rowsWritten).toBeLessThan(40);
    const resumed = await engine.resumeRun('p');
    expect(resumed).toMatchObject({ status: 'complete', rowsWritten: 40 });
    expect(await read(engine, 'p')).toBe(expected);
  });

  it('deleting a run removes it from the list', async () => {
    const engine = open(0);
    await engine.startRun({
      config: STATISTICAL_CONFIG,
      runId: 'd',
      overrides: { numRecords: 20, bufferSize: 10 },
    });
    await engine.deleteRun('d');
    expect(await engine.listRuns()).toEqual([]);
    await expect(engine.exportRun({ runId: 'd' })).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
    });
  });

  it('storage estimate reports usage and quota', async () => {
    const estimate = await open(0).storageEstimate();
    expect(estimate.quota).toBeGreaterThan(0);
    expect(typeof estimate.persisted).toBe('boolean');
  });
});
