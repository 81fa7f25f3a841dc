import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import { ErrorCodes, TabsynthError } from '../../../src/core/errors.ts';
import { WorkerPool } from '../../../src/runtime/worker-pool.ts';
import type { FlakyApi } from './support/flaky.worker.ts';

/** A factory handing out workers whose behaviours are `modes`, then 'ok' ones. */
function factory(modes: string[]) {
  const made: string[] = [];
  const create = () => {
    const name = modes[made.length] ?? 'ok';
    made.push(name);
    return new Worker(new URL('./support/flaky.worker.ts', import.meta.url), {
      type: 'module',
      name,
    });
  };
  return { create, made };
}

/** Waits until the pool has a call running on a worker (no sleeping: polls turns of the event loop). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 0));
}

describe('SPEC 3.5 compute pool', () => {
  it('3.5 calls run on the pool and buffers come back transferred', async () => {
    const { create } = factory([]);
    const pool = new WorkerPool<FlakyApi>({ create, size: 2 });
    const results = await Promise.all([1, 2, 3].map((x) => pool.run((api) => api.work(x))));
    expect(results.map((r) => r.x)).toEqual([2, 4, 6]);
    expect(new Float64Array(results[2]!.buffer)[0]).toBe(6);
    pool.terminate();
  });

  it('3.5 warm() starts every worker before the first call, and calls then use them', async () => {
    const { create, made } = factory([]);
    const pool = new WorkerPool<FlakyApi>({ create, size: 2 });
    expect(made).toEqual([]);
    pool.warm();
    expect(made).toEqual(['ok', 'ok']);
    pool.warm();
    expect(made).toHaveLength(2);
    const results = await Promise.all([1, 2, 3].map((x) => pool.run((api) => api.work(x))));
    expect(results.map((r) => r.x)).toEqual([2, 4, 6]);
    expect(made).toHaveLength(2);
    pool.terminate();
  });

  it('3.5 a hung worker is replaced after the timeout and its call retried once on a fresh worker', async () => {
    const clock = new FakeClock();
    const { create, made } = factory(['hang']);
    const pool = new WorkerPool<FlakyApi>({ create, size: 1, timeoutMs: 1000, clock });
    const result = pool.run((api) => api.work(5));
    await until(() => clock.pending > 0);
    await clock.advance(1000);
    await expect(result).resolves.toMatchObject({ x: 10, by: 'ok' });
    expect(made).toEqual(['hang', 'ok']);
    expect(pool.replaced).toBe(1);
    pool.terminate();
  });

  it('3.5 a crashed worker is replaced and its call retried; the run goes on', async () => {
    const { create, made } = factory(['crash']);
    const pool = new WorkerPool<FlakyApi>({ create, size: 1 });
    await expect(pool.run((api) => api.work(4))).resolves.toMatchObject({ x: 8, by: 'ok' });
    expect(made).toEqual(['crash', 'ok']);
    pool.terminate();
  });

  it('3.5 a call lost twice rejects with WORKER_LOST instead of hanging', async () => {
    const { create } = factory(['crash', 'crash']);
    const pool = new WorkerPool<FlakyApi>({ create, size: 1 });
    const failure = await pool.run((api) => api.work(1)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TabsynthError);
    expect((failure as TabsynthError).code).toBe(ErrorCodes.WORKER_LOST);
    await expect(pool.run((api) => api.work(2))).resolves.toMatchObject({ x: 4 });
    pool.terminate();
  });
});
