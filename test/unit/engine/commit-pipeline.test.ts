import { describe, expect, it } from 'vitest';
import { runEngine } from '../../../src/core/engine/run.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { column, committedRows, deferred, options, plan } from './helpers.ts';

describe('3.7 commits overlap generation', () => {
  it('when a commit settles, the next group commit starts before the next group is generated', async () => {
    const log: string[] = [];
    const generated = Array.from({ length: 4 }, () => deferred());
    const gen = column('a', [], (ctx, i) => ctx.rowIndices[i], {
      generate: (ctx) => {
        log.push(`generate ${ctx.rowGroup}`);
        generated[ctx.rowGroup]!.resolve();
        return { columns: { a: [...ctx.rowIndices] } };
      },
    });
    const o = options(plan([gen], { numRecords: 40, bufferSize: 10, maxConcurrentRowGroups: 2 }));
    const pending = Array.from({ length: 4 }, () => deferred());
    const called = Array.from({ length: 4 }, () => deferred());
    const commit = o.store.commit.bind(o.store);
    o.store.commit = (g: RowGroupData, m: RunManifest) => {
      log.push(`commit ${g.id}`);
      called[g.id]!.resolve();
      return pending[g.id]!.promise.then(() => commit(g, m));
    };
    const run = runEngine(o);
    await generated[1]!.promise;
    expect(log).toEqual(['generate 0', 'commit 0', 'generate 1']);

    pending[0]!.resolve();
    await generated[2]!.promise;
    // Group 1's commit (a compute-pool encode in the browser) is under way while group 2 generates.
    expect(log.slice(3)).toEqual(['commit 1', 'generate 2']);

    for (let i = 1; i < 4; i++) {
      await called[i]!.promise;
      pending[i]!.resolve();
    }
    const result = await run;
    expect(result.rowsWritten).toBe(40);
    expect((await committedRows(o.store)).map((r) => r['a'])).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
  });
});
