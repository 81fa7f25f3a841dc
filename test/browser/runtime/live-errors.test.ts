/**
 * SPEC 3.10 the run panel shows the first errors of each kind while the run goes
 * on: every progress update carries them, not only the run's final result.
 */
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../src/core/engine/events.ts';
import { createEngineService } from '../../../src/runtime/engine-service.ts';
import { unwrap } from '../../../src/runtime/protocol.ts';
import { freshDbName, HeldStore } from './support/fixtures.ts';

/** Rows whose topic is "tea" fail column n (dtype int) and are dropped. */
const FAILING_CONFIG = `
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [tea, "7"] } }
  - { name: n, column_type: expression, expr: "{{ topic }}", dtype: int }
`;

describe('SPEC 3.10 live first errors', () => {
  it('3.10 progress carries the first error of each kind mid-run, and at the end the same as the result', async () => {
    const store = new HeldStore(freshDbName('live-errors'));
    const service = createEngineService({ store, progressIntervalMs: 0 });
    const seen: Progress[] = [];
    const run = service.startRun(
      {
        config: FAILING_CONFIG,
        overrides: { numRecords: 40, bufferSize: 10, maxConcurrentRowGroups: 1, seed: 3 },
        runId: 'e',
      },
      (p) => void seen.push(p),
    );
    await store.held;
    const mid = seen.at(-1);
    const committed = await store.loadManifest('e');
    expect(committed?.firstErrors.length).toBeGreaterThan(0);
    expect(mid?.firstErrors?.map((e) => [e.kind, e.column])).toEqual([['TEMPLATE_RENDER:n', 'n']]);
    expect(mid?.firstErrors?.[0]?.message).toMatch(/dtype int expected .* found "tea"/);
    expect(mid?.firstErrors?.[0]?.count).toBeGreaterThanOrEqual(committed!.firstErrors[0]!.count);
    store.release();
    const outcome = unwrap(await run);
    expect(outcome.droppedRows).toBeGreaterThan(0);
    expect(seen.at(-1)?.firstErrors).toEqual(outcome.firstErrors);
  });
});
