/**
 * SPEC 4: the run store has a schema version and migrations that run when it opens
 * (core/storage/idb-schema.ts). Layout 1 is test/fixtures/store-v1.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.ts';
import {
  IDB_SCHEMA_VERSION,
  MIGRATIONS,
  SCHEMA_KEY,
  manifestKey,
  migrateStore,
} from '../../../src/core/storage/idb-schema.ts';
import type { Migration } from '../../../src/core/storage/idb-schema.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { loadDump } from './idb-store-fixture.ts';
import { FIXTURE_DIR } from './idb-store-v1.data.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { freshDbName, runInto } from './support/fixtures.ts';

async function fixtureDb() {
  const dbName = freshDbName('schema');
  await loadDump(FIXTURE_DIR, 'runs-db', dbName);
  return { dbName, kv: idbBackend(dbName) };
}

const manifestVersions = async (kv: ReturnType<typeof idbBackend>) =>
  (await kv.getMany([manifestKey('fixture-complete'), manifestKey('fixture-paused')])).map(
    (m) => (m as { schemaVersion?: number }).schemaVersion,
  );

describe('SPEC 4 store schema and migrations', () => {
  it('4 the migrations form one chain from layout 1 to the schema this code writes', () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(
      Array.from({ length: IDB_SCHEMA_VERSION - 1 }, (_, i) => i + 1),
    );
  });

  it('4 a store of layout 1 is migrated when it opens: schema record and versioned manifests', async () => {
    const { dbName, kv } = await fixtureDb();
    expect(await kv.get(SCHEMA_KEY)).toBeUndefined();
    expect(await manifestVersions(kv)).toEqual([undefined, undefined]);
    const store = new IdbRunStore({ dbName });
    expect(await store.open()).toEqual({ found: 1, version: IDB_SCHEMA_VERSION });
    expect(await kv.get(SCHEMA_KEY)).toEqual({ version: IDB_SCHEMA_VERSION });
    expect(await manifestVersions(kv)).toEqual([2, 2]);
    // Opened again (another tab, a reload): nothing left to do.
    expect(await new IdbRunStore({ dbName }).open()).toEqual({
      found: IDB_SCHEMA_VERSION,
      version: IDB_SCHEMA_VERSION,
    });
    expect((await store.loadManifest('fixture-paused'))?.rowsWritten).toBe(20);
  });

  it('4 a new store starts at the newest schema, and what it writes carries that version', async () => {
    const dbName = freshDbName('schema-new');
    const store = new IdbRunStore({ dbName });
    await runInto(store, 'r', STATISTICAL_CONFIG, { numRecords: 10, bufferSize: 10 });
    const kv = idbBackend(dbName);
    expect(await kv.get(SCHEMA_KEY)).toEqual({ version: IDB_SCHEMA_VERSION });
    expect(await kv.get(manifestKey('r'))).toMatchObject({ schemaVersion: IDB_SCHEMA_VERSION });
    // The version is the store's business: the manifest read back is the engine's.
    expect(await store.loadManifest('r')).not.toHaveProperty('schemaVersion');
  });

  it('4 a migration that fails leaves the store at the last step that finished, and the next open resumes there', async () => {
    const { kv } = await fixtureDb();
    const done: number[] = [];
    let failOnce = true;
    const chain: Migration[] = [
      { from: 1, what: 'step 1', run: () => Promise.resolve(void done.push(1)) },
      {
        from: 2,
        what: 'step 2',
        run: () => {
          if (failOnce) {
            failOnce = false;
            return Promise.reject(new Error('closed mid-way'));
          }
          done.push(2);
          return Promise.resolve();
        },
      },
    ];
    await expect(migrateStore(kv, chain, 3)).rejects.toThrow('closed mid-way');
    expect(await kv.get(SCHEMA_KEY)).toEqual({ version: 2 });
    expect(await migrateStore(kv, chain, 3)).toEqual({ found: 2, version: 3 });
    expect(done).toEqual([1, 2]);
  });

  it('4 the migration leaves a damaged manifest as it found it, and the rest of the store migrates', async () => {
    const { dbName, kv } = await fixtureDb();
    await kv.set(manifestKey('fixture-paused'), 42);
    await new IdbRunStore({ dbName }).open();
    expect(await kv.get(manifestKey('fixture-paused'))).toBe(42);
    expect(await kv.get(manifestKey('fixture-complete'))).toMatchObject({ schemaVersion: 2 });
  });

  it('4 a store a newer tabsynth migrated is read, never written', async () => {
    const { dbName, kv } = await fixtureDb();
    await kv.set(SCHEMA_KEY, { version: IDB_SCHEMA_VERSION + 1 });
    const store = new IdbRunStore({ dbName });
    expect((await store.loadManifest('fixture-complete'))?.rowsWritten).toBe(40);
    const manifest = (await store.loadManifest('fixture-paused'))!;
    await expect(store.saveManifest({ ...manifest, status: 'failed' })).rejects.toMatchObject({
      code: ErrorCodes.STORE_NEWER,
      message: `this browser's run store was written by a newer tabsynth (store schema ${IDB_SCHEMA_VERSION + 1}; this version reads schemas 1 to ${IDB_SCHEMA_VERSION}): open it with that version or newer`,
    });
    expect((await store.loadManifest('fixture-paused'))?.status).toBe('cancelled');
    expect(await manifestVersions(kv)).toEqual([undefined, undefined]);
  });
});
