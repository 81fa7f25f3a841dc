import { beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects, readColumnIndex, readOffsetIndex } from 'hyparquet';
import type { FileMetaData } from 'hyparquet';
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import { compressors } from 'hyparquet-compressors';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { arrowTableToRows } from '../../../src/core/export/arrow-read.ts';
import { arrowTableToIPC, rowsToArrowTable } from '../../../src/core/export/arrow.ts';
import { ParquetSplicer } from '../../../src/core/export/parquet-concat.ts';
import { parquetGroupFile, writeParquetGroups } from '../../../src/core/export/parquet-groups.ts';
import { readParquetTable } from '../../../src/core/export/parquet.ts';
import type { ParquetCompression } from '../../../src/core/export/parquet.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { initParquetNode } from '../../../src/node/parquet-init.ts';
import { asAsync, concat, fixtureGroups, groupInputs, toArrayBuffer } from './parquet-fixtures.ts';

beforeAll(() => initParquetNode());

const SIZES = [100, 37, 100, 1, 58];

async function spliced(groups: Row[][], compression: ParquetCompression = 'zstd') {
  const chunks: Uint8Array[] = [];
  const result = await writeParquetGroups(
    asAsync(groupInputs(groups)),
    { compression },
    (chunk) => {
      chunks.push(chunk.slice());
      return Promise.resolve();
    },
  );
  return { bytes: concat(chunks), chunks, result };
}

/** A fixture row as hyparquet reads it back (INT64 as bigint, lists as arrays). */
function asHyparquet(row: Row): Row {
  const person = row['person'] as { first_name: string; age: number | null } | null;
  const embedding = row['embedding'] as Float32Array | null;
  return {
    ...row,
    id: BigInt(row['id'] as number),
    person: person && {
      first_name: person.first_name,
      age: person.age === null ? null : BigInt(person.age),
    },
    embedding: embedding && Array.from(embedding),
  };
}

/** Checks every chunk's page index against the pages actually in `file`; returns pages seen. */
function checkPageIndexes(file: Uint8Array, metadata: FileMetaData): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const leaves = metadata.schema.filter((s) => !s.num_children);
  let pages = 0;
  for (const group of metadata.row_groups) {
    group.columns.forEach((chunk, j) => {
      const meta = chunk.meta_data!;
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      expect(chunk.offset_index_offset).toBeDefined();
      expect(chunk.column_index_offset).toBeDefined();
      const offsetIndex = readOffsetIndex({ view, offset: Number(chunk.offset_index_offset) });
      const columnIndex = readColumnIndex(
        { view, offset: Number(chunk.column_index_offset) },
        leaves[j]!,
      );
      expect(columnIndex.null_pages).toHaveLength(offsetIndex.page_locations.length);
      expect(offsetIndex.page_locations[0]?.first_row_index).toBe(0n);
      for (const location of offsetIndex.page_locations) {
        const at = Number(location.offset);
        expect(at).toBeGreaterThanOrEqual(start);
        expect(at + location.compressed_page_size).toBeLessThanOrEqual(end);
        const reader = { view, offset: at };
        const header = deserializeTCompactProtocol(reader) as Record<string, number>;
        expect([0, 3]).toContain(header['field_1']); // DATA_PAGE or DATA_PAGE_V2
        expect(reader.offset - at + header['field_3']!).toBe(location.compressed_page_size);
        pages++;
      }
    });
  }
  return pages;
}

