import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { ALL_TYPES_CONFIG, STATISTICAL_CONFIG } from './support/configs.ts';
import { allRows, freshDbName, runInto } from './support/fixtures.ts';

/** A store that aborts the run right after its `k`-th commit: a tab closed mid-run. */
class StopAfter extends IdbRunStore {
  commits = 0;
  constructor(
    dbName: string,
    readonly k: number,
    readonly controller: AbortController,
  ) {
    super({ dbName });
  }
  override async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    await super.commit(group, manifest);
    if (++this.commits === this.k) this.controller.abort();
  }
}

describe('SPEC 3.8 resume in the browser', () => {
  for (const [name, config] of [
    ['statistical', STATISTICAL_CONFIG],
    ['every column type', ALL_TYPES_CONFIG],
  ] as const) {
    it(`3.8 resume continues with the uncommitted row groups and ends with exactly the rows of an uninterrupted run (${name})`, async () => {
      const overrides = { numRecords: 60, bufferSize: 10 };
      const reference = new IdbRunStore({ dbName: freshDbName('ref') });
      await runInto(reference, 'run', config, overrides);
      const expected = await allRows(reference, 'run');

      const dbName = freshDbName('resume');
      const controller = new AbortController();
      const interrupted = new StopAfter(dbName, 2, controller);
      await expect(
        runInto(interrupted, 'run', config, overrides, { signal: controller.signal }),
      ).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
      const partial = await new IdbRunStore({ dbName }).loadManifest('run');
      expect(partial?.rowsWritten).toBeGreaterThanOrEqual(20);
      expect(partial?.rowsWritten).toBeLessThan(60);

      const reopened = new IdbRunStore({ dbName });
      const result = await runInto(reopened, 'run', config, overrides, { resume: true });
      expect(result.rowsWritten).toBe(60);
      expect(await allRows(reopened, 'run')).toEqual(expected);
    });
  }

  it('3.8 resuming with a changed config is refused with a message naming the run', async () => {
    const dbName = freshDbName('changed');
    const controller = new AbortController();
    const store = new StopAfter(dbName, 1, controller);
    await runInto(
      store,
      'run',
      STATISTICAL_CONFIG,
      { numRecords: 30, bufferSize: 10 },
      {
        signal: controller.signal,
      },
    ).catch(() => undefined);
    const changed = STATISTICAL_CONFIG.replace('mean: 3', 'mean: 4');
    await expect(
      runInto(
        new IdbRunStore({ dbName }),
        'run',
        changed,
        { numRecords: 30, bufferSize: 10 },
        {
          resume: true,
        },
      ),
    ).rejects.toMatchObject({
      code: ErrorCodes.RUN_CONFIG_CHANGED,
      message: expect.stringContaining('run "run"'),
    });
  });
});
