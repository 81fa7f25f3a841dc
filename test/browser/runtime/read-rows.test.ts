/**
 * The app's Open and Profile of a stored run, served by the engine worker: a page
 * of rows decoded from the committed groups it spans, and a profile computed group
 * by group, so the page never exports and parses a run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { profileRows } from '../../../src/core/profile/profile.ts';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { profileStoredRun, readRunRows } from '../../../src/runtime/read-rows.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { allRows, freshDbName, runInto } from './support/fixtures.ts';

let client: EngineClient | undefined;
afterEach(() => client?.dispose());

async function storedRun(config = STATISTICAL_CONFIG) {
  const store = new IdbRunStore({ dbName: freshDbName('read-rows') });
  await runInto(store, 'r', config, { numRecords: 45, bufferSize: 10 });
  return { store, rows: await allRows(store, 'r') };
}

describe('reading and profiling a stored run in the worker', () => {
  it('3.8 readRows returns rows offset..offset+limit in row order, across row groups', async () => {
    const { store, rows } = await storedRun();
    const page = await readRunRows(store, 'r', { offset: 7, limit: 16 });
    expect(page.rows).toEqual(rows.slice(7, 23));
    expect(page.total).toBe(45);
    expect(page.columns).toEqual(Object.keys(rows[0]!));
    expect((await readRunRows(store, 'r', { offset: 40, limit: 100 })).rows).toEqual(
      rows.slice(40),
    );
    expect((await readRunRows(store, 'r', { offset: 45 })).rows).toEqual([]);
  });

  it('3.8 readRows refuses a negative offset and an unknown run, naming them', async () => {
    const { store } = await storedRun();
    await expect(readRunRows(store, 'r', { offset: -1 })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
      message: expect.stringMatching(/offset -1/) as unknown,
    });
    await expect(readRunRows(store, 'nope')).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
      message: expect.stringMatching(/"nope"/) as unknown,
    });
  });

  it('the profile of a stored run equals the profile of all its rows at once; maxRows profiles the first rows', async () => {
    const { store, rows } = await storedRun();
    const columns = Object.keys(rows[0]!);
    const whole = await profileStoredRun(store, 'r');
    expect(whole.rows).toBe(45);
    expect(whole.profile).toEqual(profileRows(rows, columns));
    const first = await profileStoredRun(store, 'r', { maxRows: 12 });
    expect(first.rows).toBe(12);
    expect(first.profile).toEqual(profileRows(rows.slice(0, 12), columns));
  });

  it('rows are read as exported: a post_generation drop_columns processor removes its column', async () => {
    const config = `${STATISTICAL_CONFIG.trimEnd()}
processors:
  - { processor_type: drop_columns, column_names: [id], build_stage: post_generation }
`;
    const { store, rows } = await storedRun(config);
    expect(Object.keys(rows[0]!)).toContain('id');
    const page = await readRunRows(store, 'r', { limit: 3 });
    expect(page.columns).not.toContain('id');
    expect(page.rows).toEqual(rows.slice(0, 3).map(({ id: _id, ...rest }) => rest));
  });

  it('the engine client serves readRows and profileRun from the engine worker', async () => {
    client = createEngineClient({
      dbName: freshDbName('read-client'),
      cacheDbName: freshDbName('cache'),
      poolSize: 0,
    });
    await client.startRun({
      config: STATISTICAL_CONFIG,
      runId: 'c',
      overrides: { numRecords: 30, bufferSize: 10 },
    });
    const page = await client.readRows('c', { offset: 5, limit: 10 });
    expect(page.rows).toHaveLength(10);
    const all = await client.readRows('c', { limit: 30 });
    expect(page.rows).toEqual(all.rows.slice(5, 15));
    const profiled = await client.profileRun('c');
    expect(profiled.rows).toBe(30);
    expect(profiled.profile).toEqual(profileRows(all.rows, all.columns));
  });
});
