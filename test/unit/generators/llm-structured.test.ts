import { describe, expect, it } from 'vitest';
import { ConfigError, ErrorCodes, ModelError } from '../../../src/core/errors.ts';
import type { CorrectionLimits } from '../../../src/core/generators/corrections.ts';
import { parseJsonAnswer } from '../../../src/core/generators/json-output.ts';
import { compileAnswerValidator } from '../../../src/core/generators/json-schema.ts';
import { llmStructuredGenerator } from '../../../src/core/generators/llm-structured.ts';
import { ScriptedModels, binding, cellContext, prompt, rejection } from './llm-fakes.ts';

const schema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    year: { type: 'integer', minimum: 1900 },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['title', 'year'],
};

function generator(
  withTrace: 'none' | 'all_messages' = 'none',
  limits?: CorrectionLimits,
  outputFormat: Record<string, unknown> = schema,
) {
  return llmStructuredGenerator({
    name: 'book',
    upstream: [],
    prompt,
    binding,
    withTrace,
    extractReasoningContent: true,
    schema: outputFormat,
    validate: compileAnswerValidator(outputFormat, 'columns[1].output_format'),
    ...(limits ? { limits } : {}),
  });
}

const good = '{"title": "Dune", "year": 1965}';

describe('llm-structured: reading the JSON of an answer', () => {
  it('reads a ```json block with prose around it', () => {
    expect(parseJsonAnswer(`Here it is:\n\`\`\`json\n${good}\n\`\`\`\nHope it helps.`)).toEqual({
      ok: true,
      value: { title: 'Dune', year: 1965 },
    });
  });

  it('reads bare JSON, alone or inside prose (braces in strings do not confuse it)', () => {
    expect(parseJsonAnswer(`  ${good}  `)).toEqual({
      ok: true,
      value: { title: 'Dune', year: 1965 },
    });
    expect(parseJsonAnswer('Sure! {"a": "}{", "b": [1, {"c": 2}]} is the answer.')).toEqual({
      ok: true,
      value: { a: '}{', b: [1, { c: 2 }] },
    });
  });

  it('takes the last ```json block that parses, as a model that corrects itself ends with it', () => {
    const answer = '```json\n{"v": 1}\n```\nOops, fixed:\n```json\n{"v": 2}\n```';
    expect(parseJsonAnswer(answer)).toEqual({ ok: true, value: { v: 2 } });
  });

  it('says why when there is no JSON', () => {
    const none = parseJsonAnswer('I cannot help with that.');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.error).toMatch(/expected a JSON value, found none/);
    const broken = parseJsonAnswer('```json\n{"title": "Dune",\n```');
    expect(!broken.ok && broken.error).toMatch(/```json block does not parse/);
  });
});

describe('llm-structured: the schema, sent and validated', () => {
  it('sends output_format as response_schema and describes it in the prompt', async () => {
    const models = new ScriptedModels([good]);
    const out = await generator().generate(cellContext(models, { topic: 'a novel' }));
    expect(out['book']).toEqual({ title: 'Dune', year: 1965 });
    expect(out['book__reasoning_content']).toBe('reasoning 1');
    const request = models.chats[0]!.request;
    expect(request.response_schema).toEqual(schema);
    expect(request.temperature).toBe(0.5);
    expect(request.timeoutMs).toBe(30_000);
    const [user] = models.userMessages(0);
    expect(user).toMatch(/^Describe a novel\.\n\n/);
    expect(user).toContain(`<response_schema>\n${JSON.stringify(schema)}\n</response_schema>`);
    expect(user).toContain('```json');
  });

  it('drops properties the schema does not declare, as Data Designer prunes them', async () => {
    const models = new ScriptedModels(['{"title": "Emma", "year": 1915, "rating": 5}']);
    const out = await generator().generate(cellContext(models));
    expect(out['book']).toEqual({ title: 'Emma', year: 1915 });
    expect(models.chats).toHaveLength(1);
  });

  it('keeps free-form maps (a bare object schema, or additionalProperties given)', () => {
    const validate = compileAnswerValidator(
      {
        type: 'object',
        properties: {
          meta: { type: 'object' },
          counts: { additionalProperties: { type: 'integer' } },
        },
      },
      'x',
    );
    const value = { meta: { any: 1 }, counts: { a: 1, b: 2 } };
    expect(validate(value)).toEqual({ ok: true, value });
  });

  it('reads a draft-07 schema as draft-07 and a 2020-12 one with prefixItems', () => {
    const d7 = compileAnswerValidator(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'array',
        items: [{ type: 'string' }],
      },
      'x',
    );
    expect(d7(['a', 1]).ok).toBe(true);
    const d2020 = compileAnswerValidator({ type: 'array', prefixItems: [{ type: 'string' }] }, 'x');
    expect(d2020([1]).ok).toBe(false);
  });

  it('compiles two columns whose schemas share an $id, each keeping its own rules', () => {
    const a = compileAnswerValidator(
      { $id: 'https://example.com/shape.json', type: 'string' },
      'columns[1].output_format',
    );
    const b = compileAnswerValidator(
      { $id: 'https://example.com/shape.json', type: 'integer' },
      'columns[2].output_format',
    );
    expect([a('x').ok, a(1).ok, b('x').ok, b(1).ok]).toEqual([true, false, false, true]);
  });

  it('reports a schema that does not compile as a config error at its path', () => {
    const bad = () =>
      compileAnswerValidator(
        { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } },
        'columns[2].output_format',
      );
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/columns\[2\]\.output_format: expected a JSON Schema that compiles/);
  });
});

