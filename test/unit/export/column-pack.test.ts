import { describe, expect, it } from 'vitest';
import { packColumn, unpackColumn } from '../../../src/core/export/column-pack.ts';
import type { PackedColumn } from '../../../src/core/export/column-pack.ts';

/** Packs, crosses a structured clone with the transfer list (as postMessage does), unpacks. */
function cross(values: readonly unknown[]): { kind: PackedColumn['kind']; back: unknown[] } {
  const { column, transfer } = packColumn(values);
  const received = structuredClone(column, { transfer });
  return { kind: column.kind, back: unpackColumn(received) };
}

describe('issue 4 compute pool: columns cross threads packed, values unchanged', () => {
  it('numbers cross as one transferred Float64Array, NaN and infinities included', () => {
    const values = [1, -2.5, 0, -0, Number.NaN, Infinity, -Infinity, 2 ** 53];
    const { column, transfer } = packColumn(values);
    expect(column.kind).toBe('number');
    expect(transfer).toHaveLength(1);
    expect(cross(values).back).toEqual(values);
  });

  it('strings cross as one joined string: empty strings, nulls and astral characters keep their place', () => {
    const values = ['', 'north', null, 'a\u{1F600}b', undefined, 'é\n,"', ''];
    const { kind, back } = cross(values);
    expect(kind).toBe('string');
    expect(back).toEqual(['', 'north', null, 'a\u{1F600}b', null, 'é\n,"', '']);
  });

  it('dates cross as epoch milliseconds and come back as equal Dates', () => {
    const values = [new Date(0), new Date('2024-02-29T12:34:56.789Z'), new Date(-86_400_000)];
    const { kind, back } = cross(values);
    expect(kind).toBe('date');
    expect(back.map((d) => (d as Date).toISOString())).toEqual(values.map((d) => d.toISOString()));
  });

  it('booleans cross as bytes with nulls', () => {
    const values = [true, false, null, true];
    expect(cross(values)).toEqual({ kind: 'bool', back: [true, false, null, true] });
  });

  it('a column that mixes types, holds objects, or numbers with nulls crosses as it is', () => {
    for (const values of [
      [1, 'a'],
      [{ score: 1 }, { score: 2 }],
      [1, null, 3],
      [new Date(0), null],
      [new Date(Number.NaN)],
      [null, null],
      [[0.5, 0.25]],
    ]) {
      const { kind, back } = cross(values);
      expect(kind).toBe('values');
      expect(back).toEqual(values);
    }
  });
});
