/**
 * Shared fixtures of the Parquet splice tests: rows of every exported column type
 * split into groups of given sizes, written the way the export writes them.
 */
import { arrowTableToIPC, rowsToArrowTable } from '../../../src/core/export/arrow.ts';
import { inferColumnTypes } from '../../../src/core/export/column-types.ts';
import type { ParquetGroupInput } from '../../../src/core/export/parquet-groups.ts';
import type { Row } from '../../../src/core/storage/types.ts';

export const COLUMNS = ['id', 'big', 'price', 'name', 'ok', 'at', 'person', 'embedding', 'sparse'];

/** Row `i` of the fixture: every type, with nulls at varying rows per column. */
export function fixtureRow(i: number): Row {
  return {
    id: i,
    big: i % 7 === 0 ? null : BigInt(i) * 2n ** 40n,
    price: i % 5 === 0 ? null : i * 1.25 - 50,
    name: i % 4 === 0 ? null : `name ${i} ${'é'.repeat(i % 3)}`,
    ok: i % 6 === 0 ? null : i % 2 === 0,
    at: i % 9 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
    person: i % 8 === 0 ? null : { first_name: `P${i}`, age: i % 11 === 0 ? null : 20 + (i % 60) },
    embedding: i % 10 === 0 ? null : new Float32Array([i, -i / 2, 0.5]),
    sparse: i % 13 === 0 ? `only ${i}` : null,
  };
}

/** Consecutive row groups of `sizes` rows, as row arrays. */
export function fixtureGroups(sizes: readonly number[]): Row[][] {
  let next = 0;
  return sizes.map((size) => Array.from({ length: size }, () => fixtureRow(next++)));
}

/** Groups as the export hands them to writeParquetGroups: one schema for all. */
export function groupInputs(groups: readonly Row[][]): ParquetGroupInput[] {
  const types = inferColumnTypes(groups.flat(), COLUMNS);
  return groups.map((rows) => ({
    ipc: arrowTableToIPC(rowsToArrowTable(rows, COLUMNS, types)),
    rows: rows.length,
  }));
}

export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The FileMetaData bytes of a Parquet file. */
export function footerBytes(file: Uint8Array): Uint8Array {
  const length = new DataView(file.buffer, file.byteOffset + file.length - 8, 4).getUint32(0, true);
  return file.subarray(file.length - 8 - length, file.length - 8);
}

/** Concatenates chunks as a sink would. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