describe('SPEC 3.6 llm-structured corrections', () => {
  it('feeds the schema error back as a user turn, then takes the corrected answer', async () => {
    const models = new ScriptedModels([
      '{"title": "Dune", "year": "1965"}',
      `\`\`\`json\n${good}\n\`\`\``,
    ]);
    const out = await generator('all_messages').generate(cellContext(models, { topic: 'x' }));
    expect(out['book']).toEqual({ title: 'Dune', year: 1965 });
    expect(models.chats).toHaveLength(2);
    const second = models.chats[1]!.request.messages;
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(second[1]!.content).toBe('{"title": "Dune", "year": "1965"}');
    expect(second[2]!.content).toMatch(
      /does not match the requested <response_schema>: at \/year: must be integer/,
    );
    expect(models.chats[1]!.request.response_schema).toEqual(schema);
    const trace = out['book__trace'] as { role: string; content: string }[];
    expect(trace.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(trace[3]!.content).toContain(good);
    expect(out['book__reasoning_content']).toBe('reasoning 2');
  });

  it('restarts from the first messages once the corrections are spent', async () => {
    const models = new ScriptedModels(['no', 'still no', 'nope', good]);
    const out = await generator('all_messages').generate(cellContext(models));
    expect(out['book']).toEqual({ title: 'Dune', year: 1965 });
    expect(models.chats.map((c) => c.request.messages.length)).toEqual([1, 3, 5, 1]);
    expect(models.chats[3]!.request.messages).toEqual(models.chats[0]!.request.messages);
    expect((out['book__trace'] as unknown[]).length).toBe(2);
  });

  it('fails with a non-retryable MODEL_BAD_RESPONSE naming the column and the schema error', async () => {
    const models = new ScriptedModels(['{"title": "Dune"}']);
    const err = await rejection(generator().generate(cellContext(models)));
    expect(models.chats).toHaveLength(6); // (1 + 2 corrections) x (1 + 1 restart)
    expect(err).toBeInstanceOf(ModelError);
    const e = err as ModelError;
    expect(e.code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/^column 'book': expected an answer matching its output_format/);
    expect(e.message).toContain("must have required property 'year'");
  });

  it('honours the limits it is given: none means a single request', async () => {
    const models = new ScriptedModels(['[]']);
    await expect(
      generator('none', { maxCorrections: 0, maxRestarts: 0 }).generate(cellContext(models)),
    ).rejects.toThrow(
      /after 0 correction\(s\) and 0 restart\(s\); last answer: at \(root\): must be object/,
    );
    expect(models.chats).toHaveLength(1);
    expect(() => generator('none', { maxCorrections: -1, maxRestarts: 0 })).toThrow(
      /maxCorrections: expected a non-negative integer, got -1/,
    );
  });
});
