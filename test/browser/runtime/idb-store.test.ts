import { describe, expect, it } from 'vitest';
import { ErrorCodes, StoreError } from '../../../src/core/errors.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import type { KvBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { poolWriter } from '../../../src/runtime/compute.ts';
import type { ComputeApi } from '../../../src/runtime/compute.ts';
import { WorkerPool } from '../../../src/runtime/worker-pool.ts';
import { columnarRowGroup } from '../../../src/core/storage/columnar.ts';
import { STATISTICAL_CONFIG } from './support/configs.ts';
import { allRows, freshDbName, runInto } from './support/fixtures.ts';

function manifestFor(runId: string, committed: RunManifest['committed']): RunManifest {
  return {
    runId,
    config: {},
    configHash: 'h',
    seed: 1,
    numRecords: 4,
    bufferSize: 2,
    columns: ['a', 'b'],
    committed,
    rowsWritten: committed.reduce((n, c) => n + c.rows, 0),
    droppedRows: 0,
    firstErrors: [],
    status: 'running',
    createdAt: 0,
    updatedAt: 0,
  };
}

const group = (id: number): RowGroupData => ({
  id,
  firstRow: id * 2,
  rowIndices: [id * 2, id * 2 + 1],
  columns: ['a', 'b'],
  rows: [
    { a: id * 2, b: `x${id}` },
    { a: id * 2 + 1, b: null },
  ],
});

/** A backend whose setMany fails with QuotaExceededError after `k` successful commits. */
function quotaAfter(k: number, inner: KvBackend): KvBackend {
  let commits = 0;
  return {
    ...inner,
    setMany: (entries) => {
      if (commits >= k) return Promise.reject(new DOMException('quota', 'QuotaExceededError'));
      commits++;
      return inner.setMany(entries);
    },
  };
}

const computeWorker = () =>
  new Worker(new URL('../../../workers/compute.worker.ts', import.meta.url), { type: 'module' });

describe('SPEC 4 IndexedDB store', () => {
  it('4 a committed row group comes back with its rows, indices and types, and its manifest lists it', async () => {
    const store = new IdbRunStore({ dbName: freshDbName('roundtrip') });
    await store.commit(group(0), manifestFor('r', [{ id: 0, rows: 2, dropped: 0 }]));
    const back = await store.readRowGroup('r', 0);
    expect(back).toEqual(group(0));
    expect((await store.loadManifest('r'))?.committed).toEqual([{ id: 0, rows: 2, dropped: 0 }]);
    expect((await store.runInfo('r')).bytes).toBeGreaterThan(0);
  });

  it('3.8 runs survive a reload: a new store over the same database lists and reads them', async () => {
    const dbName = freshDbName('reload');
    await runInto(new IdbRunStore({ dbName }), 'run-a', STATISTICAL_CONFIG, {
      numRecords: 30,
      bufferSize: 10,
    });
    const reopened = new IdbRunStore({ dbName });
    const runs = await reopened.listRunsWithSize();
    expect(runs.map((r) => [r.manifest.runId, r.manifest.rowsWritten, r.manifest.status])).toEqual([
      ['run-a', 30, 'complete'],
    ]);
    expect(runs[0]!.bytes).toBeGreaterThan(0);
    expect((await allRows(reopened, 'run-a')).length).toBe(30);
  });

  it('4 a commit that fails for quota changes nothing: no half-written group, the manifest still lists only what was committed', async () => {
    const dbName = freshDbName('atomic');
    const store = new IdbRunStore({ backend: quotaAfter(1, idbBackend(dbName)) });
    await store.commit(group(0), manifestFor('r', [{ id: 0, rows: 2, dropped: 0 }]));
    const attempt = store.commit(
      group(1),
      manifestFor('r', [
        { id: 0, rows: 2, dropped: 0 },
        { id: 1, rows: 2, dropped: 0 },
      ]),
    );
    await expect(attempt).rejects.toMatchObject({ code: ErrorCodes.STORE_QUOTA });
    await expect(attempt).rejects.toBeInstanceOf(StoreError);
    const plain = new IdbRunStore({ dbName });
    expect((await plain.loadManifest('r'))?.committed.map((c) => c.id)).toEqual([0]);
    await expect(plain.readRowGroup('r', 1)).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
    });
  });

  it('4 storage full stops the run with STORE_QUOTA and keeps every committed group readable', async () => {
    const dbName = freshDbName('quota');
    const store = new IdbRunStore({ backend: quotaAfter(3, idbBackend(dbName)) });
    const run = runInto(store, 'q', STATISTICAL_CONFIG, { numRecords: 100, bufferSize: 10 });
    await expect(run).rejects.toMatchObject({ code: ErrorCodes.STORE_QUOTA });
    await expect(run).rejects.toThrow(/storage is full/);
    const reopened = new IdbRunStore({ dbName });
    const manifest = await reopened.loadManifest('q');
    expect(manifest?.committed.length).toBe(3);
    expect((await allRows(reopened, 'q')).length).toBe(30);
  });

  it('4 a group encoded and written on the compute pool reads back like one committed here', async () => {
    const columnar = (id: number, a: number[]): RowGroupData =>
      columnarRowGroup(
        { id, firstRow: id * 2, rowIndices: [id * 2, id * 2 + 1], columns: ['a', 'b'] },
        new Map<string, unknown[]>([
          ['a', a],
          ['b', ['x', null]],
        ]),
      );
    const manifests = [
      manifestFor('r', [{ id: 0, rows: 2, dropped: 0 }]),
      manifestFor('r', [
        { id: 0, rows: 2, dropped: 0 },
        { id: 1, rows: 2, dropped: 0 },
      ]),
    ];
    const here = new IdbRunStore({ dbName: freshDbName('writer-here') });
    const dbName = freshDbName('writer-pool');
    const pool = new WorkerPool<ComputeApi>({ create: computeWorker, size: 1 });
    try {
      const pooled = new IdbRunStore({ dbName, writer: poolWriter(pool, dbName) });
      for (const store of [here, pooled]) {
        await store.commit(columnar(0, [1, 2]), manifests[0]!);
        await store.commit(columnar(1, [0.5, 3]), manifests[1]!);
      }
      // A new store over the pool's database: everything came from IndexedDB.
      const reopened = new IdbRunStore({ dbName });
      for (const id of [0, 1]) {
        expect(await reopened.readRowGroup('r', id)).toEqual(await here.readRowGroup('r', id));
      }
      expect(await reopened.runInfo('r')).toEqual(await here.runInfo('r'));
      expect((await reopened.runInfo('r')).types['a']).toEqual({ kind: 'float64' });
      expect(await reopened.loadManifest('r')).toEqual(manifests[1]);
    } finally {
      pool.terminate();
    }
  });

  it('4 deleting a run removes its manifest, row groups and bookkeeping, leaving other runs', async () => {
    const dbName = freshDbName('delete');
    const store = new IdbRunStore({ dbName });
    await runInto(store, 'keep', STATISTICAL_CONFIG, { numRecords: 20, bufferSize: 10 });
    await runInto(store, 'gone', STATISTICAL_CONFIG, { numRecords: 20, bufferSize: 10 });
    await store.deleteRun('gone');
    const keys = await idbBackend(dbName).keys();
    expect(keys.filter((k) => k.includes('gone'))).toEqual([]);
    expect(keys.filter((k) => k.includes('keep')).length).toBeGreaterThan(0);
    expect((await store.listRuns()).map((m) => m.runId)).toEqual(['keep']);
  });
});
