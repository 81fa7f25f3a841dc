/**
 * SPEC 3.8 runs history: a run whose page closed, or whose commit failed for quota,
 * keeps status 'running' in its manifest; the engine lists it as 'interrupted' (it
 * runs nowhere) so the app can offer Resume, and as 'running' while it really runs.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { createEngineService } from '../../../src/runtime/engine-service.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import type { KvBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { unwrap } from '../../../src/runtime/protocol.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName, HeldStore, runInto } from './support/fixtures.ts';

/**
 * A backend that accepts `k` commits and then no write at all: a full disk (the
 * failed status cannot be saved either), or a closed page (nothing more is written).
 */
function fullAfter(k: number, inner: KvBackend): KvBackend {
  let commits = 0;
  const quota = () => Promise.reject(new DOMException('quota', 'QuotaExceededError'));
  return {
    ...inner,
    set: (key, value) => (commits >= k ? quota() : inner.set(key, value)),
    setMany: (entries) => {
      if (commits >= k) return quota();
      commits++;
      return inner.setMany(entries);
    },
  };
}

describe('SPEC 3.8 interrupted runs', () => {
  it('3.8 a run stopped by a full disk lists as interrupted, resumes, then lists as complete', async () => {
    const dbName = freshDbName('interrupted');
    const full = new IdbRunStore({ backend: fullAfter(2, idbBackend(dbName)) });
    await expect(
      runInto(full, 'q', STATISTICAL_CONFIG, { numRecords: 50, bufferSize: 10 }),
    ).rejects.toMatchObject({ code: ErrorCodes.STORE_QUOTA });

    const service = createEngineService({ store: new IdbRunStore({ dbName }) });
    const [before] = unwrap(await service.listRuns());
    expect(before?.manifest.status).toBe('running');
    expect([before?.status, before?.active]).toEqual(['interrupted', false]);

    const outcome = unwrap(await service.resumeRun('q', {}));
    expect([outcome.status, outcome.rowsWritten]).toEqual(['complete', 50]);
    const [after] = unwrap(await service.listRuns());
    expect(after?.status).toBe('complete');
  });

  it('3.8 a run this worker is running lists as running, not interrupted', async () => {
    const store = new HeldStore(freshDbName('active'));
    const service = createEngineService({ store });
    const run = service.startRun({
      config: STATISTICAL_CONFIG,
      overrides: { numRecords: 30, bufferSize: 10, maxConcurrentRowGroups: 1 },
      runId: 'live',
    });
    await store.held;
    const [during] = unwrap(await service.listRuns());
    expect([during?.status, during?.active]).toEqual(['running', true]);
    store.release();
    expect(unwrap(await run).status).toBe('complete');
    const [done] = unwrap(await service.listRuns());
    expect([done?.status, done?.active]).toEqual(['complete', false]);
  });
});
