/**
 * The model columns end to end: a YAML config with llm-code, llm-structured,
 * llm-judge and embedding columns, compiled and run by the engine on the simulated
 * provider into a memory store.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { committedRows } from '../engine/helpers.ts';

const CONFIG = `
model_providers:
  - name: hosted
    endpoint: https://models.invalid/v1
model_configs:
  - alias: writer
    model: demo-writer
    provider: hosted
    inference_parameters: { temperature: 0.7 }
  - alias: embedder
    model: demo-embedder
    provider: hosted
    inference_parameters: { generation_type: embedding, dimensions: 64 }
columns:
  - name: topic
    column_type: sampler
    sampler_type: category
    params: { values: [lamps, mugs, desks] }
  - name: keywords
    column_type: expression
    expr: '["{{ topic }}", "cheap {{ topic }}"]'
  - name: snippet
    column_type: llm-code
    model_alias: writer
    code_lang: python
    prompt: Write a python function that sorts {{ topic }} by price.
  - name: spec
    column_type: llm-structured
    model_alias: writer
    prompt: Describe one of our {{ topic }} as a product record.
    output_format:
      type: object
      properties:
        name: { type: string, minLength: 1 }
        price: { type: number, minimum: 1, maximum: 500 }
        colors:
          type: array
          items: { enum: [red, blue, green] }
          minItems: 1
          maxItems: 3
      required: [name, price, colors]
  - name: grade
    column_type: llm-judge
    model_alias: writer
    with_trace: all_messages
    prompt: "Judge this record: {{ spec }}"
    scores:
      - name: quality
        description: How complete is the record?
        options: { 1: poor, 2: fair, 3: good }
      - name: style
        description: How is it written?
        options: { plain: plain words, fancy: marketing words }
  - name: topic_vector
    column_type: embedding
    model_alias: embedder
    target_column: topic
  - name: keyword_vectors
    column_type: embedding
    model_alias: embedder
    target_column: keywords
run: { num_records: 12, seed: 5, buffer_size: 5 }
`;

async function generate(): Promise<{ rows: Row[]; written: number; dropped: number }> {
  const config = loadConfig(CONFIG, 'yaml');
  const { plan, transports } = compilePlan(config, { simulate: true });
  const store = new MemoryStore();
  const result = await runEngine({
    plan,
    transports,
    store,
    runId: 'catalogue',
    config,
    configHash: 'catalogue-hash',
  });
  const rows = await committedRows(store, 'catalogue');
  return { rows, written: result.rowsWritten, dropped: result.droppedRows };
}

describe('SPEC 1 model columns on the simulated provider', () => {
  it('fills every model column of every row', async () => {
    const { rows, written, dropped } = await generate();
    expect([written, dropped, rows.length]).toEqual([12, 0, 12]);

    // llm-code: a different snippet in most rows, never the fence around it.
    expect(new Set(rows.map((row) => row['snippet'])).size).toBeGreaterThan(rows.length / 2);
    for (const row of rows) {
      const code = row['snippet'] as string;
      expect(code).toMatch(/^# simulated\ndef \w+\(.*\).*:\n/);
      expect(code).not.toContain('```');

      const spec = row['spec'] as { name: string; price: number; colors: string[] };
      expect(Object.keys(spec).sort()).toEqual(['colors', 'name', 'price']);
      expect(spec.name.length).toBeGreaterThan(0);
      expect(spec.price).toBeGreaterThanOrEqual(1);
      expect(spec.price).toBeLessThanOrEqual(500);
      expect(spec.colors.length).toBeGreaterThanOrEqual(1);
      for (const c of spec.colors) expect(['red', 'blue', 'green']).toContain(c);

      const grade = row['grade'] as Record<string, { score: unknown; reasoning: unknown }>;
      expect(Object.keys(grade)).toEqual(['quality', 'style']);
      expect([1, 2, 3]).toContain(grade['quality']!.score);
      expect(['plain', 'fancy']).toContain(grade['style']!.score);
      expect(typeof grade['quality']!.reasoning).toBe('string');
      const trace = row['grade__trace'] as { role: string; content: string }[];
      expect(trace.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(trace[0]!.content).toContain('Judge this record: {');
      expect(trace[0]!.content).toContain('* 3: good');

      expect(row['topic_vector']).toBeInstanceOf(Float32Array);
      expect((row['topic_vector'] as Float32Array).length).toBe(64); // the config's dimensions;
      const list = row['keyword_vectors'] as Float32Array[];
      expect(list).toHaveLength(2);
      expect(list[0]).toEqual(row['topic_vector']);
      expect(list[1]).not.toEqual(list[0]);
    }
  });

  it('an expression reads a side column of a model column (its trace) and the column itself', async () => {
    const config = `
model_providers: [{ name: hosted, endpoint: https://models.invalid/v1 }]
model_configs: [{ alias: writer, model: demo-writer, provider: hosted }]
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [lamps, mugs] } }
  - { name: blurb, column_type: llm-text, model_alias: writer, prompt: 'Describe {{ topic }}.', with_trace: all_messages }
  - { name: turns, column_type: expression, expr: '{{ blurb__trace | length }}', dtype: int }
  - { name: echo, column_type: expression, expr: '{{ topic }}: {{ blurb }}' }
run: { num_records: 6, seed: 3, buffer_size: 3 }
`;
    const { plan, transports } = compilePlan(loadConfig(config), { simulate: true });
    const store = new MemoryStore();
    await runEngine({ plan, transports, store, runId: 'r', config: {}, configHash: 'h' });
    const rows = await committedRows(store, 'r');
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row['turns']).toBe((row['blurb__trace'] as unknown[]).length);
      expect(row['turns']).toBeGreaterThan(0);
      expect(row['echo']).toBe(`${row['topic'] as string}: ${row['blurb'] as string}`);
    }
  });

  it('gives rows of the same topic the same vector and other topics another', async () => {
    const { rows } = await generate();
    const byTopic = new Map<string, Float32Array>();
    for (const row of rows) {
      const topic = row['topic'] as string;
      const vector = row['topic_vector'] as Float32Array;
      const seen = byTopic.get(topic);
      if (seen) expect(vector).toEqual(seen);
      else byTopic.set(topic, vector);
    }
    const distinct = [...byTopic.values()];
    expect(distinct.length).toBeGreaterThan(1);
    expect(distinct[1]).not.toEqual(distinct[0]);
  });

  it('SPEC 2: gives the same values on a second run with the same seed', async () => {
    const [a, b] = [await generate(), await generate()];
    expect(b.rows).toEqual(a.rows);
  });
});
