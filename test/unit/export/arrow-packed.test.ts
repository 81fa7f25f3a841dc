import { describe, expect, it } from 'vitest';
import { arrowTableToIPC, columnsToArrowTable } from '../../../src/core/export/arrow.ts';
import { packedToArrowTable } from '../../../src/core/export/arrow-packed.ts';
import { packColumns } from '../../../src/core/export/column-pack.ts';
import { inferColumnValuesTypes, mergeColumnTypes } from '../../../src/core/export/column-types.ts';
import type { ColumnTypes } from '../../../src/core/export/column-types.ts';

const COLUMNS: Record<string, unknown[]> = {
  ints: [1, -2, 0, 2 ** 40, -(2 ** 52)],
  floats: [0.5, Number.NaN, Infinity, -0, 3],
  dates: [new Date(0), new Date('2024-02-29T12:00:00Z'), new Date(-1), new Date(1e12), new Date(7)],
  flags: [true, null, false, true, undefined],
  ascii: ['north', null, '', 'a,"b"', 'x'],
  unicode: ['é', '\u{1F600} smile', null, '中文', 'ok'],
  split: ['a\uD83D', '\uDE00b', 'c', null, 'd'],
  lone: ['\uD800', 'x\uDFFF', 'y', 'z', ''],
  mixed: [1, 'one', null, 2, 'two'],
  objects: [{ score: 1 }, { score: 2 }, null, { score: 3 }, { score: 4 }],
  nulls: [null, null, null, null, null],
};
const names = Object.keys(COLUMNS);

/** The general path: the unpacked values, typed as `known` widened by them. */
function expected(known: ColumnTypes) {
  const types = mergeColumnTypes(known, inferColumnValuesTypes(COLUMNS, names));
  return { types, ipc: arrowTableToIPC(columnsToArrowTable(5, COLUMNS, names, types)) };
}

describe('issue 4 compute pool: a packed row group encodes like its values', () => {
  it('every packed kind gives the types and Arrow bytes of the unpacked values', () => {
    const { values } = packColumns(COLUMNS);
    const { table, types } = packedToArrowTable(5, values, names, {});
    const want = expected({});
    expect(types).toEqual(want.types);
    expect([...arrowTableToIPC(table)]).toEqual([...want.ipc]);
  });

  it('a column a run already widened (ints seen as floats, numbers as JSON) is written with the run type', () => {
    const known: ColumnTypes = {
      ints: { kind: 'float64' },
      floats: { kind: 'json' },
      ascii: { kind: 'json' },
    };
    const { values } = packColumns(COLUMNS);
    const { table, types } = packedToArrowTable(5, values, names, known);
    const want = expected(known);
    expect(types).toEqual(want.types);
    expect(types['ints']).toEqual({ kind: 'float64' });
    expect([...arrowTableToIPC(table)]).toEqual([...want.ipc]);
  });
});
