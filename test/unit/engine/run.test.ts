import { describe, expect, it } from 'vitest';
import { ErrorCodes, RunError, StoreError } from '../../../src/core/errors.ts';
import type { Progress, TaskTrace } from '../../../src/core/engine/events.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { PROGRESS_EVERY, PROGRESS_INTERVAL_MS } from '../../../src/core/engine/execution.ts';
import { FakeClock, flushMicrotasks } from '../../../src/core/clock.ts';
import { cellSeed, hashString } from '../../../src/core/random/seed.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import {
  cell,
  column,
  committedRows,
  deferred,
  FakeTransport,
  modelCell,
  options,
  plan,
  watchCommits,
} from './helpers.ts';

describe('3.7 commit and 3.10 observability', () => {
  it('commits each row group with its manifest; the admitted set is pruned on commit', async () => {
    const commits: [number, number, number][] = [];
    const progress: Progress[] = [];
    const store = new MemoryStore();
    const commit = store.commit.bind(store);
    store.commit = (g, m) => {
      commits.push([g.id, m.committed.length, m.rowsWritten]);
      return commit(g, m);
    };
    const p = plan([column('a', []), cell('b', ['a'], () => 1)], {
      numRecords: 2000,
      bufferSize: 100,
      maxConcurrentRowGroups: 3,
    });
    const r = await runEngine(options(p, { store, onProgress: (x) => progress.push(x) }));
    expect(commits.length).toBe(20);
    expect(commits.every(([, n, rows], i) => n === i + 1 && rows === (i + 1) * 100)).toBe(true);
    expect(Math.max(...progress.map((x) => x.activeRowGroups ?? 0))).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toMatchObject({
      rowsCommitted: 2000,
      rowsRequested: 2000,
      activeRowGroups: 0,
    });
    expect(progress.at(-1)!.columns['b']).toEqual({ done: 2000, failed: 0, skipped: 0 });
    // on commit and every PROGRESS_EVERY task completions, never per task
    expect(progress.length).toBeLessThanOrEqual(20 + Math.ceil(2020 / PROGRESS_EVERY) + 1);
    expect(await store.loadManifest('run-1')).toMatchObject({
      status: 'complete',
      rowsWritten: 2000,
      columns: ['a', 'b'],
    });
    expect(r).toMatchObject({
      runId: 'run-1',
      rowsWritten: 2000,
      rowsRequested: 2000,
      droppedRows: 0,
      stoppedEarly: false,
    });
  });

  it('3.7 row groups may finish out of order: the manifest lists them, and the output keeps, row order', async () => {
    const cells = Array.from({ length: 6 }, () => deferred<number>());
    const p = plan([cell('a', [], (ctx) => cells[ctx.rowIndex]!.promise)], {
      numRecords: 6,
      bufferSize: 2,
    });
    const o = options(p);
    const commits = watchCommits(o.store);
    const run = runEngine(o);
    const seen: number[][] = [];
    // Group 2 finishes first, then 0, then 1.
    for (const group of [2, 0, 1]) {
      cells[group * 2]!.resolve(group * 20);
      cells[group * 2 + 1]!.resolve(group * 20 + 10);
      await commits.committed(group);
      const manifest = await o.store.loadManifest('run-1');
      seen.push((manifest?.committed ?? []).map((c) => c.id));
    }
    await run;
    expect(seen).toEqual([[2], [0, 2], [0, 1, 2]]);
    expect((await committedRows(o.store)).map((r) => r['a'])).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('3.10 a slow model reports progress while it runs, before its row group commits', async () => {
    const clock = new FakeClock();
    // 40 cells, 4 at a time, 100 ms each on the clock: 1 s before the only commit.
    const t = new FakeTransport(async () => {
      await clock.sleep(100);
      return 'ok';
    });
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 40, bufferSize: 40 },
      { models: [{ key: 'm', maxParallelRequests: 4, label: 'p/m' }] },
    );
    const progress: Progress[] = [];
    const run = runEngine(
      options(p, { clock, transports: new Map([['m', t]]), onProgress: (x) => progress.push(x) }),
    );
    let settled = false;
    void run.finally(() => (settled = true)).catch(() => {});
    for (let i = 0; !settled && i < 10_000; i++) {
      if (!(await clock.runNext())) await flushMicrotasks();
    }
    expect((await run).rowsWritten).toBe(40);
    const before = progress.filter((x) => x.rowsCommitted === 0);
    // one report per PROGRESS_INTERVAL_MS of the second it ran
    expect(before.length).toBeGreaterThanOrEqual(Math.floor(1000 / PROGRESS_INTERVAL_MS) - 1);
    const done = before.map((x) => x.columns['x']!.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBeGreaterThan(0);
    expect(before.some((x) => x.requestsInFlight > 0)).toBe(true);
  });

  it('records task traces only when the trace setting is on', async () => {
    const traces: TaskTrace[] = [];
    const t = new FakeTransport();
    const models = [{ key: 'm', maxParallelRequests: 2, label: 'p/m' }];
    const gens = () => [column('a', []), modelCell('b', ['a'], 'm')];
    await runEngine(
      options(plan(gens(), { numRecords: 2, bufferSize: 2 }, { models }), {
        transports: new Map([['m', t]]),
        onTrace: (x) => traces.push(x),
      }),
    );
    expect(traces).toEqual([]);
    await runEngine(
      options(plan(gens(), { numRecords: 2, bufferSize: 2, trace: true }, { models }), {
        transports: new Map([['m', t]]),
        onTrace: (x) => traces.push(x),
      }),
    );
    expect(traces.map((x) => [x.column, x.kind, x.row, x.status, x.model ?? null])).toEqual([
      ['a', 'from_scratch', null, 'ok', null],
      ['b', 'cell', 0, 'ok', 'p/m'],
      ['b', 'cell', 1, 'ok', 'p/m'],
    ]);
  });
});

describe('cancellation and resume', () => {
  it('cancel rejects with RUN_CANCELLED, commits nothing further and aborts running model calls', async () => {
    const ac = new AbortController();
    const aborted: boolean[] = [];
    const t = new FakeTransport((req) =>
      Number(req.messages[0]!.content.split(' ')[1]) < 2
        ? 'ok'
        : new Promise((_, reject) =>
            req.signal!.addEventListener('abort', () => {
              aborted.push(true);
              reject(new RunError(ErrorCodes.RUN_CANCELLED, 'aborted'));
            }),
          ),
    );
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 6, bufferSize: 2 },
      { models: [{ key: 'm', maxParallelRequests: 8, label: 'p/m' }] },
    );
    const o = options(p, { transports: new Map([['m', t]]), signal: ac.signal });
    const commits = watchCommits(o.store);
    const run = runEngine(o);
    await commits.committed(0);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    ac.abort();
    await expect(run).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    expect(aborted).toEqual([true, true, true, true]);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    expect((await o.store.loadManifest('run-1'))?.status).toBe('cancelled');
  });

  it('resume skips committed row groups and ends with exactly the requested rows', async () => {
    const ac = new AbortController();
    const gate = deferred<number>();
    const first = plan([cell('a', [], (c) => (c.rowIndex < 3 ? c.rowIndex : gate.promise))], {
      numRecords: 9,
      bufferSize: 3,
      maxConcurrentRowGroups: 1,
    });
    const o = options(first, { signal: ac.signal });
    const commits = watchCommits(o.store);
    const run = runEngine(o);
    await commits.committed(0);
    ac.abort();
    await expect(run).rejects.toMatchObject({ code: 'RUN_CANCELLED' });
    const called: number[] = [];
    const again = plan([cell('a', [], (c) => (called.push(c.rowIndex), c.rowIndex))], {
      numRecords: 9,
      bufferSize: 3,
    });
    const r = await runEngine(options(again, { store: o.store, resume: true }));
    expect(called).toEqual([3, 4, 5, 6, 7, 8]);
    expect(r.rowsWritten).toBe(9);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('resume refuses a changed config', async () => {
    const o = options(plan([column('a', [])], { numRecords: 3 }));
    await runEngine(o);
    await expect(runEngine({ ...o, configHash: 'other', resume: true })).rejects.toMatchObject({
      code: 'RUN_CONFIG_CHANGED',
      message: expect.stringContaining('the config changed since the run started'),
    });
  });
});

describe('4 storage full', () => {
  it('a store that fails a commit stops the run with its error; what was committed stays', async () => {
    const store = new MemoryStore();
    const commit = store.commit.bind(store);
    store.commit = (g, m) =>
      g.id === 1
        ? Promise.reject(new StoreError(ErrorCodes.STORE_QUOTA, 'storage is full'))
        : commit(g, m);
    const p = plan([column('a', [])], { numRecords: 9, bufferSize: 3, maxConcurrentRowGroups: 1 });
    await expect(runEngine(options(p, { store }))).rejects.toMatchObject({ code: 'STORE_QUOTA' });
    expect(store.committedGroupIds('run-1')).toEqual([0]);
    expect(await store.loadManifest('run-1')).toMatchObject({ status: 'failed', rowsWritten: 3 });
  });
});

describe('3.9 sequential mode', () => {
  it('runs one generator at a time over one row group at a time', async () => {
    const log: string[] = [];
    const running = new Set<string>();
    let overlap = false;
    const g = (name: string, up: string[]) =>
      cell(name, up, async (c) => {
        running.add(name);
        if (running.size > 1) overlap = true;
        log.push(`${Math.floor(c.rowIndex / 2)}${name}`);
        await Promise.resolve(); // an async gap: the task settles in a later turn
        running.delete(name);
        return 1;
      });
    const p = plan([g('a', []), g('b', []), g('c', ['a'])], {
      numRecords: 4,
      bufferSize: 2,
      mode: 'sequential',
    });
    await runEngine(options(p));
    expect(overlap).toBe(false);
    expect(log).toEqual(['0a', '0a', '0b', '0b', '0c', '0c', '1a', '1a', '1b', '1b', '1c', '1c']);
  });
});

describe('skip and seeds', () => {
  it('skip.when gives the skip value without a task; propagate_skip skips downstream cells', async () => {
    let calls = 0;
    const p = plan(
      [
        column('n', []),
        cell('a', ['n'], () => 'A', {
          skipWhen: (row) => (row['n'] as number) % 2 === 1,
          skipValue: 'skipped',
        }),
        cell('b', ['a'], () => (calls++, 'B'), { propagateSkip: true }),
        cell('c', ['a'], () => 'C'),
      ],
      { numRecords: 4, bufferSize: 4 },
    );
    const progress: Progress[] = [];
    const o = options(p, { onProgress: (x) => progress.push(x) });
    await runEngine(o);
    expect(await committedRows(o.store)).toEqual([
      { n: 0, a: 'A', b: 'B', c: 'C' },
      { n: 1, a: 'skipped', b: null, c: 'C' },
      { n: 2, a: 'A', b: 'B', c: 'C' },
      { n: 3, a: 'skipped', b: null, c: 'C' },
    ]);
    expect(calls).toBe(2);
    expect(progress.at(-1)!.columns['a']).toEqual({ done: 2, failed: 0, skipped: 2 });
  });

  it('1 a whole-column generator runs on its rows that are not skipped; its skipped rows get skip.value and are traced as skipped', async () => {
    const batches: number[][] = [];
    const traces: TaskTrace[] = [];
    const p = plan(
      [
        column('n', []),
        column('e', ['n'], (ctx, i) => `e${String(ctx.rowIndices[i])}`, {
          skipWhen: (row) => (row['n'] as number) % 2 === 1,
          skipValue: 'S',
        }),
        column(
          'f',
          ['e'],
          (ctx, i) => {
            if (i === 0) batches.push([...ctx.rowIndices]);
            return 'F';
          },
          { propagateSkip: true },
        ),
      ],
      { numRecords: 4, bufferSize: 4, trace: true },
    );
    const o = options(p, { onTrace: (t) => traces.push(t) });
    const r = await runEngine(o);
    expect((await committedRows(o.store)).map((x) => [x['e'], x['f']])).toEqual([
      ['e0', 'F'],
      ['S', null],
      ['e2', 'F'],
      ['S', null],
    ]);
    // f reads e, whose rows 1 and 3 were skipped: propagate_skip skips them too.
    expect(batches).toEqual([[0, 2]]);
    expect(
      traces.filter((t) => t.status === 'skipped').map((t) => [t.column, t.row, t.kind]),
    ).toEqual([
      ['e', 1, 'batch'],
      ['e', 3, 'batch'],
      ['f', 1, 'batch'],
      ['f', 3, 'batch'],
    ]);
    expect(r.rowsWritten).toBe(4);
  });

  it('a cell seed is cellSeed(run seed, hash(generator), global row), whatever the buffer size', async () => {
    const seeds = async (bufferSize: number) => {
      const o = options(
        plan([cell('a', [], (c) => c.seed)], { numRecords: 7, bufferSize, seed: 42 }),
      );
      await runEngine(o);
      return (await committedRows(o.store)).map((r) => r['a']);
    };
    const expected = [...Array(7).keys()].map((r) => cellSeed(42, hashString('a'), r));
    expect(await seeds(3)).toEqual(expected);
    expect(await seeds(7)).toEqual(expected);
  });
});
