import { beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { rowsToArrowTable } from '../../../src/core/export/arrow.ts';
import { arrowTableToRows } from '../../../src/core/export/arrow-read.ts';
import {
  readParquetTable,
  writeParquetBytes,
  type ParquetCompression,
} from '../../../src/core/export/parquet.ts';
import { initParquetNode } from '../../../src/node/parquet-init.ts';

beforeAll(() => initParquetNode());

const toArrayBuffer = (b: Uint8Array) =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

const readWithHyparquet = (bytes: Uint8Array) =>
  parquetReadObjects({ file: toArrayBuffer(bytes), compressors, utf8: true });

const rows = [
  {
    id: 1,
    big: 2n ** 60n,
    price: 9.75,
    name: 'Zoë',
    ok: true,
    at: new Date(Date.UTC(2023, 5, 1, 8, 30)),
    person: { first_name: 'Ada', age: 36 },
    judge: { score: 4, reasoning: 'clear and correct' },
    embedding: new Float32Array([0.5, -0.25, 1]),
    extra: { tags: ['a', 'b'] },
  },
  {
    id: null,
    big: null,
    price: null,
    name: null,
    ok: null,
    at: null,
    person: null,
    judge: null,
    embedding: null,
    extra: null,
  },
  {
    id: -3,
    big: 1n,
    price: 0,
    name: '',
    ok: false,
    at: new Date(0),
    person: { first_name: 'Bo', age: null },
    judge: { score: 1, reasoning: null },
    embedding: [2],
    extra: [1, [2]],
  },
];
const columns = Object.keys(rows[0]!);

describe('4 Parquet export reads back in an independent reader (hyparquet)', () => {
  it.each<ParquetCompression>(['zstd', 'snappy', 'none'])(
    '%s: every type, nulls included, has the values that were written',
    async (compression) => {
      const bytes = writeParquetBytes(rowsToArrowTable(rows, columns), { compression });
      const codec = parquetMetadata(toArrayBuffer(bytes)).row_groups[0]?.columns[0]?.meta_data
        ?.codec;
      expect(codec).toBe({ zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[compression]);
      const back = await readWithHyparquet(bytes);
      expect(back).toEqual([
        {
          id: 1n,
          big: 2n ** 60n,
          price: 9.75,
          name: 'Zoë',
          ok: true,
          at: new Date(Date.UTC(2023, 5, 1, 8, 30)),
          person: { first_name: 'Ada', age: 36n },
          judge: { score: 4n, reasoning: 'clear and correct' },
          embedding: [0.5, -0.25, 1],
          extra: '{"tags":["a","b"]}',
        },
        {
          id: null,
          big: null,
          price: null,
          name: null,
          ok: null,
          at: null,
          person: null,
          judge: null,
          embedding: null,
          extra: null,
        },
        {
          id: -3n,
          big: 1n,
          price: 0,
          name: '',
          ok: false,
          at: new Date(0),
          person: { first_name: 'Bo', age: null },
          judge: { score: 1n, reasoning: null },
          embedding: [2],
          extra: '[1,[2]]',
        },
      ]);
    },
  );

  it('the Parquet schema has the SPEC 4 physical and logical types', () => {
    const bytes = writeParquetBytes(rowsToArrowTable(rows, columns), { compression: 'zstd' });
    const schema = parquetMetadata(toArrayBuffer(bytes)).schema;
    const byName = new Map(schema.map((s) => [s.name, s]));
    expect(byName.get('id')?.type).toBe('INT64');
    expect(byName.get('price')?.type).toBe('DOUBLE');
    expect(byName.get('name')?.type).toBe('BYTE_ARRAY');
    expect(byName.get('ok')?.type).toBe('BOOLEAN');
    expect(byName.get('at')?.logical_type).toMatchObject({ type: 'TIMESTAMP', unit: 'MILLIS' });
    expect(byName.get('person')?.num_children).toBe(2);
    expect(byName.get('element')?.type ?? byName.get('item')?.type).toBe('FLOAT');
  });

  it('rowGroupSize splits the file into Parquet row groups of at most that many rows', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ n: i }));
    const bytes = writeParquetBytes(rowsToArrowTable(many, ['n']), {
      compression: 'zstd',
      rowGroupSize: 4,
    });
    const groups = parquetMetadata(toArrayBuffer(bytes)).row_groups.map((g) => g.num_rows);
    expect(groups).toEqual([4n, 4n, 2n]);
  });

  it('writing twice gives compressed output both times (writer properties are not reused)', () => {
    const table = () => rowsToArrowTable(rows, columns);
    const codecs = [0, 1].map(
      () =>
        parquetMetadata(toArrayBuffer(writeParquetBytes(table(), { compression: 'zstd' })))
          .row_groups[0]?.columns[0]?.meta_data?.codec,
    );
    expect(codecs).toEqual(['ZSTD', 'ZSTD']);
  });

  it('parquet-wasm reads our own files back to the original JS values', () => {
    const bytes = writeParquetBytes(rowsToArrowTable(rows, columns), { compression: 'snappy' });
    expect(arrowTableToRows(readParquetTable(bytes)).rows).toEqual([
      rows[0],
      rows[1],
      { ...rows[2], embedding: new Float32Array([2]) },
    ]);
  });

  it('an unknown compression is refused with the accepted values named', () => {
    expect(() =>
      writeParquetBytes(rowsToArrowTable(rows, columns), {
        compression: 'lz4' as ParquetCompression,
      }),
    ).toThrow(/expected 'zstd', 'snappy' or 'none', got "lz4"/);
  });
});
