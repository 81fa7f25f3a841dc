/**
 * A design whose model columns run on the simulated provider, one model priced in
 * its `tabsynth:` block: for tests of what a run costs, estimated and so far.
 */
import { Design } from '../../../src/ui/state/design.svelte.ts';
import { MemoryStorage } from './memory-storage.ts';

/** US dollars per million prompt / answer tokens of the `writer` model. */
export const WRITER_PRICES = { input: 2.5, output: 10 };

export interface PricedDesignOptions {
  /** Whether `writer` carries its prices. Default: true. */
  priced?: boolean;
  /** `writer`'s requests per minute (tabsynth's budget). Default: none. */
  requestsPerMinute?: number;
  /** The config's `run` section. Default: none. */
  run?: Record<string, unknown>;
}

export function pricedDesign(options: PricedDesignOptions = {}): Design {
  const { priced = true, requestsPerMinute, run } = options;
  const tabsynth: Record<string, unknown> = {};
  if (priced) {
    tabsynth['input_price_per_million'] = WRITER_PRICES.input;
    tabsynth['output_price_per_million'] = WRITER_PRICES.output;
  }
  if (requestsPerMinute !== undefined) tabsynth['requests_per_minute'] = requestsPerMinute;
  const design = new Design(new MemoryStorage());
  design.load({
    model_providers: [{ name: 'sim', provider_type: 'simulated' }],
    model_configs: [
      {
        alias: 'writer',
        model: 'demo-writer',
        provider: 'sim',
        inference_parameters: { max_tokens: 60, max_parallel_requests: 3 },
        ...(Object.keys(tabsynth).length > 0 ? { tabsynth } : {}),
      },
      {
        alias: 'critic',
        model: 'demo-critic',
        provider: 'sim',
        inference_parameters: { max_tokens: 20, max_parallel_requests: 2 },
      },
    ],
    columns: [
      {
        name: 'product',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['lamp', 'desk', 'chair'] },
      },
      {
        name: 'review',
        column_type: 'llm-text',
        model_alias: 'writer',
        prompt: 'Write a short review of a {{ product }}.',
      },
      {
        name: 'verdict',
        column_type: 'llm-text',
        model_alias: 'critic',
        prompt: 'Is this review fair? {{ review }}',
      },
    ],
    ...(run ? { run } : {}),
  });
  return design;
}
