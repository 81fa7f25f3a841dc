import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { DirectoryStore } from '../../../src/node/directory-store.ts';
import { writeSingleParquet } from '../../../src/node/single-parquet.ts';
import { COLUMNS, fixtureRow, toArrayBuffer } from './parquet-fixtures.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tabsynth-single-parquet-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const BUFFER_SIZE = 50;

/** Group `id` of a run with buffer_size 50 and `numRecords` rows, without the `dropped` rows. */
function group(id: number, numRecords: number, dropped: ReadonlySet<number>): RowGroupData {
  const rowIndices: number[] = [];
  const end = Math.min((id + 1) * BUFFER_SIZE, numRecords);
  for (let r = id * BUFFER_SIZE; r < end; r++) if (!dropped.has(r)) rowIndices.push(r);
  return {
    id,
    firstRow: id * BUFFER_SIZE,
    rowIndices,
    columns: COLUMNS,
    rows: rowIndices.map(fixtureRow),
  };
}

function manifest(groups: RowGroupData[], numRecords: number): RunManifest {
  const rowsWritten = groups.reduce((n, g) => n + g.rows.length, 0);
  return {
    runId: 'r',
    config: { columns: [] },
    configHash: 'h',
    seed: 1,
    numRecords,
    bufferSize: BUFFER_SIZE,
    columns: COLUMNS,
    committed: groups.map((g) => ({ id: g.id, rows: g.rows.length, dropped: 0 })),
    rowsWritten,
    droppedRows: numRecords - rowsWritten,
    firstErrors: [],
    status: 'complete',
    createdAt: 1,
    updatedAt: 2,
  };
}

describe('SPEC 4 single-file Parquet export (Node, writeSingleParquet)', () => {
  it('groups that lost rows keep their own Parquet row groups, rows in row order', async () => {
    const numRecords = 180; // groups of 50, 50, 50, 30
    const dropped = new Set([3, 4, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 149, 170]);
    const groups = [0, 1, 2, 3].map((id) => group(id, numRecords, dropped));
    const store = new DirectoryStore({ root });
    // Committed out of order, as a concurrent run does.
    for (const [i, g] of [groups[1]!, groups[3]!, groups[0]!, groups[2]!].entries()) {
      await store.commit(
        g,
        manifest([groups[1]!, groups[3]!, groups[0]!, groups[2]!].slice(0, i + 1), numRecords),
      );
    }
    const out = join(root, 'out.parquet');
    const result = await writeSingleParquet(store, 'r', out, { compression: 'snappy' });

    const sizes = groups.map((g) => g.rows.length);
    expect(sizes).toEqual([48, 40, 49, 29]);
    expect(result).toMatchObject({ rows: 166, rowGroups: 4 });
    const file = toArrayBuffer(await readFile(out));
    expect(result.bytes).toBe(file.byteLength);
    const metadata = parquetMetadata(file);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual(sizes);
    const back = await parquetReadObjects({ file, compressors, utf8: true });
    expect(back.map((r) => Number(r['id']))).toEqual(groups.flatMap((g) => g.rowIndices));
    expect(back.map((r) => r['name'])).toEqual(groups.flatMap((g) => g.rows.map((r) => r['name'])));
  });

  it('an abort between groups leaves no file behind', async () => {
    const store = new DirectoryStore({ root });
    const groups = [0, 1].map((id) => group(id, 100, new Set()));
    await store.commit(groups[0]!, manifest(groups.slice(0, 1), 100));
    await store.commit(groups[1]!, manifest(groups, 100));
    const reason = new Error('stopped');
    const out = join(root, 'out.parquet');
    await expect(
      writeSingleParquet(store, 'r', out, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect((await readdir(root)).filter((n) => n.includes('out.parquet'))).toEqual([]);
  });
});
