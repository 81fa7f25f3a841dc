import { describe, expect, it } from 'vitest';
import type { TaskTrace } from '../../../src/core/engine/events.ts';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import {
  Changes,
  cell,
  column,
  committedRows,
  deferred,
  options,
  plan,
  type Deferred,
} from './helpers.ts';

describe('3.3 admission', () => {
  it('splits rows into row groups of buffer_size rows, the last one smaller', async () => {
    const o = options(plan([column('a', [])], { numRecords: 25, bufferSize: 10 }));
    await runEngine(o);
    const m = await o.store.loadManifest('run-1');
    expect(m?.committed.map((c) => [c.id, c.rows])).toEqual([
      [0, 10],
      [1, 10],
      [2, 5],
    ]);
    expect((await committedRows(o.store)).map((r) => r['a'])).toEqual([...Array(25).keys()]);
  });

  it('admits at most max_concurrent_row_groups row groups at once', async () => {
    const gates: Deferred<string>[] = [];
    const groups = new Set<number>();
    const changes = new Changes();
    const p = plan(
      [
        cell('a', [], (ctx) => {
          groups.add(Math.floor(ctx.rowIndex / 5));
          const d = deferred<string>();
          gates.push(d);
          changes.notify();
          return d.promise;
        }),
      ],
      { numRecords: 30, bufferSize: 5, maxConcurrentRowGroups: 2 },
    );
    const run = runEngine(options(p));
    await changes.until(() => gates.length === 10);
    expect([...groups]).toEqual([0, 1]);
    // One cell at a time: a third group is admitted only once one of the two commits.
    for (let i = 0; i < 30; i++) {
      await changes.until(() => gates.length > i);
      expect(groups.size).toBeLessThanOrEqual(Math.floor(i / 5) + 2);
      gates[i]!.resolve('x');
    }
    expect((await run).rowsWritten).toBe(30);
    expect([...groups]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('root tasks: one per row of a per-cell root, one from_scratch per whole-column root', async () => {
    let cells = 0;
    let batches = 0;
    const p = plan(
      [
        cell('a', [], () => ++cells),
        column('b', [], () => 1, {
          generate: (ctx) => {
            batches++;
            return { columns: { b: ctx.rowIndices.map(() => 1) } };
          },
        }),
      ],
      { numRecords: 12, bufferSize: 5 },
    );
    await runEngine(options(p));
    expect([cells, batches]).toEqual([12, 3]);
  });
});

describe('3.4 readiness', () => {
  it("a per-cell column runs for a row as soon as that row's upstream cells are done", async () => {
    const a = [deferred<string>(), deferred<string>()];
    const bRows: number[] = [];
    const changes = new Changes();
    const p = plan(
      [
        cell('a', [], (ctx) => a[ctx.rowIndex]!.promise),
        cell('b', ['a'], (ctx) => {
          bRows.push(ctx.rowIndex);
          changes.notify();
          return `${String(ctx.row['a'])}+`;
        }),
      ],
      { numRecords: 2, bufferSize: 2 },
    );
    const o = options(p);
    const run = runEngine(o);
    a[0]!.resolve('x');
    await changes.until(() => bRows.length > 0);
    expect(bRows).toEqual([0]);
    a[1]!.resolve('y');
    await run;
    expect(await committedRows(o.store)).toEqual([
      { a: 'x', b: 'x+' },
      { a: 'y', b: 'y+' },
    ]);
  });

  it('a whole-column column waits until its per-cell upstream is done for every row', async () => {
    const a = [deferred<number>(), deferred<number>(), deferred<number>()];
    let batchCalls = 0;
    const p = plan(
      [
        cell('a', [], (ctx) => a[ctx.rowIndex]!.promise),
        column('sum', ['a'], (ctx) => {
          batchCalls++;
          return (ctx.columns.get('a') ?? []).reduce((s: number, v) => s + (v as number), 0);
        }),
      ],
      { numRecords: 3, bufferSize: 3, trace: true },
    );
    const changes = new Changes();
    const applied: TaskTrace[] = [];
    const o = options(p, { onTrace: (t) => (applied.push(t), changes.notify()) });
    const run = runEngine(o);
    a[0]!.resolve(1);
    a[1]!.resolve(2);
    await changes.until(() => applied.length === 2);
    expect(batchCalls).toBe(0);
    a[2]!.resolve(3);
    await run;
    expect((await committedRows(o.store)).map((r) => r['sum'])).toEqual([6, 6, 6]);
  });

  it('dropping a row re-checks whole-column columns, which then run without it', async () => {
    const a = [deferred<number>(), deferred<number>(), deferred<number>()];
    const seen: number[][] = [];
    const p = plan(
      [
        cell('a', [], (ctx) => a[ctx.rowIndex]!.promise),
        column('c', ['a'], (ctx, i) => {
          if (i === 0) seen.push([...ctx.rowIndices]);
          return 0;
        }),
      ],
      { numRecords: 3, bufferSize: 3, trace: true },
    );
    const changes = new Changes();
    const applied: TaskTrace[] = [];
    const o = options(p, { onTrace: (t) => (applied.push(t), changes.notify()) });
    const run = runEngine(o);
    a[0]!.resolve(1);
    a[2]!.resolve(3);
    await changes.until(() => applied.length === 2);
    expect(seen).toEqual([]);
    a[1]!.reject(new TabsynthError(ErrorCodes.MODEL_BAD_RESPONSE, 'bad'));
    const result = await run;
    expect(seen).toEqual([[0, 2]]);
    expect(result.droppedRows).toBe(1);
    expect((await committedRows(o.store)).map((r) => r['a'])).toEqual([1, 3]);
  });
});
