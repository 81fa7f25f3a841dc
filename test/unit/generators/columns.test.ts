import { describe, expect, it } from 'vitest';
import {
  samplerGroupGenerator,
  rowIdGenerator,
} from '../../../src/core/generators/sampler-group.ts';
import { categorySampler } from '../../../src/core/generators/samplers/category.ts';
import { uniformSampler } from '../../../src/core/generators/samplers/continuous.ts';
import { castSkipValue, expressionGenerator } from '../../../src/core/generators/expression.ts';
import { compileTemplate } from '../../../src/core/config/compile.ts';
import { llmTextGenerator } from '../../../src/core/generators/llm-text.ts';
import { sampleParameter } from '../../../src/core/generators/inference-params.ts';
import type {
  BatchContext,
  BatchValues,
  CellContext,
  ModelAccess,
} from '../../../src/core/engine/plan.ts';
import type { ChatRequest } from '../../../src/core/models/types.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { columnsOf } from '../../../src/core/storage/columnar.ts';

const noModels: ModelAccess = {
  chat: () => Promise.reject(new Error('no model here')),
  embed: () => Promise.reject(new Error('no model here')),
};

function batch(first: number, n: number, rows?: Row[]): BatchContext {
  const rowIndices = Array.from({ length: n }, (_, i) => first + i);
  return {
    columns: columnsOf(rows ?? [], [...new Set((rows ?? []).flatMap((r) => Object.keys(r)))]),
    rowIndices,
    rowGroup: 0,
    runSeed: 42,
    signal: new AbortController().signal,
    models: noModels,
  };
}

async function run(
  gen: { generate: (c: BatchContext) => BatchValues | Promise<BatchValues> },
  ctx: BatchContext,
) {
  return gen.generate(ctx);
}

describe('SPEC 2 determinism: the sampler group', () => {
  const group = () =>
    samplerGroupGenerator('samplers', [
      { name: 'kind', draw: categorySampler({ values: ['a', 'b'] }), readsRow: false },
      { name: 'score', draw: uniformSampler({ low: 0, high: 1 }), readsRow: false },
    ]);

  it('gives every cell the same value whatever the row-group split', async () => {
    const whole = await run(group(), batch(0, 100));
    const parts = [
      await run(group(), batch(0, 30)),
      await run(group(), batch(30, 45)),
      await run(group(), batch(75, 25)),
    ];
    for (const col of ['kind', 'score']) {
      expect(parts.flatMap((p) => p.columns[col]!)).toEqual(whole.columns[col]);
    }
  });

  it('draws different values in different columns and rows', async () => {
    const out = await run(group(), batch(0, 1000));
    expect(new Set(out.columns['score']).size).toBe(1000);
  });

  it('lets a sampler read the earlier samplers of its row (conditional params)', async () => {
    const gen = samplerGroupGenerator('samplers', [
      { name: 'kind', draw: categorySampler({ values: ['cheap', 'dear'] }), readsRow: false },
      {
        name: 'price',
        draw: uniformSampler({ low: 0, high: 10 }),
        conditional: [
          { when: (row) => row['kind'] === 'dear', draw: uniformSampler({ low: 100, high: 110 }) },
        ],
        readsRow: true,
      },
    ]);
    const out = await run(gen, batch(0, 500));
    out.columns['kind']!.forEach((kind, i) => {
      const price = out.columns['price']![i] as number;
      if (kind === 'dear') expect(price).toBeGreaterThanOrEqual(100);
      else expect(price).toBeLessThan(10);
    });
  });

  it("constraints: the rejection budget is the run's, so meeting them does not depend on buffer_size", async () => {
    // Accepts about 1 draw in 4: 3 rejections per row on average, under 5 x rows overall,
    // but a row group of one unlucky row would spend a per-group budget of 5 at once.
    const gen = () =>
      samplerGroupGenerator(
        'samplers',
        [{ name: 'x', draw: uniformSampler({ low: 0, high: 1 }), readsRow: false }],
        {
          constraints: [
            { constraint_type: 'scalar_inequality', target_column: 'x', operator: 'gt', rhs: 0.75 },
          ],
          runRows: 200,
        },
      );
    const whole = await run(gen(), batch(0, 200));
    const g = gen();
    const ones: unknown[] = [];
    for (let r = 0; r < 200; r++) ones.push(...(await run(g, batch(r, 1))).columns['x']!);
    expect(ones).toEqual(whole.columns['x']);
    expect(Math.min(...(ones as number[]))).toBeGreaterThan(0.75);
  });

  it('3.1 a config with neither samplers nor seeds gets a hidden row id', async () => {
    const out = await run(rowIdGenerator('__row_id'), batch(10, 3));
    expect(out.columns['__row_id']).toEqual([10, 11, 12]);
  });
});

