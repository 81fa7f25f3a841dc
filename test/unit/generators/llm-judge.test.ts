import { describe, expect, it } from 'vitest';
import type { JudgeScore } from '../../../src/core/config/types.ts';
import { ErrorCodes, ModelError } from '../../../src/core/errors.ts';
import { compileAnswerValidator } from '../../../src/core/generators/json-schema.ts';
import {
  judgeSchema,
  llmJudgeGenerator,
  optionValue,
} from '../../../src/core/generators/llm-judge.ts';
import { ScriptedModels, binding, cellContext, prompt, rejection } from './llm-fakes.ts';

const scores: JudgeScore[] = [
  {
    name: 'accuracy',
    description: 'Is the answer factually right?',
    options: { '1': 'wrong', '2': 'partly right', '3': 'right' },
  },
  { name: 'tone', description: 'How polite is it?', options: { Rude: 'rude', Polite: 'polite' } },
];

function generator() {
  return llmJudgeGenerator({
    name: 'grade',
    upstream: [],
    prompt,
    binding,
    withTrace: 'none',
    extractReasoningContent: false,
    scores,
    validate: compileAnswerValidator(judgeSchema(scores), 'columns[4].scores'),
  });
}

const answer = (accuracy: unknown, tone: unknown) =>
  JSON.stringify({
    accuracy: { reasoning: 'checked the dates', score: accuracy },
    tone: { reasoning: 'says please', score: tone },
  });

describe('llm-judge: the rubric as a response schema', () => {
  it('restricts each score to its option keys, numeric keys as numbers', () => {
    const schema = judgeSchema(scores) as {
      required: string[];
      properties: Record<
        string,
        { required: string[]; properties: { score: { enum: unknown[] } } }
      >;
    };
    expect(schema.required).toEqual(['accuracy', 'tone']);
    expect(schema.properties['accuracy']!.properties.score.enum).toEqual([1, 2, 3]);
    expect(schema.properties['tone']!.properties.score.enum).toEqual(['Rude', 'Polite']);
    expect(schema.properties['tone']!.required).toEqual(['reasoning', 'score']);
    expect([optionValue('10'), optionValue('-1.5'), optionValue('01'), optionValue(' 2')]).toEqual([
      10,
      -1.5,
      '01',
      ' 2',
    ]);
  });

  it('shows the rubric (each option and its meaning) in the prompt and sends the schema', async () => {
    const models = new ScriptedModels([answer(3, 'Polite')]);
    await generator().generate(cellContext(models, { topic: 'the answer' }));
    const [user] = models.userMessages(0);
    expect(user).toMatch(/^Describe the answer\.\n\n/);
    expect(user).toContain('Is the answer factually right?');
    expect(user).toContain(
      'Score descriptions for accuracy:\\n* 1: wrong\\n* 2: partly right\\n* 3: right',
    );
    expect(models.chats[0]!.request.response_schema).toEqual(judgeSchema(scores));
  });
});

describe('llm-judge: the value', () => {
  it('is {<score>: {score, reasoning}} with numeric scores kept numbers', async () => {
    const models = new ScriptedModels([`\`\`\`json\n${answer(2, 'Rude')}\n\`\`\``]);
    const out = await generator().generate(cellContext(models));
    expect(out).toEqual({
      grade: {
        accuracy: { score: 2, reasoning: 'checked the dates' },
        tone: { score: 'Rude', reasoning: 'says please' },
      },
    });
  });

  it('takes a score matching one option loosely ("3" for 3, "polite" for Polite) without a correction', async () => {
    const models = new ScriptedModels([answer('3', ' polite ')]);
    const out = await generator().generate(cellContext(models));
    expect(out['grade']).toEqual({
      accuracy: { score: 3, reasoning: 'checked the dates' },
      tone: { score: 'Polite', reasoning: 'says please' },
    });
    expect(models.chats).toHaveLength(1);
  });

  it('corrects a score outside the options, naming the allowed ones', async () => {
    const models = new ScriptedModels([answer(5, 'Polite'), answer(1, 'Polite')]);
    const out = await generator().generate(cellContext(models));
    expect((out['grade'] as Record<string, { score: unknown }>)['accuracy']!.score).toBe(1);
    const feedback = models.userMessages(1)[1]!;
    expect(feedback).toContain(
      'at /accuracy/score: must be equal to one of the allowed values [1,2,3]',
    );
  });

  it('corrects a missing score or reasoning', async () => {
    const missing = JSON.stringify({ accuracy: { score: 1 } });
    const models = new ScriptedModels([missing, answer(1, 'Rude')]);
    await generator().generate(cellContext(models));
    const feedback = models.userMessages(1)[1]!;
    expect(feedback).toContain("must have required property 'tone'");
    expect(feedback).toContain("at /accuracy: must have required property 'reasoning'");
  });

  it('drops the row (MODEL_BAD_RESPONSE) when every attempt scores outside the options', async () => {
    const models = new ScriptedModels([answer(4, 'Polite')]);
    const err = await rejection(generator().generate(cellContext(models)));
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe(ErrorCodes.MODEL_BAD_RESPONSE);
    expect((err as ModelError).message).toMatch(
      /^column 'grade': expected an answer matching its scores/,
    );
    expect(models.chats).toHaveLength(6);
  });
});
