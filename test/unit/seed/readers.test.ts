/**
 * Seed file readers (SPEC 1, seed-dataset): CSV with RFC 4180 quoting and one
 * inferred type per column, JSONL / JSON, and Parquet written by the project's
 * own exporter then read back through hyparquet.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.ts';
import { rowsToArrowTable } from '../../../src/core/export/arrow.ts';
import { writeParquetBytes } from '../../../src/core/export/parquet.ts';
import { readSeedDataset } from '../../../src/core/seed/read.ts';
import type { SeedDataset } from '../../../src/core/seed/types.ts';
import { initParquetNode } from '../../../src/node/parquet-init.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const read = (name: string, text: string) => readSeedDataset({ name, bytes: encode(text) });
const column = (d: SeedDataset, c: string) => d.values.get(c);

async function readError(name: string, bytes: Uint8Array): Promise<ConfigError> {
  const err: unknown = await readSeedDataset({ name, bytes }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('CSV seed files', () => {
  it('RFC 4180 quoting: commas, doubled quotes and newlines inside quoted fields', async () => {
    const d = await read(
      'q.csv',
      'id,text\r\n1,"a, b"\r\n2,"she said ""hi"""\r\n3,"two\nlines"\r\n',
    );
    expect(d.columns).toEqual(['id', 'text']);
    expect(d.rowCount).toBe(3);
    expect(column(d, 'text')).toEqual(['a, b', 'she said "hi"', 'two\nlines']);
  });

  it('one type per column: numbers, booleans, text; an empty cell is null', async () => {
    const d = await read(
      't.csv',
      '\ufeffn,flag,mixed,zip,big\n1,true,1,02134,9007199254740993\n2.5,FALSE,x,,1\n,,,10001,2\n',
    );
    expect(column(d, 'n')).toEqual([1, 2.5, null]);
    expect(column(d, 'flag')).toEqual([true, false, null]);
    // one non-number makes the whole column text
    expect(column(d, 'mixed')).toEqual(['1', 'x', null]);
    expect(column(d, 'zip')).toEqual([2134, null, 10001]);
    // an integer past 2^53 would lose digits as a number: the column stays text
    expect(column(d, 'big')).toEqual(['9007199254740993', '1', '2']);
  });

  it('short rows are padded with null, blank lines skipped, an empty header named as pandas does', async () => {
    const d = await read('p.csv', ',a,b\n0,x\n\n1,y,z\n');
    expect(d.columns).toEqual(['Unnamed: 0', 'a', 'b']);
    expect(column(d, 'b')).toEqual([null, 'z']);
    expect(d.rowCount).toBe(2);
  });

  it('a record with more fields than the header is an error naming the file and record', async () => {
    const err = await readError('wide.csv', encode('a,b\n1,2\n3,4,5\n'));
    expect(err.issues[0]!.path).toBe('seed_config.source.path');
    expect(err.issues[0]!.message).toMatch(/wide\.csv.*record 3 has 3 fields, expected at most 2/);
  });

  it('duplicate header names and an empty file are errors', async () => {
    expect((await readError('d.csv', encode('a,a\n1,2\n'))).message).toMatch(/'a' appears twice/);
    expect((await readError('e.csv', encode(''))).message).toMatch(/expected a header row/);
  });

  it('a quoted field never closed is an error naming the file and line, not the rest of the file as one cell', async () => {
    const err = await readError('u.csv', encode('a,b\n"x\ny",2\n"abc,3\n4,5\n'));
    expect(err.issues[0]!.message).toMatch(
      /u\.csv.*line 4 opens a quoted field that is never closed/,
    );
    // A quote inside an unquoted field is text, as pandas reads it.
    const d = await read('inch.csv', 'size,n\n5" screen,1\n');
    expect(column(d, 'size')).toEqual(['5" screen']);
  });
});

describe('JSON seed files', () => {
  it('JSONL: one object per line, keys in first-seen order, missing keys null, JSON types kept', async () => {
    const d = await read(
      'r.jsonl',
      '{"a": 1, "b": "x"}\n\n{"b": "y", "c": [1, 2], "a": null}\r\n{"c": {"k": true}}\n',
    );
    expect(d.columns).toEqual(['a', 'b', 'c']);
    expect(column(d, 'a')).toEqual([1, null, null]);
    expect(column(d, 'b')).toEqual(['x', 'y', null]);
    expect(column(d, 'c')).toEqual([null, [1, 2], { k: true }]);
  });

  it('a bad JSONL line is an error naming its line', async () => {
    const bad = await readError('r.jsonl', encode('{"a": 1}\n{"a": \n'));
    expect(bad.message).toMatch(/r\.jsonl.*line 2 is not valid JSON/);
    const notObject = await readError('r.jsonl', encode('{"a": 1}\n[1]\n'));
    expect(notObject.message).toMatch(/line 2: expected a JSON object \(one row\), found an array/);
  });

  it('.json: an array of objects', async () => {
    const d = await read('r.json', '[{"a": 1}, {"a": 2, "b": false}]');
    expect(d.columns).toEqual(['a', 'b']);
    expect(column(d, 'b')).toEqual([null, false]);
  });

  it('an unknown extension and non-UTF-8 bytes are errors', async () => {
    expect((await readError('x.xlsx', encode('a'))).message).toMatch(
      /expected a \.csv.*found '\.xlsx'/,
    );
    expect((await readError('x.csv', new Uint8Array([0x61, 0xff, 0x0a]))).message).toMatch(
      /not UTF-8/,
    );
  });
});

describe('Parquet seed files', () => {
  beforeAll(() => initParquetNode());

  it('reads back what the exporter wrote: ints, floats, text, booleans, nulls', async () => {
    const rows = [
      { id: 1, score: 0.5, name: 'ada', ok: true },
      { id: 2, score: null, name: 'bo', ok: false },
      { id: 3, score: 2.25, name: null, ok: null },
    ];
    for (const compression of ['zstd', 'snappy', 'none'] as const) {
      const table = rowsToArrowTable(rows, ['id', 'score', 'name', 'ok']);
      const bytes = writeParquetBytes(table, { compression, rowGroupSize: 2 });
      const d = await readSeedDataset({ name: 'p.parquet', bytes });
      expect(d.columns).toEqual(['id', 'score', 'name', 'ok']);
      expect(d.rowCount).toBe(3);
      for (const c of d.columns) {
        expect(column(d, c)).toEqual(rows.map((r) => r[c as keyof (typeof rows)[0]]));
      }
    }
  });

  it('bytes that are not Parquet are an error naming the file', async () => {
    const err = await readError('broken.parquet', encode('PAR1 not really'));
    expect(err.message).toMatch(/broken\.parquet.*not a readable Parquet file/);
  });
});
