/**
 * Issue 9: which model is simulated comes from its provider's type (or a run that
 * simulates every model), never from its label: a real model whose name ends in
 * "(simulated)" is still a real one, whose answers the response cache keeps.
 */
import { describe, expect, it } from 'vitest';
import { loadBrowserPipeline } from '../../../src/runtime/pipeline.ts';

const config = (providerType: string, providerName: string, model: string) => `
model_providers:
  - { name: ${providerName}, provider_type: ${providerType}, endpoint: 'http://127.0.0.1:9/v1' }
model_configs:
  - { alias: w, model: '${model}', provider: ${providerName} }
columns:
  - { name: a, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 } }
  - { name: b, column_type: llm-text, model_alias: w, prompt: 'About {{ a }}' }
`;

async function models(text: string, simulate = false) {
  const pipeline = await loadBrowserPipeline(text, { simulate });
  return pipeline.plan.models.map((m) => [m.key, m.simulated === true]);
}

describe('issue 9: simulated models by type', () => {
  it('an openai provider is real whatever its model or provider is called', async () => {
    expect(await models(config('openai', 'simulated', 'writer (simulated)'))).toEqual([
      ['simulated/writer (simulated)', false],
    ]);
  });

  it('a simulated provider is simulated whatever it is called; a simulating run simulates every model', async () => {
    expect(await models(config('simulated', 'openai', 'gpt'))).toEqual([['openai/gpt', true]]);
    expect(await models(config('openai', 'local', 'gpt'), true)).toEqual([['local/gpt', true]]);
  });
});