describe('SPEC 4 Parquet export: one Parquet row group per committed row group', () => {
  it.each<ParquetCompression>(['zstd', 'snappy', 'none'])(
    '%s: groups of 100, 37, 100, 1, 58 rows stay exactly those row groups, with every value',
    async (compression) => {
      const groups = fixtureGroups(SIZES);
      const { bytes, result } = await spliced(groups, compression);
      const metadata = parquetMetadata(toArrayBuffer(bytes));
      expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual(SIZES);
      expect(metadata.num_rows).toBe(BigInt(SIZES.reduce((a, b) => a + b)));
      expect(metadata.row_groups.map((g) => g.ordinal)).toEqual(SIZES.map((_, i) => i));
      const codecs = new Set(
        metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)),
      );
      expect([...codecs]).toEqual([
        { zstd: 'ZSTD', snappy: 'SNAPPY', none: 'UNCOMPRESSED' }[compression],
      ]);
      expect(result).toEqual({ rowGroups: SIZES.length, rows: 296, bytes: bytes.length });

      const back = await parquetReadObjects({
        file: toArrayBuffer(bytes),
        compressors,
        utf8: true,
      });
      expect(back).toEqual(groups.flat().map(asHyparquet));
    },
  );

  it('parquet-wasm reads the spliced file back to the original values and types', async () => {
    const groups = fixtureGroups(SIZES);
    const { bytes } = await spliced(groups, 'snappy');
    expect(arrowTableToRows(readParquetTable(bytes)).rows).toEqual(groups.flat());
  });

  it('every column chunk has a page index whose page offsets point at its real pages', async () => {
    const { bytes } = await spliced(fixtureGroups(SIZES));
    const metadata = parquetMetadata(toArrayBuffer(bytes));
    const chunks = metadata.row_groups.reduce((n, g) => n + g.columns.length, 0);
    expect(checkPageIndexes(bytes, metadata)).toBeGreaterThanOrEqual(chunks);
  });

  it('a group with several data pages keeps each page located (page row limit exceeded)', async () => {
    // arrow-rs starts a new data page every 20,000 rows: 45,000 rows make 3 pages.
    const { bytes } = await spliced(fixtureGroups([5, 45_000, 3]), 'none');
    const metadata = parquetMetadata(toArrayBuffer(bytes));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([5, 45_000, 3]);
    const pages = checkPageIndexes(bytes, metadata);
    expect(pages).toBeGreaterThan(
      metadata.row_groups.length * metadata.row_groups[0]!.columns.length,
    );
  });

  it('bytes are handed out group by group: header and first group first, footer last', async () => {
    const groups = fixtureGroups(SIZES);
    const { chunks, bytes } = await spliced(groups);
    expect(chunks).toHaveLength(SIZES.length + 1);
    expect(new TextDecoder().decode(chunks[0]!.subarray(0, 4))).toBe('PAR1');
    const metadata = parquetMetadata(toArrayBuffer(bytes));
    let at = 0;
    chunks.slice(0, -1).forEach((chunk, i) => {
      // Each group's column chunks lie inside the bytes handed out for it.
      for (const c of metadata.row_groups[i]!.columns) {
        const start = Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset);
        expect(start).toBeGreaterThanOrEqual(at);
        expect(start + Number(c.meta_data!.total_compressed_size)).toBeLessThanOrEqual(
          at + chunk.length,
        );
      }
      at += chunk.length;
    });
    expect(new TextDecoder().decode(bytes.subarray(-4))).toBe('PAR1');
  });

  it('a single group splices to a file equal in content to writing it alone', async () => {
    const [group] = fixtureGroups([64]);
    const { bytes } = await spliced([group!]);
    const alone = parquetGroupFile(groupInputs([group!])[0]!, 'zstd');
    expect(bytes.length).toBe(alone.length);
    expect(Buffer.from(bytes).equals(Buffer.from(alone))).toBe(true);
  });

  it('a file whose schema differs from the first is refused, naming the column', () => {
    const splicer = new ParquetSplicer();
    const file = (rows: Row[]) =>
      parquetGroupFile(
        { ipc: arrowTableToIPC(rowsToArrowTable(rows, ['a', 'b'])), rows: rows.length },
        'zstd',
      );
    splicer.append(file([{ a: 1, b: 'x' }]));
    expect(() => splicer.append(file([{ a: 1, b: 2 }]))).toThrow(
      expect.objectContaining({
        code: ErrorCodes.INVALID_ARGUMENT,
        message: expect.stringMatching(
          /file 2's schema differs .* expected "b" \(BYTE_ARRAY\), found "b" \(INT64\)/,
        ),
      }),
    );
  });

  it('bytes that are not a Parquet file are refused', () => {
    expect(() =>
      new ParquetSplicer().append(new TextEncoder().encode('not a parquet file')),
    ).toThrow(/expected a Parquet file starting and ending with 'PAR1'/);
  });

  it('finish without any file is refused', () => {
    expect(() => new ParquetSplicer().finish()).toThrow(/expected at least one/);
  });

  it('an abort between groups stops the export with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let written = 0;
    const run = writeParquetGroups(
      asAsync(groupInputs(fixtureGroups(SIZES))),
      { compression: 'zstd', signal: controller.signal, onGroup: () => controller.abort(reason) },
      () => {
        written++;
        return Promise.resolve();
      },
    );
    await expect(run).rejects.toBe(reason);
    expect(written).toBe(1);
  });
});
