import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import { ErrorCodes, ModelError, TabsynthError } from '../../../src/core/errors.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
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

const bad = () => new TabsynthError(ErrorCodes.MODEL_BAD_RESPONSE, 'unusable answer');
const flaky = () => new TabsynthError(ErrorCodes.MODEL_SERVER, 'HTTP 503');

describe('3.6 failures', () => {
  it('a whole-column generator that cannot produce some rows drops only those, and reports why', async () => {
    const p = plan(
      [
        {
          name: 'x',
          outputs: ['x'],
          upstream: [],
          granularity: 'column',
          generate: (ctx) => ({
            columns: { x: ctx.rowIndices.map((r) => r) },
            droppedRows: [1],
            rowErrors: new Map([[1, bad()]]),
          }),
        },
      ],
      { numRecords: 6, bufferSize: 3, disableEarlyShutdown: true },
    );
    const o = options(p);
    const r = await runEngine(o);
    expect((await committedRows(o.store)).map((x) => x['x'])).toEqual([0, 2, 3, 5]);
    expect([r.rowsWritten, r.droppedRows]).toEqual([4, 2]);
    expect(r.firstErrors).toEqual([
      expect.objectContaining({ code: 'MODEL_BAD_RESPONSE', column: 'x', row: 1, count: 2 }),
    ]);
  });

  it('a non-retryable cell failure drops its row; the first error of each kind is kept with a count', async () => {
    const p = plan(
      [
        cell('a', [], (c) => {
          if (c.rowIndex % 4 === 1) throw bad();
          return c.rowIndex;
        }),
      ],
      { numRecords: 8, bufferSize: 4, disableEarlyShutdown: true },
    );
    const o = options(p);
    const r = await runEngine(o);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([0, 2, 3, 4, 6, 7]);
    expect([r.rowsWritten, r.droppedRows]).toEqual([6, 2]);
    expect(r.firstErrors).toEqual([
      expect.objectContaining({
        kind: 'MODEL_BAD_RESPONSE:a',
        code: 'MODEL_BAD_RESPONSE',
        column: 'a',
        row: 1,
        count: 2,
      }),
    ]);
  });

  it('anything that is not a TabsynthError is a non-retryable GENERATOR_FAILED', async () => {
    let calls = 0;
    const p = plan(
      [
        cell('a', [], (c) => {
          calls++;
          if (c.rowIndex === 0) throw new Error('boom');
          return 1;
        }),
      ],
      { numRecords: 3, bufferSize: 3 },
    );
    const r = await runEngine(options(p));
    expect(calls).toBe(3);
    expect(r.firstErrors[0]).toMatchObject({ code: 'GENERATOR_FAILED', message: 'boom' });
  });

  it('a non-retryable batch failure drops every row of its row group', async () => {
    const p = plan(
      [
        column('a', []),
        column('b', ['a'], undefined, {
          generate: (ctx) => {
            if (ctx.rowGroup === 1) throw bad();
            return { columns: { b: ctx.rowIndices.map(() => 'ok') } };
          },
        }),
      ],
      { numRecords: 9, bufferSize: 3, disableEarlyShutdown: true },
    );
    const o = options(p);
    const r = await runEngine(o);
    expect(o.store.committedGroupIds('run-1')).toEqual([0, 2]);
    expect([r.rowsWritten, r.droppedRows]).toEqual([6, 3]);
  });

  it('retryable failures are set aside, then salvaged once the group has nothing else running', async () => {
    const tries = new Map<number, number>();
    const p = plan(
      [
        cell('a', [], (c) => {
          const n = (tries.get(c.rowIndex) ?? 0) + 1;
          tries.set(c.rowIndex, n);
          if (c.rowIndex === 2 && n === 1) throw flaky();
          return n;
        }),
      ],
      { numRecords: 4, bufferSize: 4 },
    );
    const o = options(p);
    const r = await runEngine(o);
    expect(r.rowsWritten).toBe(4);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([1, 1, 2, 1]);
    expect(r.firstErrors).toEqual([]);
  });

  it('what still fails after salvage_max_rounds drops its row', async () => {
    let tries = 0;
    const p = plan(
      [
        cell('a', [], (c) => {
          if (c.rowIndex === 0) {
            tries++;
            throw flaky();
          }
          return 1;
        }),
      ],
      { numRecords: 3, bufferSize: 3, salvageMaxRounds: 2 },
    );
    const r = await runEngine(options(p));
    expect(tries).toBe(3);
    expect([r.rowsWritten, r.droppedRows]).toEqual([2, 1]);
    expect(r.firstErrors[0]).toMatchObject({ kind: 'MODEL_SERVER:a', count: 1 });
  });

  it('rate-limited cells are never dropped: they wait on the limiter and retry', async () => {
    const clock = new FakeClock();
    let n = 0;
    const t = new FakeTransport(() => {
      if (++n <= 5) throw new ModelError(ErrorCodes.MODEL_RATE_LIMITED, '429', { status: 429 });
      return 'ok';
    });
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 1, bufferSize: 1, salvageMaxRounds: 0 },
      {
        models: [{ key: 'm', maxParallelRequests: 2, label: 'p/m' }],
      },
    );
    const run = runEngine(options(p, { clock, transports: new Map([['m', t]]) }));
    await clock.runAll(100);
    const r = await run;
    expect([r.rowsWritten, r.droppedRows, t.calls.length]).toEqual([1, 0, 6]);
  });
});

