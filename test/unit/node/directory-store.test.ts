import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DirectoryStore, MANIFEST_FILE, partFileName } from '../../../src/node/directory-store.ts';
import { writeSingleParquet } from '../../../src/node/single-parquet.ts';
import { ErrorCodes } from '../../../src/core/errors.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tabsynth-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const columns = ['id', 'name', 'person'];

function group(id: number, size: number, dropped: number[] = []): RowGroupData {
  const rowIndices: number[] = [];
  for (let r = id * size; r < (id + 1) * size; r++) if (!dropped.includes(r)) rowIndices.push(r);
  return {
    id,
    firstRow: id * size,
    rowIndices,
    columns,
    rows: rowIndices.map((r) => ({
      id: r,
      name: r % 3 === 0 ? null : `row ${r}`,
      person: { first_name: `P${r}`, age: 20 + (r % 50) },
    })),
  };
}

function manifest(runId: string, groups: RowGroupData[], size: number): RunManifest {
  const rowsWritten = groups.reduce((n, g) => n + g.rows.length, 0);
  return {
    runId,
    config: { columns: [] },
    configHash: 'h1',
    seed: 7,
    numRecords: 100,
    bufferSize: size,
    columns,
    committed: groups.map((g) => ({
      id: g.id,
      rows: g.rows.length,
      dropped: size - g.rows.length,
    })),
    rowsWritten,
    droppedRows: groups.length * size - rowsWritten,
    firstErrors: [],
    status: 'running',
    createdAt: 1,
    updatedAt: 2,
  };
}

async function commitAll(
  store: DirectoryStore,
  runId: string,
  groups: RowGroupData[],
  size: number,
) {
  for (let i = 0; i < groups.length; i++) {
    await store.commit(groups[i]!, manifest(runId, groups.slice(0, i + 1), size));
  }
  // As a run's end does: its manifest on disk lists every commit.
  await store.flush(runId);
}

describe('SPEC 4 directory store: one Parquet file per row group plus manifest.json', () => {
  it('commit then read returns the same rows, row indices and manifest', async () => {
    const store = new DirectoryStore({ root });
    const groups = [group(0, 4), group(1, 4, [5, 6])];
    await commitAll(store, 'run-a', groups, 4);
    expect(await readdir(join(root, 'run-a'))).toEqual(
      [MANIFEST_FILE, partFileName(0), partFileName(1)].sort(),
    );
    expect(await store.readRowGroup('run-a', 1)).toEqual(groups[1]);
    expect(await store.loadManifest('run-a')).toEqual(manifest('run-a', groups, 4));
  });

  it('each part file is a zstd Parquet file an independent reader opens', async () => {
    const store = new DirectoryStore({ root });
    await commitAll(store, 'r', [group(0, 3)], 3);
    const bytes = await readFile(store.partPath('r', 0));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(parquetMetadata(file).row_groups[0]?.columns[0]?.meta_data?.codec).toBe('ZSTD');
    const rows = await parquetReadObjects({ file, compressors });
    expect(rows.map((r) => r['id'])).toEqual([0n, 1n, 2n]);
  });

  it('lists and deletes runs', async () => {
    const store = new DirectoryStore({ root });
    await commitAll(store, 'one', [group(0, 2)], 2);
    await commitAll(store, 'two', [group(0, 2)], 2);
    expect((await store.listRuns()).map((m) => m.runId).sort()).toEqual(['one', 'two']);
    await store.deleteRun('one');
    expect((await store.listRuns()).map((m) => m.runId)).toEqual(['two']);
    expect(await store.loadManifest('one')).toBeUndefined();
  });

  it('reading a group that was never committed is RUN_NOT_FOUND naming what was', async () => {
    const store = new DirectoryStore({ root });
    await commitAll(store, 'r', [group(0, 2)], 2);
    await expect(store.readRowGroup('r', 3)).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
      message: expect.stringMatching(/no committed row group 3 \(committed: 0\)/),
    });
  });

  it("'single' layout keeps the run in the output directory itself", async () => {
    const store = new DirectoryStore({ root, layout: 'single' });
    await commitAll(store, 'whatever', [group(0, 2)], 2);
    expect((await readdir(root)).sort()).toEqual([MANIFEST_FILE, partFileName(0)]);
    expect((await store.listRuns()).map((m) => m.runId)).toEqual(['whatever']);
    await writeFile(join(root, 'notes.txt'), 'mine');
    await store.deleteRun('whatever');
    expect(await readdir(root)).toEqual(['notes.txt']);
  });

  it('a run keeps one type per column even when a group has only nulls', async () => {
    const store = new DirectoryStore({ root });
    const g0 = group(0, 2);
    const g1: RowGroupData = {
      ...group(1, 2),
      rows: [
        { id: 2, name: null, person: null },
        { id: 3, name: null, person: null },
      ],
    };
    await commitAll(store, 'r', [g0, g1], 2);
    expect(await store.rowGroupTypes('r', 1)).toEqual(await store.rowGroupTypes('r', 0));
  });
});