describe('expression column', () => {
  it('casts to its dtype', async () => {
    const rows = [{ a: 2 }, { a: 3 }];
    const render = (row: Row) => String((row['a'] as number) * 2);
    for (const [dtype, expected] of [
      ['str', ['4', '6']],
      ['int', [4, 6]],
      ['float', [4, 6]],
    ] as const) {
      const gen = expressionGenerator({ name: 'b', upstream: ['a'], render, dtype });
      expect((await run(gen, batch(0, 2, rows))).columns['b']).toEqual(expected);
    }
    const gen = expressionGenerator({
      name: 'ok',
      upstream: [],
      render: (row) => (row['a'] === 2 ? 'True' : 'false'),
      dtype: 'bool',
    });
    expect((await run(gen, batch(0, 2, rows))).columns['ok']).toEqual([true, false]);
  });

  it('2 the random filter draws per cell: reproducible, and the same whatever the row-group split', async () => {
    const render = compileTemplate('{{ range(1000) | random }}', 'columns[0].expr');
    const gen = () => expressionGenerator({ name: 'r', upstream: [], render, dtype: 'int' });
    const whole = (await run(gen(), batch(0, 50))).columns['r']!;
    const split = [
      ...(await run(gen(), batch(0, 20))).columns['r']!,
      ...(await run(gen(), batch(20, 30))).columns['r']!,
    ];
    expect(split).toEqual(whole);
    expect(new Set(whole).size).toBeGreaterThan(40);
  });

  it('3.6 a row whose value does not cast is dropped alone, with an error naming the column', async () => {
    const gen = expressionGenerator({
      name: 'n',
      upstream: [],
      render: (row) => String(row['a']),
      dtype: 'int',
    });
    const out = await run(gen, batch(0, 3, [{ a: '1' }, { a: 'x' }, { a: '3' }]));
    expect(out.droppedRows).toEqual([1]);
    expect(out.columns['n']).toEqual([1, null, 3]);
    expect(String(out.rowErrors?.get(1))).toMatch(/column 'n': dtype int expected .* found "x"/);
  });
});

describe('expression rows that drop and batches that stop the run', () => {
  it('3.6 an expression that renders empty or whitespace drops its row, whatever the dtype', async () => {
    for (const dtype of ['str', 'int', 'float', 'bool'] as const) {
      const gen = expressionGenerator({
        name: 'e',
        upstream: [],
        render: (row) => String(row['a']),
        dtype,
      });
      const out = await run(gen, batch(0, 3, [{ a: '1' }, { a: ' \n\t' }, { a: '' }]));
      expect(out.droppedRows).toEqual([1, 2]);
      expect(String(out.rowErrors?.get(2))).toContain(
        "column 'e': expected the expression to render a value for row 3, found an empty or whitespace-only text",
      );
    }
  });

  it('3.6 an expression batch that drops every row throws EXPRESSION_NO_VALID_ROWS naming the column', async () => {
    const gen = expressionGenerator({ name: 'e', upstream: [], render: () => ' ', dtype: 'str' });
    await expect(run(gen, batch(0, 2, [{}, {}]))).rejects.toMatchObject({
      code: 'EXPRESSION_NO_VALID_ROWS',
      message: expect.stringMatching(/^expression column e produced no valid rows: all 2 rows/),
    });
  });

  it('1 skip.value is cast to the expression dtype; null stays null; what does not convert is refused', () => {
    expect(castSkipValue('e', 'int', '-1')).toBe(-1);
    expect(castSkipValue('e', 'int', 2.7)).toBe(2);
    expect(castSkipValue('e', 'float', '3.14')).toBe(3.14);
    expect(castSkipValue('e', 'bool', 'true')).toBe(true);
    expect(castSkipValue('e', 'bool', 0)).toBe(false);
    expect(castSkipValue('e', 'str', 5)).toBe('5');
    expect(castSkipValue('e', 'int', null)).toBeNull();
    expect(() => castSkipValue('e', 'float', 'n/a')).toThrow(
      `column 'e': skip.value must convert to the column's dtype float, found "n/a"`,
    );
  });
});

describe('llm-text column', () => {
  function cell(row: Row, requests: unknown[]): CellContext {
    return {
      row,
      rowIndex: 5,
      seed: 1234,
      runSeed: 42,
      signal: new AbortController().signal,
      models: {
        chat: (key: string, req: Omit<ChatRequest, 'seed' | 'signal'>) => {
          requests.push({ key, ...req });
          return Promise.resolve({
            text: `answer to ${req.messages.at(-1)!.content}`,
            reasoning: 'thought',
            usage: { promptTokens: 3, completionTokens: 4 },
            attempts: 1,
          });
        },
        embed: noModels.embed,
      },
    };
  }

  it('sends the rendered prompts and writes the answer with its side columns', async () => {
    const gen = llmTextGenerator({
      name: 'review',
      upstream: ['product'],
      prompt: (row) => `Review ${String(row['product'])}`,
      systemPrompt: () => 'You are terse.',
      binding: { modelKey: 'sim/m', model: 'm', temperature: 0.5, max_tokens: 20, timeout: 30 },
      withTrace: 'all_messages',
      extractReasoningContent: true,
    });
    expect(gen.outputs).toEqual(['review', 'review__trace', 'review__reasoning_content']);
    const requests: unknown[] = [];
    const values = await gen.generate(cell({ product: 'a lamp' }, requests));
    expect(values['review']).toBe('answer to Review a lamp');
    expect(values['review__reasoning_content']).toBe('thought');
    expect(values['review__trace']).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Review a lamp' },
      { role: 'assistant', content: 'answer to Review a lamp' },
    ]);
    expect(requests).toEqual([
      expect.objectContaining({
        key: 'sim/m',
        model: 'm',
        temperature: 0.5,
        max_tokens: 20,
        timeoutMs: 30_000,
      }),
    ]);
  });

  it('samples temperature from a distribution per cell, reproducibly', () => {
    const dist = { distribution_type: 'uniform' as const, params: { low: 0.2, high: 0.8 } };
    const xs = Array.from({ length: 200 }, (_, seed) => sampleParameter(dist, seed, 0)!);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0.2);
    expect(Math.max(...xs)).toBeLessThan(0.8);
    expect(new Set(xs).size).toBe(200);
    expect(sampleParameter(dist, 17, 0)).toBe(sampleParameter(dist, 17, 0));
    const manual = {
      distribution_type: 'manual' as const,
      params: { values: [0.1, 0.9], weights: [1, 0] },
    };
    expect(sampleParameter(manual, 3, 0)).toBe(0.1);
  });
});
