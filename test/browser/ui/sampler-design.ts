/** A design of two sampler columns (price, product), kept in memory: for tests that run it. */
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

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