describe('SPEC 3.7 commit is atomic: a crash never leaves a listed group missing', () => {
  it('temp files left by a crash are ignored, and the manifest is what lists groups', async () => {
    const store = new DirectoryStore({ root });
    await commitAll(store, 'r', [group(0, 2)], 2);
    const dir = join(root, 'r');
    // A crash while writing group 1: its temp file and a torn manifest temp remain.
    await writeFile(join(dir, `.${partFileName(1)}.abc123.tmp`), 'half a parquet file');
    await writeFile(join(dir, `.${MANIFEST_FILE}.def456.tmp`), '{"runId": "r", "commi');
    const reopened = new DirectoryStore({ root });
    expect((await reopened.loadManifest('r'))?.committed.map((g) => g.id)).toEqual([0]);
    expect((await reopened.listRuns()).length).toBe(1);
    expect((await reopened.readRowGroup('r', 0)).rows).toHaveLength(2);
  });

  it('a part written without its manifest (crash between the two) is not listed, and resume overwrites it', async () => {
    const store = new DirectoryStore({ root });
    await commitAll(store, 'r', [group(0, 2)], 2);
    await writeFile(join(root, 'r', partFileName(1)), 'not parquet: crashed before the manifest');
    await expect(store.readRowGroup('r', 1)).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOT_FOUND,
    });
    const g1 = group(1, 2);
    await store.commit(g1, manifest('r', [group(0, 2), g1], 2));
    expect(await store.readRowGroup('r', 1)).toEqual(g1);
  });

  it('every group the manifest lists after each commit is readable', async () => {
    const store = new DirectoryStore({ root });
    const groups = [group(0, 3), group(1, 3, [4]), group(2, 3)];
    for (let i = 0; i < groups.length; i++) {
      await store.commit(groups[i]!, manifest('r', groups.slice(0, i + 1), 3));
      const listed = (await store.loadManifest('r'))!.committed;
      for (const g of listed) await expect(store.readRowGroup('r', g.id)).resolves.toBeTruthy();
    }
  });

  it('no temp file remains after successful commits', async () => {
    const store = new DirectoryStore({ root });
    await commitAll(store, 'r', [group(0, 2), group(1, 2)], 2);
    expect((await readdir(join(root, 'r'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('SPEC 4 single-file export', () => {
  it('concatenates committed groups in row order, one Parquet row group per full group', async () => {
    const store = new DirectoryStore({ root });
    const groups = [group(0, 4), group(1, 4), group(2, 4)];
    // Commit out of order: the output still follows row order.
    await store.commit(groups[2]!, manifest('r', [groups[2]!], 4));
    await store.commit(groups[0]!, manifest('r', [groups[2]!, groups[0]!], 4));
    await store.commit(groups[1]!, manifest('r', [groups[2]!, groups[0]!, groups[1]!], 4));
    const out = join(root, 'all.parquet');
    const result = await writeSingleParquet(store, 'r', out);
    expect(result.rows).toBe(12);
    const bytes = await readFile(out);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(parquetMetadata(file).row_groups.map((g) => g.num_rows)).toEqual([4n, 4n, 4n]);
    const rows = await parquetReadObjects({ file, compressors });
    expect(rows.map((r) => Number(r['id']))).toEqual(groups.flatMap((g) => g.rowIndices));
    expect(rows[1]).toEqual({ id: 1n, name: 'row 1', person: { first_name: 'P1', age: 21n } });
  });

  it('a run with nothing committed is RUN_NOTHING_COMMITTED', async () => {
    const store = new DirectoryStore({ root });
    await store.saveManifest(manifest('r', [], 4));
    await expect(writeSingleParquet(store, 'r', join(root, 'x.parquet'))).rejects.toMatchObject({
      code: ErrorCodes.RUN_NOTHING_COMMITTED,
    });
  });
});
