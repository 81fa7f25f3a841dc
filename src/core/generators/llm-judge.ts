/**
 * `llm-judge` (SPEC 1): for each score of the rubric, `{score, reasoning}`. As Data
 * Designer, the rubric becomes a JSON Schema (one object per score, described by the
 * score's description, its `score` restricted to the option keys and described by
 * the list of options) that is sent as the response format and shown in the prompt.
 * Option keys that are numbers in disguise (`"1"`, YAML's int keys) are numbers in
 * the schema and the value. An answer whose score matches an option only loosely
 * (`"3"` for 3, `"Good"` for `good`) is taken as that option, as Data Designer does;
 * other bad answers are corrected like llm-structured's.
 */
import type { CellGenerator } from '../engine/plan.ts';
import type { JudgeScore } from '../config/types.ts';
import type { CorrectionLimits } from './corrections.ts';
import { parseJsonAnswer, type Parsed } from './json-output.ts';
import type { AnswerValidator } from './json-schema.ts';
import type { LlmTextOptions } from './llm-text.ts';
import { jsonAnswerGenerator } from './llm-structured.ts';

interface LlmJudgeOptions extends LlmTextOptions {
  /** The rubric. Required, at least one score. */
  scores: readonly JudgeScore[];
  /** `judgeSchema(scores)` compiled by compileAnswerValidator. Required. */
  validate: AnswerValidator;
  /** Default: DEFAULT_CORRECTION_LIMITS (2 corrections, 1 restart). */
  limits?: CorrectionLimits;
}

/** One score's result. */
interface JudgeResult {
  /** One of the score's option keys (a number when the key is numeric). */
  score: string | number;
  /** Why the model gave it. */
  reasoning: string;
}

/** An option key as the schema and the value carry it: `"2"` is 2, `"good"` stays. */
export function optionValue(key: string): string | number {
  const n = Number(key);
  return key.trim() !== '' && Number.isFinite(n) && String(n) === key ? n : key;
}

/** The response schema of a rubric. */
export function judgeSchema(scores: readonly JudgeScore[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const s of scores) {
    const rubric = Object.entries(s.options)
      .map(([key, meaning]) => `* ${key}: ${meaning}`)
      .join('\n');
    properties[s.name] = {
      type: 'object',
      description: s.description,
      properties: {
        reasoning: { type: 'string', description: 'Reasoning for the assigned score.' },
        score: {
          enum: Object.keys(s.options).map(optionValue),
          description: `Score descriptions for ${s.name}:\n${rubric}`,
        },
      },
      required: ['reasoning', 'score'],
      additionalProperties: false,
    };
  }
  return {
    type: 'object',
    description: `Scores of the rubric: ${scores.map((s) => s.name).join(', ')}.`,
    properties,
    required: scores.map((s) => s.name),
    additionalProperties: false,
  };
}

/** Reads an answer: JSON, loose scores taken as their option, valid for the rubric. */
function judgeAnswerReader(
  scores: readonly JudgeScore[],
  validate: AnswerValidator,
): (answer: string) => Parsed<Record<string, JudgeResult>> {
  const options = new Map(scores.map((s) => [s.name, Object.keys(s.options).map(optionValue)]));
  return (answer) => {
    const parsed = parseJsonAnswer(answer);
    if (!parsed.ok) return parsed;
    const checked = validate(coerceScores(parsed.value, options));
    if (!checked.ok) return checked;
    const value = checked.value as Record<string, JudgeResult>;
    const ordered: Record<string, JudgeResult> = {};
    for (const s of scores) {
      const r = value[s.name]!;
      ordered[s.name] = { score: r.score, reasoning: r.reasoning };
    }
    return { ok: true, value: ordered };
  };
}

/** A copy of `answer` whose scores that match exactly one option loosely are that option. */
function coerceScores(answer: unknown, options: Map<string, (string | number)[]>): unknown {
  if (!isObject(answer)) return answer;
  const out: Record<string, unknown> = { ...answer };
  for (const [name, values] of options) {
    const entry = out[name];
    if (!isObject(entry) || !('score' in entry)) continue;
    const given = entry['score'];
    if (values.some((v) => v === given)) continue;
    const loose = values.filter((v) => normalize(v) === normalize(given));
    if (loose.length === 1) out[name] = { ...entry, score: loose[0] };
  }
  return out;
}

function normalize(value: unknown): string {
  if (typeof value === 'string') return value.trim().toLowerCase();
  return String(value).trim().toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `llm-judge`: one conversation per cell; the value is `{<score>: {score, reasoning}}`. */
export function llmJudgeGenerator(options: LlmJudgeOptions): CellGenerator {
  return jsonAnswerGenerator(options, {
    schema: judgeSchema(options.scores),
    read: judgeAnswerReader(options.scores, options.validate),
    expected: 'its scores',
  });
}
