import { describe, expect, it } from 'vitest';
import {
  columnsToArrowTable,
  rowsToArrowTable,
  arrowTableToIPC,
  arrowTableFromIPC,
} from '../../../src/core/export/arrow.ts';
import { arrowTableToRows, columnTypesOf } from '../../../src/core/export/arrow-read.ts';
import {
  inferColumnTypes,
  inferValuesType,
  mergeColumnTypes,
} from '../../../src/core/export/column-types.ts';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';

const typeOf = (rows: Record<string, unknown>[], column = 'x') =>
  String(rowsToArrowTable(rows, [column]).schema.fields[0]?.type);

describe('4 export types: one Arrow type per column kind', () => {
  it('safe integers become int64, and any fraction makes the column float64', () => {
    expect(typeOf([{ x: 1 }, { x: -7 }, { x: null }])).toBe('Int64');
    expect(typeOf([{ x: 1 }, { x: 2.5 }])).toBe('Float64');
    expect(typeOf([{ x: 10n }, { x: 3 }])).toBe('Int64');
  });

  it('strings are plain utf8, never dictionaries', () => {
    expect(typeOf([{ x: 'a' }, { x: 'a' }, { x: 'b' }])).toBe('Utf8');
  });

  it('booleans, Dates (ms timestamps) and all-null columns', () => {
    expect(typeOf([{ x: true }, { x: false }])).toBe('Bool');
    expect(typeOf([{ x: new Date(0) }])).toBe('Timestamp<MILLISECOND>');
    expect(typeOf([{ x: null }, {}])).toBe('Utf8');
  });

  it('objects with the same scalar fields become a struct (person, judge scores)', () => {
    const rows = [
      { x: { score: 4, reasoning: 'clear' } },
      { x: { score: 2, reasoning: null } },
      { x: null },
    ];
    expect(typeOf(rows)).toBe('Struct<{score:Int64, reasoning:Utf8}>');
  });

  it('a struct field holding an array of one kind is a list inside the struct', () => {
    expect(typeOf([{ x: { is_valid: false, errors: ['bad'] } }])).toBe(
      'Struct<{is_valid:Bool, errors:List<Utf8>}>',
    );
  });

  it('Float32Array and number[] embeddings become list<float32>', () => {
    expect(typeOf([{ x: new Float32Array([1, 2]) }, { x: [0.5] }])).toBe('List<Float32>');
  });

  it('mixed kinds, mixed array items and objects of varying shape become JSON strings', () => {
    expect(columnTypesOf(rowsToArrowTable([{ x: 1 }, { x: 'a' }], ['x']))).toEqual({
      x: { kind: 'json' },
    });
    expect(typeOf([{ x: [[1], ['a']] }])).toBe('Utf8');
    expect(typeOf([{ x: [[1], [2]] }])).toBe('List<List<Int64>>');
    expect(inferColumnTypes([{ x: { a: 1 } }, { x: { b: 1 } }], ['x'])).toEqual({
      x: { kind: 'json' },
    });
  });
});

describe('rows come back as the values that went in', () => {
  it('round-trips every kind through Arrow IPC, nulls included', () => {
    const rows = [
      {
        i: 1,
        big: 2n ** 60n,
        f: 0.25,
        s: 'naïve 🐍',
        b: true,
        t: new Date(Date.UTC(2024, 1, 29, 12)),
        p: { first_name: 'Ada', age: 36 },
        e: new Float32Array([0.5, -1]),
        j: { nested: [1, { a: 'b' }] },
      },
      { i: null, big: null, f: null, s: null, b: null, t: null, p: null, e: null, j: null },
      {
        i: 3,
        big: 7n,
        f: -1e300,
        s: '',
        b: false,
        t: new Date(0),
        p: { first_name: 'Bo', age: null },
        e: [2],
        j: [1, 'x'],
      },
    ];
    const columns = Object.keys(rows[0]!);
    const table = arrowTableFromIPC(arrowTableToIPC(rowsToArrowTable(rows, columns)));
    const back = arrowTableToRows(table);
    expect(back.columns).toEqual(columns);
    expect(back.rows).toEqual([rows[0], rows[1], { ...rows[2], e: new Float32Array([2]) }]);
  });

  it('keeps column order as given, not as the rows list keys', () => {
    const t = rowsToArrowTable([{ a: 1, b: 2 }], ['b', 'a']);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['b', 'a']);
  });
});

