/**
 * SPEC 6 merge when the shards saw different types for a column: a column all null
 * in one shard's groups and numbers (or objects) in another's, or numbers in one and
 * text in another. `merge --out` writes one file with one schema, the one a single
 * process writes for the same groups; without --out, merge says the part files do
 * not share a schema (a reader of DIR/part-*.parquet may refuse them) and how to get
 * one file that does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { mergeCommand } from '../../../src/cli/merge.ts';
import { DirectoryStore } from '../../../src/node/directory-store.ts';
import { writeSingleParquet } from '../../../src/node/single-parquet.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { readParquet } from '../compat/cli-run.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-merge-types-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SIZE = 2;

function manifest(ids: number[], status: RunManifest['status'] = 'complete'): RunManifest {
  return {
    runId: 'run',
    config: {},
    configHash: 'h',
    seed: 1,
    numRecords: 3 * SIZE,
    bufferSize: SIZE,
    columns: ['n', 'x'],
    committed: ids.map((id) => ({ id, rows: SIZE, dropped: 0 })),
    rowsWritten: ids.length * SIZE,
    droppedRows: 0,
    firstErrors: [],
    status,
    createdAt: 0,
    updatedAt: 0,
  };
}

function group(id: number, x: unknown[]): RowGroupData {
  const rowIndices = x.map((_, i) => id * SIZE + i);
  return {
    id,
    firstRow: id * SIZE,
    rowIndices,
    columns: ['n', 'x'],
    rows: x.map((v, i) => ({ n: id * SIZE + i, x: v })),
  };
}

/** Group g's x values: group 0 and 2 belong to shard 0 of 2, group 1 to shard 1. */
type Case = [label: string, x: [unknown[], unknown[], unknown[]]];
const CASES: Case[] = [
  [
    'all null in shard 0, whole numbers in shard 1',
    [
      [null, null],
      [1, 2],
      [null, null],
    ],
  ],
  [
    'numbers in shard 0, text in shard 1',
    [
      [1, 2],
      ['a', 'b'],
      [3, null],
    ],
  ],
  [
    'all null in shard 0, objects in shard 1',
    [
      [null, null],
      [{ a: 1 }, { a: 2 }],
      [null, null],
    ],
  ],
];

/** The one-process run of the same groups, exported as one file. */
async function singleFile(xs: Case[1]): Promise<string> {
  const store = new DirectoryStore({ root: join(dir, 'single.run'), layout: 'single' });
  const ids: number[] = [];
  for (const [id, x] of xs.entries()) {
    ids.push(id);
    await store.commit(group(id, x), manifest(ids, 'running'));
  }
  await store.saveManifest(manifest(ids));
  const out = join(dir, 'single.parquet');
  await writeSingleParquet(store, 'run', out);
  return out;
}

async function writeShards(xs: Case[1]): Promise<string> {
  const shared = join(dir, 'shared');
  for (const k of [0, 1]) {
    const store = new DirectoryStore({
      root: shared,
      layout: 'single',
      manifestFile: `manifest.shard-${k}-of-2.json`,
    });
    const ids: number[] = [];
    for (const [id, x] of xs.entries()) {
      if (id % 2 !== k) continue;
      ids.push(id);
      await store.commit(group(id, x), manifest(ids, 'running'));
    }
    await store.saveManifest(manifest(ids));
  }
  return shared;
}

async function merge(shared: string, out?: string) {
  const lines = { out: [] as string[], err: [] as string[] };
  const code = await mergeCommand(
    shared,
    { out },
    { out: (t) => lines.out.push(t), err: (t) => lines.err.push(t) },
  );
  return { code, ...lines };
}

async function schemaOf(path: string) {
  const bytes = await readFile(path);
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
    .schema;
}

describe('SPEC 6 merge of shards whose column types differ', () => {
  for (const [label, xs] of CASES) {
    it(`--out writes one schema, the one-process file's: ${label}`, async () => {
      const expected = await singleFile(xs);
      const shared = await writeShards(xs);
      const out = join(dir, 'merged.parquet');
      const merged = await merge(shared, out);
      expect(merged.code, merged.err.join('\n')).toBe(0);
      expect(await schemaOf(out)).toEqual(await schemaOf(expected));
      expect(await readParquet(out)).toEqual(await readParquet(expected));
    });
  }

  it('without --out, merge says which columns the part files disagree on, and how to get one schema', async () => {
    const merged = await merge(await writeShards(CASES[0]![1]));
    expect(merged.code).toBe(0);
    expect(merged.err.join('\n')).toMatch(
      /warning: the part files do not share one schema: column x is .* in part-00000\.parquet, .* in part-00001\.parquet.*tabsynth merge .* --out FILE\.parquet/s,
    );
  });

  it('without --out, shards that agree on every type merge with no warning', async () => {
    const merged = await merge(
      await writeShards([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    expect(merged.code).toBe(0);
    expect(merged.err).toEqual([]);
  });
});
