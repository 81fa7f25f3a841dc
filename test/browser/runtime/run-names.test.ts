/**
 * A run carries a name (issue 14): given when it starts, listed, renamed, kept in
 * its launch record across a reload of the store; its exports are named after it;
 * its config (secrets removed) comes back to open in the designer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName } from './support/fixtures.ts';

let client: EngineClient | undefined;
afterEach(() => client?.dispose());

function open(dbName: string) {
  client = createEngineClient({ dbName, cacheDbName: freshDbName('cache'), poolSize: 0 });
  return client;
}

const overrides = { numRecords: 20, bufferSize: 10 };

describe('run names', () => {
  it('a run started with a name is listed and exported under it; renamed, under the new one', async () => {
    const dbName = freshDbName('run-names');
    const engine = open(dbName);
    await engine.startRun({
      config: STATISTICAL_CONFIG,
      runId: 'named',
      overrides,
      name: ' Churn study ',
    });
    await engine.startRun({ config: STATISTICAL_CONFIG, runId: 'plain-run-id', overrides });
    const names = async () =>
      Object.fromEntries((await engine.listRuns()).map((r) => [r.manifest.runId, r.name]));
    expect(await names()).toEqual({ named: 'Churn study', 'plain-run-id': undefined });
    expect((await engine.exportRun({ runId: 'named', format: 'csv' })).fileName).toBe(
      'Churn-study.csv',
    );
    expect((await engine.exportRun({ runId: 'plain-run-id', format: 'csv' })).fileName).toBe(
      'tabsynth-plain-ru.csv',
    );

    await engine.renameRun('plain-run-id', 'Q3 cohort');
    expect(await names()).toEqual({ named: 'Churn study', 'plain-run-id': 'Q3 cohort' });
    expect((await engine.exportRun({ runId: 'plain-run-id', format: 'jsonl' })).fileName).toBe(
      'Q3-cohort.jsonl',
    );
    // The name is in the run's stored launch record, read back through its checks.
    expect((await new IdbRunStore({ dbName }).loadLaunch('plain-run-id'))?.name).toBe('Q3 cohort');
  });

  it('a rename to nothing, or of a run that does not exist, is refused and changes nothing', async () => {
    const engine = open(freshDbName('run-names'));
    await engine.startRun({ config: STATISTICAL_CONFIG, runId: 'r', overrides, name: 'Kept' });
    await expect(engine.renameRun('r', '  ')).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
    });
    await expect(engine.renameRun('nope', 'x')).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
      message: expect.stringMatching(/"nope"/) as unknown,
    });
    expect((await engine.listRuns())[0]?.name).toBe('Kept');
  });

  it("a stored run's config comes back as it was started, with its name, secrets removed", async () => {
    const engine = open(freshDbName('run-names'));
    const config = `model_providers:
  - { name: remote, endpoint: 'http://127.0.0.1:9/v1', api_key: sk-secret-123 }
${STATISTICAL_CONFIG}`;
    await engine.startRun({ config, runId: 'r', overrides, name: 'With a key', simulate: true });
    const back = await engine.runConfig('r');
    expect(back.name).toBe('With a key');
    expect(JSON.stringify(back.config)).not.toContain('sk-secret-123');
    const { model_providers: _, ...rest } = parse(config) as Record<string, unknown>;
    expect(back.config).toMatchObject(rest);
    await expect(engine.runConfig('nope')).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
    });
  });
});
