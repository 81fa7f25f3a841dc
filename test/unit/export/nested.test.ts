/**
 * SPEC 4 nested values: judge results, validation results and structured output
 * export as Arrow/Parquet structs and lists (not JSON text) wherever their shape is
 * consistent, and read back as the same JS values.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import {
  arrowTableFromIPC,
  arrowTableToIPC,
  columnsToArrowTable,
  rowsToArrowTable,
} from '../../../src/core/export/arrow.ts';
import { arrowTableToRows, columnTypesOf } from '../../../src/core/export/arrow-read.ts';
import {
  MAX_NESTING_DEPTH,
  inferColumnTypes,
  inferValuesType,
  mergeColumnTypes,
} from '../../../src/core/export/column-types.ts';
import type { ColumnType } from '../../../src/core/export/column-types.ts';
import { readParquetTable, writeParquetBytes } from '../../../src/core/export/parquet.ts';
import { initParquetNode } from '../../../src/node/parquet-init.ts';

beforeAll(() => initParquetNode());

const arrowType = (values: unknown[]) =>
  String(columnsToArrowTable(values.length, { x: values }, ['x']).schema.fields[0]?.type);

const judge = [
  { quality: { score: 4, reasoning: 'clear' }, style: { score: 3, reasoning: 'terse' } },
  { quality: { score: 2, reasoning: null }, style: null },
  null,
];
const validation = [
  { is_valid: true, errors: [] },
  {
    is_valid: false,
    errors: [
      { line: 3, column: 7, message: 'undefined name "x"' },
      { line: 9, column: 1, message: null },
    ],
  },
  { is_valid: false, errors: null },
];
const structured = [
  {
    title: 'Order',
    items: [
      { sku: 'A1', qty: 2, tags: ['red', 'large'], price: { amount: 9.5, currency: 'EUR' } },
      { sku: 'B2', qty: 1, tags: [], price: null },
    ],
    flags: [true, false, null],
  },
  { title: null, items: [], flags: null },
  { title: 'Empty', items: null, flags: [] },
];
const rows = judge.map((j, i) => ({
  judge: j,
  validation: validation[i],
  structured: structured[i],
}));
const columns = ['judge', 'validation', 'structured'];

describe('4 nested values: structs inside structs, lists of a consistent element type', () => {
  it('a judge value is a struct of structs', () => {
    expect(arrowType(judge)).toBe(
      'Struct<{quality:Struct<{score:Int64, reasoning:Utf8}>, style:Struct<{score:Int64, reasoning:Utf8}>}>',
    );
  });

  it('a validation value holds its errors as a list of structs', () => {
    expect(arrowType(validation)).toBe(
      'Struct<{is_valid:Bool, errors:List<Struct<{line:Int64, column:Int64, message:Utf8}>>}>',
    );
  });

  it('structured output keeps nested lists of objects, strings and booleans', () => {
    expect(arrowType(structured)).toBe(
      'Struct<{title:Utf8, items:List<Struct<{sku:Utf8, qty:Int64, tags:List<Utf8>, ' +
        'price:Struct<{amount:Float64, currency:Utf8}>}>>, flags:List<Bool>}>',
    );
  });

  it('nested fields widen across rows like columns do: int64 to float64, null to a type', () => {
    const type = inferValuesType([
      { s: { n: 1 }, l: [1, 2], e: [] },
      { s: { n: 2.5 }, l: [null, 3.5], e: [{ a: 'x' }] },
      { s: null, l: null, e: [{ a: null }] },
    ]);
    expect(type).toEqual({
      kind: 'struct',
      fields: [
        { name: 's', type: { kind: 'struct', fields: [{ name: 'n', type: { kind: 'float64' } }] } },
        { name: 'l', type: { kind: 'list', item: { kind: 'float64' } } },
        {
          name: 'e',
          type: {
            kind: 'list',
            item: { kind: 'struct', fields: [{ name: 'a', type: { kind: 'utf8' } }] },
          },
        },
      ],
    });
  });

  it('a late nested value of another shape still widens after many of one shape', () => {
    const many = [...Array.from({ length: 50 }, () => ({ x: { a: [{ b: 1 }] } }))];
    const field = (last: unknown) =>
      (inferColumnTypes([...many, { x: last }], ['x']).x as { fields: { type: ColumnType }[] })
        .fields[0]?.type;
    expect(field({ a: [{ b: 2.5 }] })).toEqual({
      kind: 'list',
      item: { kind: 'struct', fields: [{ name: 'b', type: { kind: 'float64' } }] },
    });
    expect(field({ a: [{ b: 'x' }] })).toEqual({
      kind: 'list',
      item: { kind: 'struct', fields: [{ name: 'b', type: { kind: 'json' } }] },
    });
    expect(field({ a: [{ c: 1 }] })).toEqual({ kind: 'json' });
    expect(inferColumnTypes([...many, { x: { a: [{ b: 1 }], z: 1 } }], ['x']).x).toEqual({
      kind: 'json',
    });
  });

  it('only true conflicts become JSON text: mixed list items, differing keys', () => {
    expect(inferValuesType([{ a: [1, 'x'] }])).toEqual({
      kind: 'struct',
      fields: [{ name: 'a', type: { kind: 'json' } }],
    });
    expect(inferValuesType([{ a: { p: 1 } }, { a: { q: 1 } }])).toEqual({
      kind: 'struct',
      fields: [{ name: 'a', type: { kind: 'json' } }],
    });
    expect(inferValuesType([[{ p: 1 }], [{ q: 1 }]])).toEqual({ kind: 'json' });
    expect(
      mergeColumnTypes(
        { x: { kind: 'list', item: { kind: 'utf8' } } },
        { x: { kind: 'list', item: { kind: 'bool' } } },
      ),
    ).toEqual({ x: { kind: 'json' } });
  });

  it('number arrays stay embeddings (list<float32>) as column values, lists of numbers inside', () => {
    expect(arrowType([[0.5, 1], []])).toBe('List<Float32>');
    expect(arrowType([{ v: [1, 2] }])).toBe('Struct<{v:List<Int64>}>');
    expect(arrowType([{ v: new Float32Array([1]) }])).toBe('Struct<{v:List<Float32>}>');
  });

  it(`values nested deeper than ${MAX_NESTING_DEPTH} levels are JSON text below that depth`, () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_NESTING_DEPTH + 2; i++) deep = { d: deep };
    let type = inferValuesType([deep]);
    let levels = 0;
    while (type.kind === 'struct') {
      type = type.fields[0]!.type;
      levels++;
    }
    expect(levels).toBe(MAX_NESTING_DEPTH);
    expect(type).toEqual({ kind: 'json' });
    const back = arrowTableToRows(rowsToArrowTable([{ x: deep }], ['x'])).rows;
    expect(back).toEqual([{ x: deep }]);
  });
});

describe('4 a run schema with nested types keeps every row group on the same types', () => {
  it('row groups merge nested types: a later group widens a field deep inside', () => {
    const first = inferColumnTypes([{ v: validation[0] }], ['v']);
    const later = inferColumnTypes([{ v: validation[1] }], ['v']);
    const merged = mergeColumnTypes(first, later);
    expect(merged).toEqual(inferColumnTypes([{ v: validation[0] }, { v: validation[1] }], ['v']));
    const table = rowsToArrowTable([{ v: validation[0] }], ['v'], merged);
    expect(String(table.schema.fields[0]?.type)).toBe(arrowType(validation));
  });

  it('a nested value that does not fit the fixed type is an INVALID_ARGUMENT naming its path', () => {
    const schema = inferColumnTypes([{ v: validation[1] }], ['v']);
    expect(() =>
      rowsToArrowTable([{ v: { is_valid: true, errors: 'none' } }], ['v'], schema),
    ).toThrow(/column "v.errors": expected an array.*got string/);
    expect(() =>
      rowsToArrowTable([{ v: { is_valid: true, errors: [{ line: 'x' }] } }], ['v'], schema),
    ).toThrow(/column "v.errors\[\].line": expected an integer/);
  });
});

describe('4 nested values come back as the values that went in', () => {
  it('rows -> Arrow IPC -> rows keeps every level, nulls at each level included', () => {
    const table = arrowTableFromIPC(arrowTableToIPC(rowsToArrowTable(rows, columns)));
    expect(arrowTableToRows(table).rows).toEqual(rows);
    expect(columnTypesOf(table).validation?.kind).toBe('struct');
  });

  it('rows -> Parquet -> parquet-wasm -> rows gives the same JS values', () => {
    const bytes = writeParquetBytes(rowsToArrowTable(rows, columns), { compression: 'zstd' });
    expect(arrowTableToRows(readParquetTable(bytes)).rows).toEqual(rows);
  });

  it('an independent reader (hyparquet) sees structs and lists, not JSON text', async () => {
    const bytes = writeParquetBytes(rowsToArrowTable(rows, columns), { compression: 'snappy' });
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const back = await parquetReadObjects({ file: file as ArrayBuffer, compressors, utf8: true });
    // hyparquet reads int64 as bigint (9.5, a float64, stays a number); all else is as written.
    const bigints = (v: unknown): unknown =>
      typeof v === 'number' && Number.isInteger(v)
        ? BigInt(v)
        : Array.isArray(v)
          ? v.map(bigints)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bigints(x)]))
            : v;
    const expected = bigints(rows);
    expect(back).toEqual(expected);
  });
});
