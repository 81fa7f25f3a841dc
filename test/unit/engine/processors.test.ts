import { describe, expect, it } from 'vitest';
import { flushMicrotasks } from '../../../src/core/clock.ts';
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
      let downstreamStarted = false;
      const p = plan(
        [
          cell('s1', [], () => 'a'),
          cell('s2', [], () => seed2.promise),
          cell('d', ['s1'], () => (downstreamStarted = true)),
        ],
        { numRecords: 1, bufferSize: 1 },
        { processors: withPreBatch ? [identity('pre_batch')] : [] },
      );
      const run = runEngine(options(p));
      await flushMicrotasks();
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

  it('a failing post-batch processor drops its row group instead of committing unprocessed rows; the run goes on', async () => {
    const p = plan(
      [column('a', [])],
      { numRecords: 9, bufferSize: 3 },
      {
        processors: [
          {
            name: 'picky',
            stage: 'post_batch',
            process: (b) => {
              if (b.rowIndices[0] === 3) throw new Error('no');
              return { rowIndices: b.rowIndices, rows: b.rows.map((r) => ({ ...r, extra: 'x' })) };
            },
          },
        ],
      },
    );
    const o = options(p);
    const r = await runEngine(o);
    expect(o.store.committedGroupIds('run-1')).toEqual([0, 2]);
    expect(r.firstErrors[0]).toMatchObject({
      code: 'PROCESSOR_FAILED',
      message: expect.stringContaining('processor "picky" (post_batch) failed on row group 1: no'),
    });
    expect((await committedRows(o.store))[0]).toEqual({ a: 0, extra: 'x' });
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
    const run = runEngine(o);
    await flushMicrotasks(30);
    expect(o.store.committedGroupIds('run-1')).toEqual([2]);
    slow.resolve(9);
    const r = await run;
    expect(o.store.committedGroupIds('run-1')).toEqual([0, 2]);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([9, 9, 4, 5]);
    expect([r.rowsWritten, r.droppedRows]).toEqual([4, 2]);
    expect((await o.store.loadManifest('run-1'))?.committed.map((c) => c.id)).toEqual([0, 2]);
  });
});
