/**
 * `llm-structured` (SPEC 1): JSON matching `output_format`, a JSON Schema. The schema
 * goes to the endpoint as its JSON-schema response format and, as Data Designer does,
 * into the user prompt between <response_schema> tags. The answer's JSON (fenced or
 * bare) is validated; a bad answer is corrected within the column's limits
 * (corrections.ts). The value is the parsed, validated JSON.
 */
import type { CellGenerator } from '../engine/plan.ts';
import {
  DEFAULT_CORRECTION_LIMITS,
  chatWithCorrections,
  checkLimits,
  conversationTrace,
  type CorrectionLimits,
} from './corrections.ts';
import { jsonInstructions, parseJsonAnswer, type Parsed } from './json-output.ts';
import type { AnswerValidator } from './json-schema.ts';
import { llmCellGenerator, type LlmTextOptions } from './llm-text.ts';

interface LlmStructuredOptions extends LlmTextOptions {
  /** The JSON Schema (`output_format`). Required. */
  schema: Record<string, unknown>;
  /** `schema` compiled by compileAnswerValidator. Required. */
  validate: AnswerValidator;
  /** Default: DEFAULT_CORRECTION_LIMITS (2 corrections, 1 restart). */
  limits?: CorrectionLimits;
}

/** Reads an answer as JSON valid for `validate`. */
function jsonAnswerReader(validate: AnswerValidator): (answer: string) => Parsed<unknown> {
  return (answer) => {
    const parsed = parseJsonAnswer(answer);
    return parsed.ok ? validate(parsed.value) : parsed;
  };
}

/** `llm-structured`: one conversation per cell; the value is the validated JSON. */
export function llmStructuredGenerator(options: LlmStructuredOptions): CellGenerator {
  return jsonAnswerGenerator(options, {
    schema: options.schema,
    read: jsonAnswerReader(options.validate),
    expected: 'its output_format',
  });
}

/** What a column asking for JSON asks and how it reads the answers. */
interface JsonAnswerSpec<T> {
  /** The response schema, sent to the endpoint and shown in the prompt. */
  schema: Record<string, unknown>;
  /** Reads an answer: its value, or the problem fed back as a correction. */
  read: (answer: string) => Parsed<T>;
  /** What the column wanted, named when it fails, e.g. `its output_format`. */
  expected: string;
}

/** A cell generator asking for JSON (llm-structured, llm-judge): prompt, corrections, trace. */
export function jsonAnswerGenerator<T>(
  options: LlmTextOptions & { limits?: CorrectionLimits },
  spec: JsonAnswerSpec<T>,
): CellGenerator {
  const { name, binding, withTrace } = options;
  const limits = checkLimits(options.limits ?? DEFAULT_CORRECTION_LIMITS, `column '${name}'`);
  return llmCellGenerator(options, jsonInstructions(spec.schema), async (ctx, messages) => {
    const result = await chatWithCorrections(ctx, {
      column: name,
      expected: spec.expected,
      binding,
      messages,
      responseSchema: spec.schema,
      read: spec.read,
      limits,
    });
    return {
      value: result.value,
      trace: () => conversationTrace(withTrace, result.conversation),
      reasoning: result.response.reasoning,
    };
  });
}
