import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import { ErrorCodes, ModelError } from '../../../src/core/errors.ts';
import { FairReadyQueue } from '../../../src/core/engine/ready-queue.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import {
  Changes,
  cell,
  column,
  committedRows,
  deferred,
  FakeTransport,
  modelCell,
  options,
  plan,
} from './helpers.ts';

describe('3.5 dispatch and limits', () => {
  it('max_in_flight_tasks: never more tasks running at once than the limit', async () => {
    let running = 0;
    let peak = 0;
    const slow = async (): Promise<number> => {
      peak = Math.max(peak, ++running);
      await Promise.resolve(); // an async gap: the task settles in a later turn
      running--;
      return 1;
    };
    const p = plan([cell('a', [], slow), cell('b', [], slow), cell('c', ['a'], slow)], {
      numRecords: 40,
      bufferSize: 10,
      maxInFlightTasks: 4,
    });
    expect((await runEngine(options(p))).rowsWritten).toBe(40);
    expect(peak).toBe(4);
  });

  it('a run of large CPU-only row groups yields to the host between batches: a cancel sent meanwhile stops it', async () => {
    // Every batch answers synchronously and the store commits at once, so without a
    // yield the whole run would finish in one turn of the event loop, before any
    // message (here: a timer) could cancel it.
    const p = plan([column('a', []), column('b', ['a'])], {
      numRecords: 200_000,
      bufferSize: 10_000,
    });
    const controller = new AbortController();
    const o = options(p, { signal: controller.signal });
    setTimeout(() => controller.abort(), 0);
    await expect(runEngine(o)).rejects.toMatchObject({ code: ErrorCodes.RUN_CANCELLED });
    const manifest = await o.store.loadManifest('run-1');
    expect(manifest?.rowsWritten).toBeLessThan(200_000);
  });

  it('a task waiting on its model hands its in-flight slot to other columns', async () => {
    const answer = deferred<string>();
    const slow = new FakeTransport(() => answer.promise);
    const other: number[] = [];
    const allFast = deferred();
    const p = plan(
      [
        modelCell('llm', [], 'slow'),
        cell('fast', [], (ctx) => {
          if (other.push(ctx.rowIndex) === 5) allFast.resolve();
        }),
      ],
      { numRecords: 5, bufferSize: 5, maxInFlightTasks: 2 },
      { models: [{ key: 'slow', maxParallelRequests: 1, label: 'fake/slow' }] },
    );
    const o = options(p, { transports: new Map([['slow', slow]]) });
    const run = runEngine(o);
    await allFast.promise;
    // One request holds the model; another task waits on its limiter without a slot.
    expect(slow.calls.length).toBe(1);
    expect(other).toEqual([0, 1, 2, 3, 4]);
    answer.resolve('done');
    expect((await run).rowsWritten).toBe(5);
    expect(slow.maxInFlight).toBe(1);
  });

  it('one limiter per (provider, model): columns sharing a model share its max_parallel_requests', async () => {
    const gate = deferred<string>();
    const changes = new Changes();
    const held = () => (changes.notify(), gate.promise);
    const shared = new FakeTransport(held);
    const own = new FakeTransport(held);
    const p = plan(
      [modelCell('x', [], 'shared'), modelCell('y', [], 'shared'), modelCell('z', [], 'own')],
      { numRecords: 10, bufferSize: 10 },
      {
        models: [
          { key: 'shared', maxParallelRequests: 3, label: 'p/shared' },
          { key: 'own', maxParallelRequests: 2, label: 'p/own' },
        ],
      },
    );
    const run = runEngine(
      options(p, {
        transports: new Map([
          ['shared', shared],
          ['own', own],
        ]),
      }),
    );
    await changes.until(() => shared.inFlight + own.inFlight === 5);
    expect([shared.inFlight, own.inFlight]).toEqual([3, 2]);
    gate.resolve('ok');
    const r = await run;
    expect([shared.maxInFlight, own.maxInFlight, r.requests, r.tokensIn, r.tokensOut]).toEqual([
      3, 2, 30, 30, 60,
    ]);
  });

  it('a 429 lowers the model limit and requests wait Retry-After on the clock, then succeed', async () => {
    const clock = new FakeClock();
    let first = true;
    const fourSent = deferred();
    const t = new FakeTransport((_, n) => {
      if (n === 4) fourSent.resolve();
      if (first) {
        first = false;
        throw new ModelError(ErrorCodes.MODEL_RATE_LIMITED, '429', {
          status: 429,
          retryAfterMs: 3000,
        });
      }
      return 'ok';
    });
    const limits: number[] = [];
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 4, bufferSize: 4 },
      {
        models: [{ key: 'm', maxParallelRequests: 4, label: 'p/m' }],
      },
    );
    const o = options(p, {
      clock,
      transports: new Map([['m', t]]),
      onProgress: (pr) => limits.push(pr.models['m']!.limit),
    });
    const run = runEngine(o);
    await fourSent.promise;
    const before = t.calls.length;
    await clock.advance(2999);
    expect(t.calls.length).toBe(before);
    await clock.advance(1);
    expect((await run).rowsWritten).toBe(4);
    expect(t.calls.length).toBe(5);
    expect(limits.at(-1)).toBe(3);
  });

  it('columns take turns: a long backlog of one column does not starve another', async () => {
    const order: string[] = [];
    const p = plan(
      [
        cell('a', [], async () => {
          order.push('a');
          await Promise.resolve();
          return 1;
        }),
        cell('b', [], async () => {
          order.push('b');
          await Promise.resolve();
          return 1;
        }),
      ],
      { numRecords: 100, bufferSize: 100, maxInFlightTasks: 1 },
    );
    await runEngine(options(p));
    expect(order.slice(0, 6)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it("turns are weighted by each model's limit", () => {
    const q = new FairReadyQueue<number>(2, {
      lane: (g) => g,
      weight: (lane) => (lane === 0 ? 3 : 1),
      eligible: () => true,
    });
    for (let i = 0; i < 10; i++) {
      q.push(0, i);
      q.push(1, i);
    }
    const order: number[] = [];
    for (let i = 0; i < 8; i++) {
      const g = q.nextGenerator();
      q.take(g);
      order.push(g);
    }
    expect(order).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('a column whose model cannot take more requests lets others go first', () => {
    let open = false;
    const q = new FairReadyQueue<number>(2, {
      lane: (g) => g,
      weight: () => 1,
      eligible: (lane) => lane === 1 || open,
    });
    q.push(0, 1);
    q.push(1, 2);
    expect(q.nextGenerator()).toBe(1);
    q.take(1);
    expect(q.nextGenerator()).toBe(-1);
    open = true;
    expect(q.nextGenerator()).toBe(0);
  });

  it('columns sharing a saturated model take turns as its slots free up', () => {
    // Three columns on one model (lane 0), one on another (lane 1), both models full
    // after every dispatch: freed slots of model 0 go round its three columns, and
    // model 1's releases do not take a turn away from them.
    const waiting = [0, 0];
    const q = new FairReadyQueue<number>(4, {
      lane: (g) => (g === 3 ? 1 : 0),
      weight: () => 4,
      eligible: (lane) => waiting[lane]! < 1,
    });
    for (let i = 0; i < 20; i++) for (let g = 0; g < 4; g++) q.push(g, i);
    const order: number[] = [];
    for (let i = 0; i < 9; i++) {
      waiting[1] = i % 2; // model 1 frees a slot every other step
      for (let g = q.nextGenerator(); g >= 0; g = q.nextGenerator()) {
        q.take(g);
        if (g !== 3) order.push(g);
        waiting[g === 3 ? 1 : 0] = 1; // the task parks on its full model
      }
      waiting[0] = 0; // model 0 frees a slot
    }
    expect(order).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it('keeps the values whatever the completion order', async () => {
    const p = plan(
      [modelCell('x', [], 'm'), cell('y', ['x'], (c) => `${String(c.row['x'])}!`)],
      { numRecords: 6, bufferSize: 2 },
      {
        models: [{ key: 'm', maxParallelRequests: 6, label: 'p/m' }],
      },
    );
    const t = new FakeTransport((req) => req.messages[0]!.content);
    const o = options(p, { transports: new Map([['m', t]]) });
    await runEngine(o);
    expect((await committedRows(o.store)).map((r) => r['y'])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `x ${i}!`),
    );
  });
});
