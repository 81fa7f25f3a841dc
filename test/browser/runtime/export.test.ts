import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { csvParse } from 'd3-dsv';
import type { Row, RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { exportStoredRun } from '../../../src/runtime/export.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { ALL_TYPES_CONFIG } from './support/configs.ts';
import { allRows, freshDbName, runInto } from './support/fixtures.ts';

/** Values as comparable plain data: bigints and Dates as numbers, typed arrays as arrays. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value ?? null;
}

async function allTypesRun() {
  const store = new IdbRunStore({ dbName: freshDbName('export') });
  await runInto(store, 'run', ALL_TYPES_CONFIG);
  return { store, rows: await allRows(store, 'run') };
}

async function readParquet(blob: Blob) {
  const file = await blob.arrayBuffer();
  return {
    metadata: parquetMetadata(file),
    rows: await parquetReadObjects({ file, compressors, utf8: true }),
  };
}

describe('SPEC 4 streamed export', () => {
  for (const compression of ['zstd', 'snappy', 'none'] as const) {
    it(`4 Parquet (${compression}) reads back in hyparquet with every column type equal to the generated rows`, async () => {
      const { store, rows } = await allTypesRun();
      const result = await exportStoredRun(store, { runId: 'run', format: 'parquet', compression });
      expect(result.rows).toBe(40);
      const back = await readParquet(result.blob!);
      expect(back.metadata.row_groups.length).toBe(4);
      const codecs = new Set(
        back.metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)),
      );
      expect([...codecs]).toEqual([
        { zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[compression],
      ]);
      expect(back.rows.map(plain)).toEqual(rows.map(plain));
    });
  }

  it('4 the exported columns have the SPEC 4 types: int64, float64, utf8, bool, timestamp, struct, list<float32>', async () => {
    const { store, rows } = await allTypesRun();
    const result = await exportStoredRun(store, { runId: 'run' });
    const { metadata } = await readParquet(result.blob!);
    const leaf = (path: string) =>
      metadata.schema.find((s) => s.name === path && s.type !== undefined);
    expect(leaf('rating')?.type).toBe('INT64');
    expect(leaf('price')?.type).toBe('DOUBLE');
    expect(leaf('id')?.type).toBe('BYTE_ARRAY');
    expect(leaf('good')?.type).toBe('BOOLEAN');
    expect(leaf('sold_at')?.logical_type?.type).toBe('TIMESTAMP');
    expect(metadata.schema.find((s) => s.name === 'buyer')?.num_children).toBeGreaterThan(3);
    expect(metadata.schema.find((s) => s.name === 'spec')?.num_children).toBe(2);
    expect(leaf('item')?.type).toBe('FLOAT');
    expect(rows.some((r) => r['review'] === null)).toBe(true);
  });

  it('4 drop: true columns never appear in Parquet, CSV or JSONL', async () => {
    const { store } = await allTypesRun();
    for (const format of ['parquet', 'csv', 'jsonl'] as const) {
      const { blob } = await exportStoredRun(store, { runId: 'run', format });
      const text =
        format === 'parquet'
          ? JSON.stringify((await readParquet(blob!)).metadata.schema.map((s) => s.name))
          : await blob!.text();
      expect(text).not.toContain('secret');
      expect(text).toContain('label');
    }
  });

  it('4 CSV export: a header and one RFC 4180 record per row, nested values as JSON', async () => {
    const { store, rows } = await allTypesRun();
    const { blob, rows: written } = await exportStoredRun(store, { runId: 'run', format: 'csv' });
    expect(blob!.type).toBe('text/csv');
    const parsed = csvParse((await blob!.text()).replace(/\r\n/g, '\n'));
    expect(written).toBe(40);
    expect(parsed.length).toBe(40);
    expect(parsed.columns).toEqual(Object.keys(rows[0]!));
    expect(parsed.map((r) => Number(r['price']))).toEqual(rows.map((r) => r['price']));
    expect(plain(JSON.parse(parsed[3]!['buyer']!))).toEqual(
      JSON.parse(JSON.stringify(plain({ ...(rows[3]!['buyer'] as object) }))),
    );
  });

  it('4 JSONL export: one object per row in row order', async () => {
    const { store, rows } = await allTypesRun();
    const { blob } = await exportStoredRun(store, { runId: 'run', format: 'jsonl' });
    const lines = (await blob!.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    expect(lines.map((l) => l['id'])).toEqual(rows.map((r) => r['id']));
    expect(lines[0]!['vec']).toEqual(Array.from(rows[0]!['vec'] as Float32Array));
  });

  it('4 Parquet has one row group per committed row group, also for groups that lost rows', async () => {
    const store = new IdbRunStore({ dbName: freshDbName('boundaries') });
    const bufferSize = 5;
    const kept = [[0, 1, 2, 3, 4], [6, 9], [10, 11, 12, 13, 14], [18], [20, 21, 22]];
    const groups: RowGroupData[] = kept.map((rowIndices, id) => ({
      id,
      firstRow: id * bufferSize,
      rowIndices,
      columns: ['n', 'label', 'person'],
      rows: rowIndices.map((n) => ({
        n,
        label: n % 3 === 0 ? null : `row ${n}`,
        person: { first_name: `P${n}`, age: 20 + n },
      })),
    }));
    const manifest = (committed: RowGroupData[]): RunManifest => ({
      runId: 'b',
      config: {},
      configHash: 'h',
      seed: 0,
      numRecords: 23,
      bufferSize,
      columns: ['n', 'label', 'person'],
      committed: committed.map((g) => ({
        id: g.id,
        rows: g.rows.length,
        dropped: bufferSize - g.rows.length,
      })),
      rowsWritten: committed.reduce((n, g) => n + g.rows.length, 0),
      droppedRows: 0,
      firstErrors: [],
      status: 'complete',
      createdAt: 0,
      updatedAt: 0,
    });
    // Committed out of order, as a concurrent run does.
    const order = [groups[2]!, groups[0]!, groups[4]!, groups[1]!, groups[3]!];
    for (let i = 0; i < order.length; i++)
      await store.commit(order[i]!, manifest(order.slice(0, i + 1)));

    const result = await exportStoredRun(store, { runId: 'b', format: 'parquet' });
    const back = await readParquet(result.blob!);
    expect(back.metadata.row_groups.map((g) => Number(g.num_rows))).toEqual(
      kept.map((k) => k.length),
    );
    expect(back.rows.map(plain)).toEqual(groups.flatMap((g) => g.rows).map(plain));
  });

  it('4 a type widened by a later row group (int then float) exports as one float64 column', async () => {
    const store = new IdbRunStore({ dbName: freshDbName('widen') });
    const manifest = (committed: RunManifest['committed']): RunManifest => ({
      runId: 'w',
      config: {},
      configHash: 'h',
      seed: 0,
      numRecords: 4,
      bufferSize: 2,
      columns: ['x'],
      committed,
      rowsWritten: 0,
      droppedRows: 0,
      firstErrors: [],
      status: 'complete',
      createdAt: 0,
      updatedAt: 0,
    });
    const group = (id: number, values: number[]): RowGroupData => ({
      id,
      firstRow: id * 2,
      rowIndices: [id * 2, id * 2 + 1],
      columns: ['x'],
      rows: values.map((x) => ({ x })),
    });
    await store.commit(group(0, [1, 2]), manifest([{ id: 0, rows: 2, dropped: 0 }]));
    await store.commit(
      group(1, [2.5, 3]),
      manifest([
        { id: 0, rows: 2, dropped: 0 },
        { id: 1, rows: 2, dropped: 0 },
      ]),
    );
    const { blob } = await exportStoredRun(store, { runId: 'w' });
    const back = await readParquet(blob!);
    expect(back.rows.map((r) => r['x'])).toEqual([1, 2, 2.5, 3]);
    expect(back.metadata.schema.find((s) => s.name === 'x')?.type).toBe('DOUBLE');
  });
});
