/**
 * SPEC 4: every record read from the run store is checked, and a damaged record
 * affects only its own run: the list shows that run as damaged with the reason and
 * still shows the others, its export fails with an error naming the record, and
 * deleting it works.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { groupKey, manifestKey } from '../../../src/core/storage/idb-schema.ts';
import { createEngineService } from '../../../src/runtime/engine-service.ts';
import { exportStoredRun } from '../../../src/runtime/export.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { unwrap } from '../../../src/runtime/protocol.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName, runInto } from './support/fixtures.ts';

/** Three runs of 20 rows (2 row groups each) in a new database; `bad` is the one to damage. */
async function threeRuns() {
  const dbName = freshDbName('damage');
  const store = new IdbRunStore({ dbName });
  for (const runId of ['good-1', 'bad', 'good-2']) {
    await runInto(store, runId, STATISTICAL_CONFIG, { numRecords: 20, bufferSize: 10 });
  }
  const kv = idbBackend(dbName);
  const service = createEngineService({ store: new IdbRunStore({ dbName }) });
  return { dbName, kv, service, store: new IdbRunStore({ dbName }) };
}

type Runs = Awaited<ReturnType<typeof threeRuns>>;

/** The listed runs as [runId, status, rows, reason], sorted by run id. */
async function listed({ service }: Runs) {
  return unwrap(await service.listRuns())
    .map((r) => [r.manifest.runId, r.status, r.manifest.rowsWritten, r.damaged?.message])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

/** The good runs as listed. */
const GOOD = [
  ['good-1', 'complete', 20, undefined],
  ['good-2', 'complete', 20, undefined],
];

/** Exporting the bad run fails with `code` and `message`. */
async function exportFails(runs: Runs, code: string, message: string) {
  await expect(exportStoredRun(runs.store, { runId: 'bad' })).rejects.toMatchObject({
    code,
    message,
  });
}

/** The good runs still export all their rows; deleting the bad one removes only its keys. */
async function othersUnharmedAndDeleteWorks(runs: Runs) {
  for (const runId of ['good-1', 'good-2']) {
    expect((await exportStoredRun(runs.store, { runId, format: 'jsonl' })).rows).toBe(20);
  }
  unwrap(await runs.service.deleteRun('bad'));
  const keys = await runs.kv.keys();
  expect(keys.filter((k) => k.includes('/bad'))).toEqual([]);
  expect(keys.filter((k) => k.includes('/good-1')).length).toBeGreaterThan(0);
  expect((await listed(runs)).map((r) => [r[0], r[1]])).toEqual([
    ['good-1', 'complete'],
    ['good-2', 'complete'],
  ]);
}

describe('SPEC 4 a damaged record affects only its own run', () => {
  it('4 a damaged manifest: its run is listed as damaged with the field at fault, export names it', async () => {
    const runs = await threeRuns();
    const manifest = (await runs.kv.get(manifestKey('bad'))) as Record<string, unknown>;
    await runs.kv.set(manifestKey('bad'), { ...manifest, rowsWritten: 'twenty' });
    const reason =
      'manifest of run "bad" is damaged: rowsWritten: expected a whole number >= 0, found the string "twenty"';
    expect(await listed(runs)).toEqual([['bad', 'damaged', 0, reason], ...GOOD]);
    await exportFails(runs, ErrorCodes.STORE_DAMAGED, reason);
    await othersUnharmedAndDeleteWorks(runs);
  });

  it('4 a manifest that is not an object at all is damaged, not a crash', async () => {
    const runs = await threeRuns();
    await runs.kv.set(manifestKey('bad'), 'garbage');
    const [bad] = await listed(runs);
    expect(bad).toEqual([
      'bad',
      'damaged',
      0,
      'manifest of run "bad" is damaged: expected an object, found the string "garbage"',
    ]);
    await othersUnharmedAndDeleteWorks(runs);
  });

  it('4 a damaged row group: export fails naming it, and from then on the list shows the run as damaged', async () => {
    const runs = await threeRuns();
    const group = (await runs.kv.get(groupKey('bad', 1))) as Record<string, unknown>;
    await runs.kv.set(groupKey('bad', 1), { ...group, ipc: [1, 2, 3] });
    const reason =
      'row group 1 of run "bad" is damaged: ipc: expected bytes (a Uint8Array), found an array of 3';
    await exportFails(runs, ErrorCodes.STORE_DAMAGED, reason);
    expect(await listed(runs)).toEqual([['bad', 'damaged', 20, reason], ...GOOD]);
    await othersUnharmedAndDeleteWorks(runs);
  });

  it('4 row group bytes that are not Arrow IPC: opening the run fails naming the group', async () => {
    const runs = await threeRuns();
    const group = (await runs.kv.get(groupKey('bad', 0))) as Record<string, unknown>;
    await runs.kv.set(groupKey('bad', 0), { ...group, ipc: new Uint8Array([9, 9, 9, 9]) });
    const result = await runs.service.readRows('bad');
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error).toMatchObject({
      code: ErrorCodes.STORE_DAMAGED,
      message: expect.stringMatching(
        /^row group 0 of run "bad" is damaged: ipc: expected Arrow IPC stream bytes/,
      ) as unknown,
    });
    expect((await listed(runs))[0]?.[1]).toBe('damaged');
    await othersUnharmedAndDeleteWorks(runs);
  });

  it('4 a missing row group the manifest lists: the run is listed as damaged, export names the group', async () => {
    const runs = await threeRuns();
    await runs.kv.delMany([groupKey('bad', 0)]);
    expect(await listed(runs)).toEqual([
      [
        'bad',
        'damaged',
        20,
        'run "bad" is missing row group 0, which its manifest lists as committed',
      ],
      ...GOOD,
    ]);
    await exportFails(
      runs,
      ErrorCodes.STORE_DAMAGED,
      'row group 0 of run "bad" is missing from IndexedDB, though the run\'s manifest lists the group as committed',
    );
    await othersUnharmedAndDeleteWorks(runs);
  });

  it('4 records without a manifest are listed as a damaged run that can be deleted', async () => {
    const runs = await threeRuns();
    await runs.kv.delMany([manifestKey('bad')]);
    const [bad] = await listed(runs);
    expect(bad).toEqual([
      'bad',
      'damaged',
      0,
      expect.stringMatching(
        /^run "bad" has no manifest: \d+ of its records are stored without one$/,
      ),
    ]);
    await othersUnharmedAndDeleteWorks(runs);
  });

  it('4 a manifest of a future schema version: listed as written by a newer tabsynth, not opened', async () => {
    const runs = await threeRuns();
    const manifest = (await runs.kv.get(manifestKey('bad'))) as Record<string, unknown>;
    await runs.kv.set(manifestKey('bad'), { ...manifest, schemaVersion: 99, newField: [1] });
    const reason =
      'manifest of run "bad" was written by a newer tabsynth (store schema 99; this version reads schemas 1 to 2): open it with that version or newer';
    expect(await listed(runs)).toEqual([['bad', 'damaged', 0, reason], ...GOOD]);
    await exportFails(runs, ErrorCodes.STORE_NEWER, reason);
    const resumed = await runs.service.resumeRun('bad', {});
    expect(resumed.ok ? undefined : resumed.error.code).toBe(ErrorCodes.STORE_NEWER);
    await othersUnharmedAndDeleteWorks(runs);
  });
});
