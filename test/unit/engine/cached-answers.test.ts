/**
 * SPEC 3.8 and 3.10: an answer from the response cache is not a request. It takes no
 * model slot, waits for no request or token budget, and counts no request, tokens or
 * cost, so a repeated or resumed run pays (and paces) only what it really sends.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.ts';
import type { PlanModel } from '../../../src/core/engine/plan.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { cachedTransport, type AsyncKV } from '../../../src/core/models/cached.ts';
import { FakeTransport, modelCell, options, plan } from './helpers.ts';

function mapKV(): AsyncKV {
  const map = new Map<string, unknown>();
  return {
    get: (k) => Promise.resolve(structuredClone(map.get(k))),
    set: (k, v) => {
      map.set(k, structuredClone(v));
      return Promise.resolve();
    },
  };
}

/** Six requests and 600 tokens a minute: each uncached request waits on the budget. */
const budgeted: PlanModel = {
  key: 'm',
  maxParallelRequests: 4,
  label: 'p/m',
  requestsPerMinute: 6,
  tokensPerMinute: 600,
  prices: { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 },
};

async function run(kv: AsyncKV, runId: string) {
  const inner = new FakeTransport();
  const clock = new FakeClock();
  const p = plan(
    [modelCell('x', [], 'm')],
    { numRecords: 4, bufferSize: 2 },
    { models: [budgeted] },
  );
  const pending = runEngine(
    options(p, { transports: new Map([['m', cachedTransport(inner, kv, 'p/m')]]), clock, runId }),
  );
  await clock.runAll();
  const result = await pending;
  return { result, inner, clock };
}

describe('3.8 cached answers spend no budget', () => {
  it('a repeated run answered from the cache waits for no budget and counts no request, tokens or cost', async () => {
    const kv = mapKV();
    const first = await run(kv, 'run-1');
    expect(first.inner.calls).toHaveLength(4);
    // Paced: 6 a minute is one request every 10 s after the first.
    expect(first.clock.now()).toBeGreaterThanOrEqual(30_000);
    expect(first.result.models?.['m']).toMatchObject({ requests: 4, tokensIn: 4, tokensOut: 8 });
    expect(first.result.costUsd).toBe(20);

    const again = await run(kv, 'run-2');
    expect(again.result.rowsWritten).toBe(4);
    expect(again.inner.calls).toHaveLength(0);
    // Nothing waited on the budget: the fake clock never moved.
    expect(again.clock.now()).toBe(0);
    expect(again.result.models?.['m']).toMatchObject({ requests: 0, tokensIn: 0, tokensOut: 0 });
    expect(again.result.costUsd ?? 0).toBe(0);
  });
});
