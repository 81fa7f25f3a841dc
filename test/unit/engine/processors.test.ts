import { describe, expect, it } from 'vitest';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import type { PlanProcessor } from '../../../src/core/engine/plan.ts';
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

const identity = (stage: PlanProcessor['stage'], seen: number[][] = []): PlanProcessor => ({
  name: `${stage}-id`,
  stage,
  process: (b) => {
    seen.push([...b.rowIndices]);
    return b;
  },
});

describe('3.7 processors and commit', () => {
  for (const withPreBatch of [false, true]) {
    it(`the pre-batch gate exists only when configured (pre-batch: ${withPreBatch})`, async () => {
      const seed2 = deferred<string>();
      const seed2Running = deferred();
      let downstreamStarted = false;
      const p = plan(
        [
          cell('s1', [], () => 'a'),
          cell('s2', [], () => (seed2Running.resolve(), seed2.promise)),
          cell('d', ['s1'], () => (downstreamStarted = true)),
        ],
        { numRecords: 1, bufferSize: 1 },
        { processors: withPreBatch ? [identity('pre_batch')] : [] },
      );
      const run = runEngine(options(p));
      // s1 is done and s2 still running: d waits only behind a pre-batch gate.
      await seed2Running.promise;
      expect(downstreamStarted).toBe(!withPreBatch);
      seed2.resolve('b');
      await run;
      expect(downstreamStarted).toBe(true);
    });
  }

  it('a pre-batch processor runs for a row group whose root tasks succeeded only on retry', async () => {
    let tries = 0;
    const seen: number[][] = [];
    const p = plan(
      [
        cell('s', [], (c) => {
          if (c.rowIndex === 1 && ++tries === 1)
            throw new TabsynthError(ErrorCodes.MODEL_TIMEOUT, 'slow');
          return c.rowIndex;
        }),
        cell('d', ['s'], (c) => c.row['s']),
      ],
      { numRecords: 2, bufferSize: 2 },
      { processors: [identity('pre_batch', seen)] },
    );
    const r = await runEngine(options(p));
    expect(seen).toEqual([[0, 1]]);
    expect(r.rowsWritten).toBe(2);
  });

  it('rows dropped by a pre-batch processor are dropped in the tracker: no model call for them', async () => {
    const t = new FakeTransport();
    const p = plan(
      [column('id', []), modelCell('llm', ['id'], 'm')],
      { numRecords: 6, bufferSize: 6 },
      {
        models: [{ key: 'm', maxParallelRequests: 4, label: 'p/m' }],
        processors: [
          {
            name: 'evens',
            stage: 'pre_batch',
            process: (b) => {
              const keep = b.rowIndices
                .map((ri, i) => [ri, i] as const)
                .filter(([ri]) => ri % 2 === 0);
              return {
                rowIndices: keep.map(([ri]) => ri),
                rows: keep.map(([, i]) => ({ ...b.rows[i], tag: 'kept' })),
              };
            },
          },
        ],
      },
    );
    const o = options(p, { transports: new Map([['m', t]]) });
    const r = await runEngine(o);
    expect(t.calls.map((c) => c.messages[0]!.content)).toEqual(['llm 0', 'llm 2', 'llm 4']);
    expect([r.rowsWritten, r.droppedRows]).toEqual([3, 3]);
    expect((await committedRows(o.store)).map((x) => x['id'])).toEqual([0, 2, 4]);
  });

  it('3.7 a processor that fails stops the run at its first failure, naming the processor and the row group; committed groups stay and resume', async () => {
    // Changed with Data Designer's current rule: a failing post-batch processor used to
    // drop its row group while the run went on.
    const calls: number[] = [];
    const picky: PlanProcessor = {
      name: 'picky',
      stage: 'post_batch',
      process: (b) => {
        if (b.rowIndices[0] === 3) throw new Error('no');
        return { rowIndices: b.rowIndices, rows: b.rows.map((r) => ({ ...r, extra: 'x' })) };
      },
    };
    const p = plan(
      [cell('a', [], (c) => (calls.push(c.rowIndex), c.rowIndex))],
      { numRecords: 9, bufferSize: 3, maxConcurrentRowGroups: 1 },
      { processors: [picky] },
    );
    const o = options(p);
    await expect(runEngine(o)).rejects.toMatchObject({
      code: 'PROCESSOR_FAILED',
      message: expect.stringContaining('processor "picky" (post_batch) failed on row group 1: no'),
    });
    // Group 2 was never started: no more generation once the processor failed.
    expect(calls).toEqual([0, 1, 2, 3, 4, 5]);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    const m = await o.store.loadManifest('run-1');
    expect(m?.status).toBe('failed');
    expect(m?.firstErrors[0]).toMatchObject({ code: 'PROCESSOR_FAILED' });
    expect(await committedRows(o.store)).toEqual([
      { a: 0, extra: 'x' },
      { a: 1, extra: 'x' },
      { a: 2, extra: 'x' },
    ]);
    // Resumable: once the processor is fixed, the run continues from its committed group.
    const fixed = plan(
      [cell('a', [], (c) => c.rowIndex)],
      { numRecords: 9, bufferSize: 3 },
      { processors: [{ ...picky, process: (b) => b }] },
    );
    const r = await runEngine(options(fixed, { store: o.store, resume: true }));
    expect(r.rowsWritten).toBe(9);
    expect(o.store.committedGroupIds('run-1')).toEqual([0, 1, 2]);
  });

  it('3.7 a pre-batch processor that fails stops the run, naming the processor and the row group', async () => {
    const t = new FakeTransport();
    const p = plan(
      [column('id', []), modelCell('llm', ['id'], 'm')],
      { numRecords: 6, bufferSize: 3, maxConcurrentRowGroups: 1 },
      {
        models: [{ key: 'm', maxParallelRequests: 4, label: 'p/m' }],
        processors: [
          {
            name: 'gate',
            stage: 'pre_batch',
            process: (b) => {
              if (b.rowIndices[0] === 3) throw new Error('bad batch');
              return b;
            },
          },
        ],
      },
    );
    const o = options(p, { transports: new Map([['m', t]]) });
    await expect(runEngine(o)).rejects.toMatchObject({
      code: 'PROCESSOR_FAILED',
      message: expect.stringContaining('processor "gate" (pre_batch) failed on row group 1'),
    });
    expect(t.calls.map((c) => c.messages[0]!.content)).toEqual(['llm 0', 'llm 1', 'llm 2']);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    expect((await o.store.loadManifest('run-1'))?.status).toBe('failed');
  });

  it('drop: true columns are removed before commit; every other column stays in config order', async () => {
    const p = plan(
      [column('hidden', []), cell('shown', ['hidden'], (c) => `v${String(c.row['hidden'])}`)],
      { numRecords: 2, bufferSize: 2 },
      { droppedColumns: ['hidden'] },
    );
    const o = options(p);
    await runEngine(o);
    const g = await o.store.readRowGroup('run-1', 0);
    expect(g.columns).toEqual(['shown']);
    expect(g.rows).toEqual([{ shown: 'v0' }, { shown: 'v1' }]);
  });

  it('a row group whose rows were all dropped commits nothing; output keeps row order by row group', async () => {
    const slow = deferred<number>();
    const p = plan(
      [
        cell('a', [], (c) => {
          if (c.rowIndex < 2) return slow.promise; // group 0 finishes last
          if (c.rowIndex < 4) throw new TabsynthError(ErrorCodes.MODEL_BAD_RESPONSE, 'x'); // group 1 all dropped
          return c.rowIndex;
        }),
      ],
      { numRecords: 6, bufferSize: 2, disableEarlyShutdown: true },
    );
    const o = options(p);
    const commits = watchCommits(o.store);
    const run = runEngine(o);
    await commits.committed(2);
    expect(o.store.committedGroupIds('run-1')).toEqual([2]);
    slow.resolve(9);
    const r = await run;
    expect(o.store.committedGroupIds('run-1')).toEqual([0, 2]);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([9, 9, 4, 5]);
    expect([r.rowsWritten, r.droppedRows]).toEqual([4, 2]);
    expect((await o.store.loadManifest('run-1'))?.committed.map((c) => c.id)).toEqual([0, 2]);
  });
});
