import { beforeAll, describe, expect, it } from 'vitest';
import { parquetMetadata } from 'hyparquet';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { parquetGroupFile } from '../../../src/core/export/parquet-groups.ts';
import type { ParquetCompression } from '../../../src/core/export/parquet.ts';
import {
  CompactType,
  decodeThriftStruct,
  thriftField,
} from '../../../src/core/export/thrift-compact.ts';
import { encodeThriftStruct } from '../../../src/core/export/thrift-compact-encode.ts';
import type { ThriftStruct } from '../../../src/core/export/thrift-compact.ts';
import { initParquetNode } from '../../../src/node/parquet-init.ts';
import { fixtureGroups, footerBytes, groupInputs, toArrayBuffer } from './parquet-fixtures.ts';

beforeAll(() => initParquetNode());

/** Real parquet-wasm files: every column type, each codec, a few sizes. */
function realFiles(): Uint8Array[] {
  const codecs: ParquetCompression[] = ['zstd', 'snappy', 'none'];
  return codecs.flatMap((compression) =>
    groupInputs(fixtureGroups([1, 37, 300])).map((g) => parquetGroupFile(g, compression)),
  );
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Thrift compact codec (Parquet footers and page indexes)', () => {
  it('re-encodes every real parquet-wasm footer byte for byte', () => {
    for (const file of realFiles()) {
      const footer = footerBytes(file);
      const { struct, end } = decodeThriftStruct(footer);
      expect(end).toBe(footer.length);
      expect(hex(encodeThriftStruct(struct))).toBe(hex(footer));
    }
  });

  it('re-encodes every column index and offset index of a real file byte for byte', () => {
    let seen = 0;
    for (const file of realFiles()) {
      for (const chunk of parquetMetadata(toArrayBuffer(file)).row_groups.flatMap(
        (g) => g.columns,
      )) {
        for (const [offset, length] of [
          [chunk.column_index_offset, chunk.column_index_length],
          [chunk.offset_index_offset, chunk.offset_index_length],
        ] as const) {
          if (offset === undefined || length === undefined) continue;
          const bytes = file.subarray(Number(offset), Number(offset) + length);
          expect(hex(encodeThriftStruct(decodeThriftStruct(bytes).struct))).toBe(hex(bytes));
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('decodes a footer to the values hyparquet reads: num_rows, row groups, created_by', () => {
    const file = realFiles()[1]!;
    const expected = parquetMetadata(toArrayBuffer(file));
    const { struct } = decodeThriftStruct(footerBytes(file));
    expect(thriftField(struct, 3)).toEqual({ kind: 'i64', value: expected.num_rows });
    const groups = thriftField(struct, 4);
    expect(groups?.kind === 'list' && groups.values.length).toBe(expected.row_groups.length);
    const createdBy = thriftField(struct, 6);
    expect(createdBy?.kind === 'binary' && new TextDecoder().decode(createdBy.value)).toBe(
      expected.created_by,
    );
  });

  it('round-trips every wire type, extreme integers and a NaN payload', () => {
    const nan = new Uint8Array([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]);
    const struct: ThriftStruct = {
      kind: 'struct',
      fields: [
        { id: 1, value: { kind: 'bool', value: true } },
        { id: 2, value: { kind: 'bool', value: false } },
        { id: 3, value: { kind: 'i8', value: -128 } },
        { id: 4, value: { kind: 'i16', value: -32768 } },
        { id: 5, value: { kind: 'i32', value: -(2 ** 31) } },
        { id: 6, value: { kind: 'i64', value: -(2n ** 63n) } },
        { id: 7, value: { kind: 'i64', value: 2n ** 63n - 1n } },
        { id: 8, value: { kind: 'i64', value: 2n ** 50n + 3n } },
        { id: 9, value: { kind: 'double', bytes: nan } },
        { id: 10, value: { kind: 'binary', value: new TextEncoder().encode('Zoë') } },
        {
          id: 40,
          value: {
            kind: 'list',
            elementType: CompactType.I64,
            values: Array.from({ length: 20 }, (_, i) => ({ kind: 'i64', value: BigInt(-i) })),
          },
        },
        {
          id: 41,
          value: {
            kind: 'set',
            elementType: CompactType.BOOL_TRUE,
            values: [
              { kind: 'bool', value: true },
              { kind: 'bool', value: false },
            ],
          },
        },
        {
          id: 42,
          value: {
            kind: 'map',
            keyType: CompactType.BINARY,
            valueType: CompactType.STRUCT,
            entries: [
              [
                { kind: 'binary', value: new Uint8Array([1]) },
                { kind: 'struct', fields: [{ id: 300, value: { kind: 'i32', value: 7 } }] },
              ],
            ],
          },
        },
        { id: 43, value: { kind: 'map', keyType: 0, valueType: 0, entries: [] } },
        { id: 2, value: { kind: 'i32', value: 1 } },
      ],
    };
    const bytes = encodeThriftStruct(struct);
    const { struct: back, end } = decodeThriftStruct(bytes);
    expect(end).toBe(bytes.length);
    expect(back).toEqual(struct);
    expect(hex(encodeThriftStruct(back))).toBe(hex(bytes));
  });

  it('keeps the non-canonical forms a writer may choose: long field header, long list size, a bool element written as 0', () => {
    const bytes = new Uint8Array([
      0x05,
      0x02,
      0x02, // field 1 (i32 = 1) with its id as a varint
      0x29,
      0xf1,
      0x02,
      0x01,
      0x00, // field 3: list<bool> of 2, size after the header, elements 1 and 0
      0x00, // stop
    ]);
    const { struct } = decodeThriftStruct(bytes);
    expect(struct.fields.map((f) => f.id)).toEqual([1, 3]);
    const list = thriftField(struct, 3);
    expect(list?.kind === 'list' && list.values.map((v) => v.kind === 'bool' && v.value)).toEqual([
      true,
      false,
    ]);
    expect(hex(encodeThriftStruct(struct))).toBe(hex(bytes));
  });

  it('truncated input is refused with the byte where it ends', () => {
    const footer = footerBytes(realFiles()[0]!);
    expect(() => decodeThriftStruct(footer.subarray(0, 40))).toThrow(
      expect.objectContaining({
        code: ErrorCodes.INVALID_ARGUMENT,
        message: expect.stringMatching(/expected a well-formed struct, found .* at byte \d+/),
      }),
    );
  });
});