describe('a fixed schema keeps every row group of a run on the same types', () => {
  it('an all-null group written with the run schema keeps the column types', () => {
    const schema = inferColumnTypes([{ x: 1, y: { a: true } }], ['x', 'y']);
    const t = rowsToArrowTable([{ x: null, y: null }], ['x', 'y'], schema);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Int64', 'Struct<{a:Bool}>']);
  });

  it('integers fit a float64 schema', () => {
    const t = rowsToArrowTable([{ x: 3 }], ['x'], { x: { kind: 'float64' } });
    expect(arrowTableToRows(t).rows).toEqual([{ x: 3 }]);
  });

  it('a value that does not fit the fixed type is an INVALID_ARGUMENT naming the column', () => {
    let caught: unknown;
    try {
      rowsToArrowTable([{ score: 'high' }], ['score'], { score: { kind: 'int64', js: 'number' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TabsynthError);
    expect((caught as TabsynthError).code).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect((caught as TabsynthError).message).toMatch(
      /column "score": expected an integer.*got string/,
    );
  });

  it('a late value of another kind still widens a column after many of one kind', () => {
    const many = (v: unknown, last: unknown) => [
      ...Array.from({ length: 50 }, () => ({ x: v })),
      { x: last },
    ];
    expect(inferColumnTypes(many(1, 2.5), ['x']).x).toEqual({ kind: 'float64' });
    expect(inferColumnTypes(many(2n, 3), ['x']).x).toEqual({ kind: 'int64', js: 'bigint' });
    expect(inferColumnTypes(many(1, 2 ** 60), ['x']).x).toEqual({ kind: 'float64' });
    expect(inferColumnTypes(many('a', 1), ['x']).x).toEqual({ kind: 'json' });
    expect(inferColumnTypes(many(new Date(0), 'x'), ['x']).x).toEqual({ kind: 'json' });
    expect(inferColumnTypes(many(true, null), ['x']).x).toEqual({ kind: 'bool' });
  });

  it('64-bit columns keep negative, large and pre-1970 values and non-ASCII text exactly', () => {
    const ints = [0, -1, 2 ** 32, -(2 ** 40) - 7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const dates = [new Date(-86_400_000 * 400 - 1), new Date(0), new Date(8.64e15), new Date(NaN)];
    const texts = ['plain', 'café', '東京', 'a\u{1F600}b', ''];
    const rows = ints.map((x, i) => ({
      x,
      d: dates[i % 4],
      t: texts[i % 5],
      b: BigInt(x) * 1000n,
    }));
    const back = arrowTableToRows(
      arrowTableFromIPC(arrowTableToIPC(rowsToArrowTable(rows, ['x', 'd', 't', 'b']))),
    ).rows;
    expect(back.map((r) => r['x'])).toEqual(ints);
    expect(back.map((r) => (r['d'] as Date | null)?.getTime() ?? null)).toEqual(
      rows.map((r) => (Number.isNaN(r.d!.getTime()) ? null : r.d!.getTime())),
    );
    expect(back.map((r) => r['t'])).toEqual(rows.map((r) => r.t));
    expect(back.map((r) => r['b'])).toEqual(rows.map((r) => r.b));
  });

  it('merging widens: null gives way, int64 becomes float64, conflicts become JSON', () => {
    const merged = mergeColumnTypes(
      { a: { kind: 'null' }, b: { kind: 'int64', js: 'number' }, c: { kind: 'utf8' } },
      { a: { kind: 'bool' }, b: { kind: 'float64' }, c: { kind: 'bool' }, d: { kind: 'utf8' } },
    );
    expect(merged).toEqual({
      a: { kind: 'bool' },
      b: { kind: 'float64' },
      c: { kind: 'json' },
      d: { kind: 'utf8' },
    });
  });
});

describe('4 column arrays build the same table as rows', () => {
  const rows = [
    { n: 1, f: 0.5, s: 'a', b: true, d: new Date(5), o: { k: 1 }, e: new Float32Array([1, 2]) },
    { n: null, f: 2, s: 'é', b: null, d: null, o: null, e: null },
    { n: -3, f: null, s: null, b: false, d: new Date(-5), o: { k: 2 }, e: [3] },
  ];
  const columns = ['n', 'f', 's', 'b', 'd', 'o', 'e', 'absent'];
  const byColumn = Object.fromEntries(
    columns.slice(0, -1).map((c) => [c, rows.map((r) => (r as Record<string, unknown>)[c])]),
  );

  it('columnsToArrowTable writes the bytes rowsToArrowTable writes, inferred or fixed types', () => {
    const fromRows = arrowTableToIPC(rowsToArrowTable(rows, columns));
    expect(arrowTableToIPC(columnsToArrowTable(rows.length, byColumn, columns))).toEqual(fromRows);
    const schema = { ...inferColumnTypes(rows, columns), n: { kind: 'float64' } as const };
    expect(arrowTableToIPC(columnsToArrowTable(3, byColumn, columns, schema))).toEqual(
      arrowTableToIPC(rowsToArrowTable(rows, columns, schema)),
    );
    for (const c of columns.slice(0, -1))
      expect(inferValuesType(byColumn[c]!)).toEqual(inferColumnTypes(rows, [c])[c]);
  });

  it('a column array of the wrong length is an INVALID_ARGUMENT naming the column', () => {
    expect(() => columnsToArrowTable(3, { n: [1, 2] }, ['n'])).toThrow(
      /column "n": expected 3 values \(one per row\), got 2/,
    );
  });
});
