import { describe, expect, it } from 'vitest';
import { ErrorCodes, ModelError, TabsynthError } from '../../../src/core/errors.ts';
import { embeddingGenerator, embeddingInput } from '../../../src/core/generators/embedding.ts';
import { ScriptedModels, binding, cellContext, rejection } from './llm-fakes.ts';

function generator(dimensions: number | null = 3) {
  return embeddingGenerator({
    name: 'vec',
    upstream: ['text'],
    targetColumn: 'text',
    binding,
    dimensions,
  });
}

describe('embedding: the vector of target_column', () => {
  it('embeds a string as one Float32Array, asking for the configured dimensions', async () => {
    const models = new ScriptedModels([], (r) => [
      Float32Array.from([0.5, -1, r.input[0]!.length]),
    ]);
    const out = await generator().generate(cellContext(models, { text: '  a quiet lamp ' }));
    expect(out['vec']).toBeInstanceOf(Float32Array);
    expect(Array.from(out['vec'] as Float32Array)).toEqual([0.5, -1, 12]);
    expect(models.embeds).toEqual([
      {
        key: 'sim/judge-model',
        request: {
          model: 'judge-model',
          input: ['a quiet lamp'],
          dimensions: 3,
          timeoutMs: 30_000,
        },
      },
    ]);
  });

  it('leaves dimensions to the model when none is configured', async () => {
    const models = new ScriptedModels();
    await generator(null).generate(cellContext(models, { text: 'x' }));
    expect(models.embeds[0]!.request).not.toHaveProperty('dimensions');
  });

  it('embeds a JSON list of texts as a list of vectors, in order, in one request', async () => {
    const models = new ScriptedModels();
    const out = await generator().generate(cellContext(models, { text: '[" one ", "three"]' }));
    expect(models.embeds).toHaveLength(1);
    expect(models.embeds[0]!.request.input).toEqual(['one', 'three']);
    const vectors = out['vec'] as Float32Array[];
    expect(vectors).toHaveLength(2);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [3, 0],
      [5, 1],
    ]);
  });

  it('reads the target value as Data Designer does: arrays, JSON lists, other values as one text', () => {
    expect(embeddingInput(['a', 2, { k: 1 }])).toEqual({
      texts: ['a', '2', '{"k":1}'],
      list: true,
    });
    expect(embeddingInput('[not json')).toEqual({ texts: ['[not json'], list: false });
    expect(embeddingInput('{"a": 1}')).toEqual({ texts: ['{"a": 1}'], list: false });
    expect(embeddingInput(42)).toEqual({ texts: ['42'], list: false });
    expect(embeddingInput(null)).toBeUndefined();
  });

  it('gives an empty list for an empty list without asking the model', async () => {
    const models = new ScriptedModels();
    expect(await generator().generate(cellContext(models, { text: '[]' }))).toEqual({ vec: [] });
    expect(models.embeds).toHaveLength(0);
  });

  it('fails the cell when the target has no text', async () => {
    const models = new ScriptedModels();
    const run = generator().generate(cellContext(models, { text: null }));
    await expect(run).rejects.toBeInstanceOf(TabsynthError);
    await expect(run).rejects.toThrow(
      "column 'vec': expected text in target column 'text', got null",
    );
  });

  it('fails with MODEL_BAD_RESPONSE when the endpoint returns another number of vectors', async () => {
    const models = new ScriptedModels([], () => [new Float32Array(2)]);
    const err = await rejection(generator().generate(cellContext(models, { text: '["a", "b"]' })));
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
    expect((err as ModelError).message).toBe(
      `column 'vec': expected 2 embedding(s) from model "judge-model", got 1`,
    );
  });
});
