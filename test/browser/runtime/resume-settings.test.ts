/**
 * SPEC 3.8 resume with settings that shape no data: the app turns traces on (and
 * may change concurrency) for the resumed part, so the timeline works after a
 * reload; settings that shape data stay the run's own.
 */
import { describe, expect, it } from 'vitest';
import type { TaskTrace } from '../../../src/core/engine/events.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import type { ResumeOverrides } from '../../../src/runtime/engine-api.ts';
import { createEngineService } from '../../../src/runtime/engine-service.ts';
import type { EngineWorkerApi } from '../../../src/runtime/engine-service.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { unwrap } from '../../../src/runtime/protocol.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName } from './support/fixtures.ts';

/** A store that pauses its run through `service` right after the first commit. */
class PauseAfterFirst extends IdbRunStore {
  service?: EngineWorkerApi;
  #commits = 0;
  override async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    await super.commit(group, manifest);
    if (++this.#commits === 1) void this.service?.pause(manifest.runId);
  }
}

/** A run of 40 rows in groups of 10 without traces, paused after its first group. */
async function pausedRun() {
  const store = new PauseAfterFirst({ dbName: freshDbName('resume-settings') });
  const service = createEngineService({ store });
  store.service = service;
  const outcome = unwrap(
    await service.startRun({
      config: STATISTICAL_CONFIG,
      overrides: { numRecords: 40, bufferSize: 10, maxConcurrentRowGroups: 1, trace: false },
      runId: 'r',
    }),
  );
  expect([outcome.status, outcome.paused]).toEqual(['cancelled', true]);
  store.service = undefined;
  return service;
}

describe('SPEC 3.8 resume settings', () => {
  it('3.8 a run started without traces, resumed with trace on, sends the traces of the resumed groups', async () => {
    const service = await pausedRun();
    const traces: TaskTrace[] = [];
    const outcome = unwrap(
      await service.resumeRun('r', { overrides: { trace: true } }, undefined, (batch) => {
        traces.push(...batch);
      }),
    );
    expect([outcome.status, outcome.rowsWritten]).toEqual(['complete', 40]);
    expect(traces.length).toBeGreaterThan(0);
    expect(new Set(traces.map((t) => t.rowGroup)).has(0)).toBe(false);
    expect([...new Set(traces.map((t) => t.rowGroup))].sort()).toEqual([1, 2, 3]);
  });

  it('3.8 a resume takes only settings that shape no data: a row count sent with them is ignored', async () => {
    const service = await pausedRun();
    const sneaky = { maxInFlightTasks: 8, numRecords: 5 } as ResumeOverrides;
    const outcome = unwrap(await service.resumeRun('r', { overrides: sneaky }));
    expect([outcome.status, outcome.rowsWritten]).toEqual(['complete', 40]);
  });
});
