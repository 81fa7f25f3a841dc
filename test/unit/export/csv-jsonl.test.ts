import { describe, expect, it } from 'vitest';
import { dsvFormat } from 'd3-dsv';
import { csvHeader, csvRows } from '../../../src/core/export/csv.ts';
import { jsonlRows } from '../../../src/core/export/jsonl.ts';
import type { Row } from '../../../src/core/storage/types.ts';

const columns = ['text', 'n', 'big', 'ok', 'when', 'person', 'vec', 'none'];
const rows: Row[] = [
  {
    text: 'plain',
    n: 1.5,
    big: 12345678901234567890n,
    ok: true,
    when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    person: { first_name: 'Ada', age: 36 },
    vec: new Float32Array([0.5, -1]),
    none: null,
  },
  {
    text: 'a, "quoted"\r\nmultiline',
    n: 2,
    big: 7n,
    ok: false,
    when: null,
    person: null,
    vec: [1, 2],
    none: undefined,
  },
];

describe('SPEC 4 CSV export', () => {
  it('4 CSV is RFC 4180: quotes doubled, fields with , " CR LF quoted, CRLF records; an independent parser reads it back', () => {
    const text = csvHeader(columns) + csvRows(rows, columns);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = dsvFormat(',').parseRows(text.replace(/\r\n$/, ''));
    expect(parsed[0]).toEqual(columns);
    expect(parsed[2]![0]).toBe('a, "quoted"\r\nmultiline');
    expect(parsed.length).toBe(3);
  });

  it('4 CSV writes nested values as JSON, Dates as ISO 8601, bigints exactly, nulls empty', () => {
    const parsed = dsvFormat(',').parseRows(csvRows(rows, columns).replace(/\r\n$/, ''));
    const first = parsed[0]!;
    expect(first[1]).toBe('1.5');
    expect(first[2]).toBe('12345678901234567890');
    expect(first[3]).toBe('true');
    expect(first[4]).toBe('2024-01-02T03:04:05.000Z');
    expect(JSON.parse(first[5]!)).toEqual({ first_name: 'Ada', age: 36 });
    expect(JSON.parse(first[6]!)).toEqual([0.5, -1]);
    expect(first[7]).toBe('');
    expect(parsed[1]![4]).toBe('');
  });
});

describe('SPEC 4 JSONL export', () => {
  it('4 JSONL: one object per line, keys in column order, missing values null', () => {
    const lines = jsonlRows(rows, columns).split('\n');
    expect(lines.at(-1)).toBe('');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(columns);
    expect(first['when']).toBe('2024-01-02T03:04:05.000Z');
    expect(first['big']).toBe('12345678901234567890');
    expect(first['vec']).toEqual([0.5, -1]);
    const second = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(second['none']).toBeNull();
    expect(second['big']).toBe(7);
    expect(second['text']).toBe('a, "quoted"\r\nmultiline');
  });
});
