/**
 * The .parquet output written while the run runs: committed part files spliced in
 * row order whatever order they commit in, and a part whose schema differs (a later
 * group widened a type) stops the splice without leaving a partial file.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { copyFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryStore } from '../../../src/node/directory-store.ts';
import { StreamedParquet } from '../../../src/node/streamed-parquet.ts';
import type { Row, RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { readParquet } from '../compat/cli-run.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tabsynth-streamed-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Bytes of out.parquet's partial file (its hidden temp file), 0 when there is none yet. */
async function partialBytes(): Promise<number> {
  const tmp = (await readdir(root)).find(
    (n) => n.startsWith('.out.parquet.') && n.endsWith('.tmp'),
  );
  return tmp ? (await stat(join(root, tmp))).size : 0;
}

function group(id: number, rows: Row[]): RowGroupData {
  const rowIndices = rows.map((_, i) => id * 2 + i);
  return { id, firstRow: id * 2, rowIndices, columns: ['n', 'tag'], rows };
}

function manifestOf(groups: RowGroupData[]): RunManifest {
  return {
    runId: 'run',
    config: {},
    configHash: 'h',
    seed: 0,
    numRecords: 8,
    bufferSize: 2,
    columns: ['n', 'tag'],
    committed: groups.map((g) => ({ id: g.id, rows: g.rows.length, dropped: 0 })),
    rowsWritten: groups.reduce((n, g) => n + g.rows.length, 0),
    droppedRows: 0,
    firstErrors: [],
    status: 'running',
    createdAt: 0,
    updatedAt: 0,
  };
}

it('splices groups committed out of order into one file in row order; a group never committed is skipped at finish', async () => {
  const store = new DirectoryStore({ root, layout: 'single' });
  const out = join(root, 'out.parquet');
  const streamed = new StreamedParquet(store, 'run', out);
  const g = [0, 1, 3].map((id) =>
    group(id, [
      { n: id * 2, tag: `t${id}` },
      { n: id * 2 + 1, tag: `u${id}` },
    ]),
  );
  const committed: RowGroupData[] = [];
  const written: number[] = [];
  for (const i of [2, 0, 1]) {
    committed.push(g[i]!);
    await store.commit(g[i]!, manifestOf(committed));
    streamed.committed(g[i]!.id);
    written.push(await partialBytes());
  }
  // Written while the run runs: nothing for group 3 (groups before it are missing),
  // then group 0 as it commits, then group 1.
  expect(written[0]).toBe(0);
  expect(written[1]).toBeGreaterThan(0);
  expect(written[2]).toBeGreaterThan(written[1]!);
  // Group 2 never commits (all its rows dropped): the file waits at it until finish.
  expect(streamed.finish([3, 0, 1])).toBe(true);
  expect((await readParquet(out)).map((r) => Number(r['n']))).toEqual([0, 1, 2, 3, 6, 7]);
  await store.flush('run');
  expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

it('a part whose schema differs stops the splice: finish says so and leaves no file', async () => {
  const store = new DirectoryStore({ root: join(root, 'a'), layout: 'single' });
  const other = new DirectoryStore({ root: join(root, 'b'), layout: 'single' });
  const out = join(root, 'out.parquet');
  // Two stores, so the second part is written with its own (different) column types.
  const first = group(0, [{ n: 1, tag: 'a' }]);
  const second = group(1, [{ n: 1.5, tag: 'b' }]);
  await store.commit(first, manifestOf([first]));
  await other.commit(second, manifestOf([second]));
  await Promise.all([store.flush('run'), other.flush('run')]);
  await copyFile(other.partPath('run', 1), store.partPath('run', 1));
  const streamed = new StreamedParquet(store, 'run', out);
  streamed.committed(0);
  expect(await partialBytes()).toBeGreaterThan(0);
  streamed.committed(1);
  // Gone as soon as the splice stops, not at the end of the run.
  expect(streamed.failed).toBe(true);
  expect(await partialBytes()).toBe(0);
  expect(streamed.finish([0, 1])).toBe(false);
  expect(await readdir(root)).not.toContain('out.parquet');
  expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

it('a part that cannot be read stops the splice and removes the partial file at once', async () => {
  const store = new DirectoryStore({ root, layout: 'single' });
  const out = join(root, 'out.parquet');
  const streamed = new StreamedParquet(store, 'run', out);
  const g0 = group(0, [{ n: 0, tag: 'a' }]);
  await store.commit(g0, manifestOf([g0]));
  streamed.committed(0);
  expect(await partialBytes()).toBeGreaterThan(0);
  // Group 1 is announced but its part file is not there (a disk that lost it).
  streamed.committed(1);
  expect(streamed.failed).toBe(true);
  expect((await readdir(root)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  expect(streamed.finish([0, 1])).toBe(false);
  expect(await readdir(root)).not.toContain('out.parquet');
  await store.flush('run');
});
