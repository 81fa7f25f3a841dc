/** Sampler designs for tests: a column, a one-column config, a design that runs, a clock of edits. */
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

/** A uniform sampler column named `name`. */
export function samplerColumn(name: string) {
  return { name, column_type: 'sampler', sampler_type: 'uniform', params: { low: 0, high: 1 } };
}

/** A config of one sampler column, `price`. */
export const PRICE_CONFIG = { columns: [samplerColumn('price')] };

/** A clock the test moves by hand: each edit is a minute after the last. */
export function minutes(): () => number {
  let t = Date.UTC(2026, 0, 1);
  return () => (t += 60_000);
}

/** A design of two sampler columns (price, product), kept in memory: for tests that run it. */
export function samplerDesign(run?: Record<string, unknown>): Design {
  const design = new Design(new MemoryStorage());
  design.load({
    columns: [
      {
        name: 'price',
        column_type: 'sampler',
        sampler_type: 'uniform',
        params: { low: 0, high: 10 },
      },
      {
        name: 'product',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['lamp', 'desk'] },
      },
    ],
    ...(run ? { run } : {}),
  });
  return design;
}
