import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../../src/core/clock.ts';
import { ErrorCodes, ModelError } from '../../../src/core/errors.ts';
import type { Progress } from '../../../src/core/engine/events.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import type { PlanModel } from '../../../src/core/engine/plan.ts';
import { deferred, FakeTransport, modelCell, options, plan } from './helpers.ts';

const serverError = () =>
  new ModelError(ErrorCodes.MODEL_SERVER, 'HTTP 503', { status: 503, attempts: 1 });

const priced: PlanModel = {
  key: 'm',
  maxParallelRequests: 4,
  label: 'p/m',
  prices: { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 },
};

describe('3.6 HTTP retries', () => {
  it('a task waiting out an HTTP retry backoff does not hold its model slot', async () => {
    const clock = new FakeClock();
    let first = true;
    const startedAt: [string, number][] = [];
    const t = new FakeTransport((req) => {
      const content = req.messages[0]!.content;
      startedAt.push([content, clock.now()]);
      if (content === 'x 0' && first) {
        first = false;
        throw serverError();
      }
      return 'ok';
    });
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 2, bufferSize: 2, salvageMaxRounds: 0 },
      { models: [{ key: 'm', maxParallelRequests: 1, label: 'p/m' }] },
    );
    const run = runEngine(options(p, { clock, transports: new Map([['m', t]]) }));
    await flushMicrotasks(100);
    // Row 0 failed and waits its backoff; row 1 took the one slot meanwhile, at time 0.
    expect(startedAt).toEqual([
      ['x 0', 0],
      ['x 1', 0],
    ]);
    await clock.runAll(100);
    const r = await run;
    expect(r.rowsWritten).toBe(2);
    expect(startedAt[2]![0]).toBe('x 0');
    expect(startedAt[2]![1]).toBeGreaterThan(0);
  });

  it("5xx are retried 3 times, as Data Designer's async engine does, then left to salvage", async () => {
    const clock = new FakeClock();
    const t = new FakeTransport(() => {
      throw serverError();
    });
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 1, bufferSize: 1, salvageMaxRounds: 1 },
      { models: [{ key: 'm', maxParallelRequests: 2, label: 'p/m' }] },
    );
    const run = runEngine(options(p, { clock, transports: new Map([['m', t]]) }));
    const settled = run.catch((e: unknown) => e);
    await clock.runAll(1000);
    await settled;
    // 1 + 3 retries, then once more in the salvage round (1 + 3).
    expect(t.calls.length).toBe(8);
  });
});

describe('3.10 tokens and cost', () => {
  it('progress carries the cost so far, the projected total and how requests are paced', async () => {
    const seen: Progress[] = [];
    const t = new FakeTransport();
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 4, bufferSize: 2 },
      { models: [priced] },
    );
    const r = await runEngine(
      options(p, { transports: new Map([['m', t]]), onProgress: (x) => seen.push(x) }),
    );
    // 4 answers of 1 prompt and 2 answer tokens at $1 and $2 a token.
    expect(r.costUsd).toBe(4 * 1 + 8 * 2);
    expect(r.models?.['m']).toMatchObject({ requests: 4, tokensIn: 4, tokensOut: 8, costUsd: 20 });
    const last = seen.at(-1)!;
    expect([last.costUsd, last.projectedCostUsd]).toEqual([20, 20]);
    expect(last.models['m']).toMatchObject({ pacing: 'adaptive', costUsd: 20 });
  });

  it('the manifest keeps tokens and cost per model across resumes, counting no cell twice', async () => {
    const hold = deferred<string>();
    const ac = new AbortController();
    let run1Calls = 0;
    const first = new FakeTransport((req) => {
      run1Calls++;
      return req.messages[0]!.content.endsWith(' 2') || req.messages[0]!.content.endsWith(' 3')
        ? hold.promise
        : 'ok';
    });
    const p = plan(
      [modelCell('x', [], 'm')],
      { numRecords: 4, bufferSize: 2 },
      { models: [priced] },
    );
    const o1 = options(p, {
      transports: new Map([['m', first]]),
      signal: ac.signal,
      onProgress: (x) => {
        if (x.rowsCommitted >= 2) ac.abort();
      },
    });
    await runEngine(o1).catch(() => undefined);
    const after1 = await o1.store.loadManifest('run-1');
    expect(after1?.modelUsage?.['m']).toMatchObject({ requests: run1Calls, tokensIn: 2 });

    const second = new FakeTransport();
    const o2 = options(p, { transports: new Map([['m', second]]), store: o1.store, resume: true });
    const r = await runEngine(o2);
    const m = await o2.store.loadManifest('run-1');
    // Group 0 was not asked again; group 1's two answers were paid once.
    expect(second.calls.length).toBe(2);
    expect(m?.modelUsage?.['m']).toMatchObject({ tokensIn: 4, tokensOut: 8, costUsd: 20 });
    expect(r.costUsd).toBe(20);
  });
});