describe('3.6 early shutdown', () => {
  const failingAfter = (okRows: number) =>
    cell('a', [], (c) => {
      if (c.rowIndex >= okRows) throw bad();
      return c.rowIndex;
    });

  it('3.6 early shutdown: stops when the failure share is >= shutdown_error_rate', async () => {
    let calls = 0;
    const p = plan([failingAfter(4), cell('b', ['a'], () => ++calls)], {
      numRecords: 40,
      bufferSize: 4,
      maxConcurrentRowGroups: 1,
      shutdownErrorWindow: 4,
      shutdownErrorRate: 0.5,
    });
    const o = options(p);
    const r = await runEngine(o);
    expect(r.stoppedEarly).toBe(true);
    expect(r.rowsWritten).toBe(4);
    expect(o.store.committedGroupIds('run-1')).toEqual([0]);
    expect((await o.store.loadManifest('run-1'))?.status).toBe('stopped');
  });

  it('3.6 early shutdown: the check is >=, so a failure share equal to the rate stops the run', async () => {
    // Window of 4, rate 0.5: the outcomes ok, ok, fail, fail give a share of exactly 0.5.
    const p = plan([cell('a', [], (c) => (c.rowIndex % 4 >= 2 ? Promise.reject(bad()) : 1))], {
      numRecords: 40,
      bufferSize: 4,
      maxConcurrentRowGroups: 1,
      maxInFlightTasks: 1,
      shutdownErrorWindow: 4,
      shutdownErrorRate: 0.5,
    });
    const r = await runEngine(options(p));
    expect([r.stoppedEarly, r.rowsWritten]).toEqual([true, 2]);
  });

  it('3.6 early shutdown: a rate of 1.0 stops the run once every outcome in the window failed', async () => {
    // Changed with Data Designer's >= rule: the old "exceeds" check never fired at 1.0.
    const p = plan([failingAfter(4)], {
      numRecords: 40,
      bufferSize: 4,
      maxConcurrentRowGroups: 1,
      shutdownErrorWindow: 2,
      shutdownErrorRate: 1,
    });
    const r = await runEngine(options(p));
    expect([r.stoppedEarly, r.rowsWritten]).toEqual([true, 4]);
  });

  it('3.6 early shutdown: a window with no failures never stops the run, even at rate 0', async () => {
    const p = plan([cell('a', [], (c) => c.rowIndex)], {
      numRecords: 40,
      bufferSize: 4,
      shutdownErrorWindow: 2,
      shutdownErrorRate: 0,
    });
    const r = await runEngine(options(p));
    expect([r.stoppedEarly, r.rowsWritten]).toEqual([false, 40]);
  });

  it('a row group too large to hold in memory is refused before the run, naming buffer_size; a large buffer_size over few rows runs', async () => {
    const huge = plan([cell('a', [], (c) => c.rowIndex)], {
      numRecords: 5e9,
      bufferSize: 5e9,
    });
    const o = options(huge);
    const err: unknown = await runEngine(o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TabsynthError);
    expect((err as TabsynthError).code).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect((err as TabsynthError).message).toMatch(
      /run setting buffer_size: expected row groups of at most 10000000 rows .*got 5000000000/,
    );
    expect(await o.store.loadManifest('run-1')).toBeUndefined();
    const few = options(
      plan([cell('a', [], (c) => c.rowIndex)], { numRecords: 3, bufferSize: 5e9 }),
    );
    expect((await runEngine(few)).rowsWritten).toBe(3);
  });

  it('3.6 early shutdown: a shutdown_error_window larger than the run (10^12) runs and never fills', async () => {
    const p = plan([failingAfter(4)], {
      numRecords: 40,
      bufferSize: 4,
      shutdownErrorWindow: 1e12,
      shutdownErrorRate: 0,
    });
    const r = await runEngine(options(p));
    expect([r.stoppedEarly, r.rowsWritten]).toEqual([false, 4]);
  });

  it('3.6 early shutdown: a window of 300 stops once half of the last 300 outcomes failed', async () => {
    // 300 successes, then failures: the share reaches 0.5 at the 450th outcome.
    let outcomes = 0;
    const p = plan(
      [
        cell('a', [], () => {
          outcomes++;
          return outcomes > 300 ? Promise.reject(bad()) : 1;
        }),
      ],
      {
        numRecords: 1000,
        bufferSize: 1000,
        maxConcurrentRowGroups: 1,
        maxInFlightTasks: 1,
        shutdownErrorWindow: 300,
        shutdownErrorRate: 0.5,
      },
    );
    const r = await runEngine(options(p));
    expect([r.stoppedEarly, outcomes]).toEqual([true, 450]);
  });

  it('disable_early_shutdown turns it off', async () => {
    const p = plan([failingAfter(4)], {
      numRecords: 40,
      bufferSize: 4,
      shutdownErrorWindow: 2,
      shutdownErrorRate: 0,
      disableEarlyShutdown: true,
    });
    const r = await runEngine(options(p));
    expect([r.stoppedEarly, r.rowsWritten]).toEqual([false, 4]);
  });

  it('a run that committed nothing rejects with RUN_NOTHING_COMMITTED and its first errors', async () => {
    const p = plan([failingAfter(0)], { numRecords: 6, bufferSize: 3, disableEarlyShutdown: true });
    const o = options(p);
    await expect(runEngine(o)).rejects.toMatchObject({
      code: 'RUN_NOTHING_COMMITTED',
      message: expect.stringMatching(/generated 0 of 6.*MODEL_BAD_RESPONSE:a x6/),
    });
    expect((await o.store.loadManifest('run-1'))?.status).toBe('failed');
    const empty = plan([failingAfter(0)], { numRecords: 0 });
    await expect(runEngine(options(empty))).resolves.toMatchObject({ rowsWritten: 0 });
  });

  it('on shutdown, finished row groups are committed, running tasks cancelled, finished rows of open groups kept', async () => {
    const hold = deferred();
    const row4Running = deferred();
    const shutDown = deferred();
    const seenAbort: boolean[] = [];
    const p = plan(
      [
        cell('a', [], async (c) => {
          if (c.rowIndex < 3) return c.rowIndex; // group 0: fine
          if (c.rowIndex === 3) return c.rowIndex; // group 1 row 3: finished
          if (c.rowIndex === 4) {
            // group 1 row 4: still running at shutdown
            row4Running.resolve();
            await new Promise((resolve) => c.signal.addEventListener('abort', resolve));
            seenAbort.push(c.signal.aborted);
            shutDown.resolve();
            return 'late';
          }
          await row4Running.promise;
          throw bad(); // group 2
        }),
      ],
      {
        numRecords: 9,
        bufferSize: 3,
        maxConcurrentRowGroups: 3,
        shutdownErrorWindow: 3,
        shutdownErrorRate: 0.5,
      },
      {
        processors: [
          {
            name: 'hold',
            stage: 'post_batch',
            process: async (b) => {
              if (b.rowIndices[0] === 0) await hold.promise;
              return b;
            },
          },
        ],
      },
    );
    const o = options(p);
    const run = runEngine(o);
    await shutDown.promise;
    hold.resolve();
    const r = await run;
    expect(seenAbort).toEqual([true]);
    expect(r.stoppedEarly).toBe(true);
    expect((await committedRows(o.store)).map((x) => x['a'])).toEqual([0, 1, 2, 3]);
  });

  it('late results of a dropped row group leave the in-flight counts intact', async () => {
    const late = [deferred<number>(), deferred<number>()];
    const group0Dropped = deferred();
    late[1]!.promise.catch(() => undefined); // its task may never start: the group is dropped first
    const p = plan(
      [
        cell('a', [], (c) => (c.rowIndex < 2 ? late[c.rowIndex]!.promise : 7)),
        column('b', [], undefined, {
          generate: (ctx) => {
            if (ctx.rowGroup === 0) {
              group0Dropped.resolve();
              throw bad();
            }
            return { columns: { b: ctx.rowIndices.map(() => 1) } };
          },
        }),
      ],
      { numRecords: 6, bufferSize: 2, disableEarlyShutdown: true },
    );
    const o = options(p);
    const run = runEngine(o);
    await group0Dropped.promise;
    late[0]!.resolve(1);
    late[1]!.reject(flaky());
    const r = await run;
    expect(o.store.committedGroupIds('run-1')).toEqual([1, 2]);
    expect([r.rowsWritten, r.droppedRows]).toEqual([4, 2]);
  });
});
