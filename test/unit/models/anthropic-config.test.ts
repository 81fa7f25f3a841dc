/**
 * `provider_type: anthropic` in a config: accepted, run end to end for every chat
 * column type (llm-text, llm-code, llm-judge, llm-structured) against the loopback
 * server's Messages endpoint, and an embedding column on it refused by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import {
  anthropicMessage,
  defaultReply,
  startOpenAIServer,
  type OpenAIServer,
  type RecordedRequest,
  type Reply,
} from '../../support/openai-server.ts';

const KEY = 'sk-ant-test-0123456789';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers each model as its column expects. */
function answer(req: RecordedRequest): Reply {
  const model = req.body?.['model'];
  const reply = (text: string): Reply => ({ status: 200, body: anthropicMessage(text) });
  if (model === 'coder') return reply('Here:\n```python\nprint("tea")\n```');
  if (model === 'judge') return reply('{"clarity": {"score": 2, "reasoning": "Clear and short."}}');
  if (model === 'former') return reply('```json\n{"name": "Sencha", "grams": 3}\n```');
  return defaultReply(req);
}

const config = (endpoint: string, extra = '') => `
model_providers:
  - { name: claude, provider_type: anthropic, endpoint: '${endpoint}', api_key: ${KEY} }
model_configs:
  - { alias: writer, model: writer, provider: claude }
  - { alias: coder, model: coder, provider: claude }
  - { alias: judge, model: judge, provider: claude }
  - { alias: former, model: former, provider: claude }
columns:
  - { name: tea, column_type: sampler, sampler_type: category, params: { values: [sencha, assam] } }
  - name: note
    column_type: llm-text
    model_alias: writer
    system_prompt: You write tasting notes.
    prompt: 'Describe {{ tea }}.'
  - { name: snippet, column_type: llm-code, model_alias: coder, code_lang: python, prompt: 'Print {{ tea }}.' }
  - name: rating
    column_type: llm-judge
    model_alias: judge
    prompt: 'Rate: {{ note }}'
    scores:
      - { name: clarity, description: Is it clear?, options: { '1': unclear, '2': clear } }
  - name: recipe
    column_type: llm-structured
    model_alias: former
    prompt: 'A recipe for {{ tea }}.'
    output_format:
      type: object
      properties: { name: { type: string }, grams: { type: integer } }
      required: [name, grams]
${extra}
run: { num_records: 4, seed: 3, buffer_size: 2 }
`;

describe('provider_type: anthropic', () => {
  it('runs llm-text, llm-code, llm-judge and llm-structured over the Messages API', async () => {
    server = await startOpenAIServer({ handler: answer });
    const cfg = loadConfig(config(server.url.replace(/\/v1$/, '')), 'yaml');
    const { plan, transports } = compilePlan(cfg);
    const store = new MemoryStore();
    await runEngine({ plan, transports, store, runId: 'a', config: cfg, configHash: 'h' });
    const rows: Row[] = [];
    for (const id of store.committedGroupIds('a'))
      rows.push(...(await store.readRowGroup('a', id)).rows);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row['note']).toBe(`echo: Describe ${String(row['tea'])}.`);
      expect(row['snippet']).toBe('print("tea")');
      expect(row['rating']).toEqual({ clarity: { score: 2, reasoning: 'Clear and short.' } });
      expect(row['recipe']).toEqual({ name: 'Sencha', grams: 3 });
    }
    expect(server.requests.length).toBeGreaterThanOrEqual(16);
    for (const req of server.requests) {
      expect(req.path).toBe('/v1/messages');
      expect(req.headers['x-api-key']).toBe(KEY);
    }
    const note = server.requests.find((r) => r.body?.['model'] === 'writer');
    expect(note?.body?.['system']).toBe('You write tasting notes.');
  });

  it('an embedding column on an anthropic provider is refused, naming the column and the provider', () => {
    const extra = `
  - { name: vec, column_type: embedding, model_alias: embedder, target_column: note }`;
    const yaml = config('https://api.anthropic.com', extra).replace(
      'model_configs:',
      `model_configs:
  - { alias: embedder, model: e, provider: claude, inference_parameters: { generation_type: embedding } }`,
    );
    const r = validateConfig(parseConfigText(yaml));
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues).toEqual([
      {
        path: 'columns[5].model_alias',
        message: expect.stringMatching(
          /^embedding column 'vec' uses provider 'claude' \(anthropic\), which has no embeddings API; use an openai or simulated provider$/,
        ),
      },
    ]);
  });

  it('an unknown provider_type names the three it accepts', () => {
    const yaml = config('https://api.anthropic.com').replace(
      'provider_type: anthropic',
      'provider_type: gemini',
    );
    const r = validateConfig(parseConfigText(yaml));
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "model_providers[0].provider_type: expected 'openai' (any OpenAI-compatible endpoint), 'anthropic' (Anthropic's Messages API) or 'simulated', found the string 'gemini'",
    ]);
  });
});
