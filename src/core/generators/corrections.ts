/**
 * The correction loop of llm-structured and llm-judge (SPEC 3.6: "schema-invalid
 * output after the correction retries" is non-retryable). As Data Designer's
 * `max_conversation_correction_steps` and `max_conversation_restarts`: an answer
 * that cannot be used is fed back as a user turn naming its problem, up to
 * `maxCorrections` times in one conversation; then the conversation starts over from
 * its first messages, up to `maxRestarts` times; then the cell fails with
 * MODEL_BAD_RESPONSE, which drops its row.
 */
import { ErrorCodes, ModelError, TabsynthError } from '../errors.ts';
import type { CellContext } from '../engine/plan.ts';
import type { ChatMessage, ChatResponse } from '../models/types.ts';
import { correctionMessage, type Parsed } from './json-output.ts';
import { requestParameters, type ModelBinding, type TraceMode } from './llm-text.ts';

/** Corrections per conversation when the column sets none (Data Designer's default is 0). */
const DEFAULT_MAX_CORRECTIONS = 2;
/** Fresh conversations after the first when the column sets none (Data Designer's default is 5). */
const DEFAULT_MAX_RESTARTS = 1;

export interface CorrectionLimits {
  /** Corrections fed back within one conversation. Default: DEFAULT_MAX_CORRECTIONS (2). */
  maxCorrections: number;
  /** Conversations started over after the first one is exhausted. Default: DEFAULT_MAX_RESTARTS (1). */
  maxRestarts: number;
}

export const DEFAULT_CORRECTION_LIMITS: CorrectionLimits = {
  maxCorrections: DEFAULT_MAX_CORRECTIONS,
  maxRestarts: DEFAULT_MAX_RESTARTS,
};

interface CorrectedChat<T> {
  /** The accepted answer's value. */
  value: T;
  /** The conversation that produced it: its first messages, every answer and correction. */
  conversation: ChatMessage[];
  /** The accepted answer. */
  response: ChatResponse;
}

interface CorrectedChatOptions<T> {
  /** The column, named in the failure. */
  column: string;
  /** What the column wanted, named in the failure, e.g. `output_format`. */
  expected: string;
  binding: ModelBinding;
  /** The first messages of every conversation. */
  messages: readonly ChatMessage[];
  /** Sent as the request's response_schema (the endpoint's JSON-schema response format). */
  responseSchema: Record<string, unknown>;
  /** Reads an answer: its value, or the problem to feed back. */
  read: (answer: string) => Parsed<T>;
  limits: CorrectionLimits;
}

/** Asks until an answer reads, correcting and restarting within `limits`. */
export async function chatWithCorrections<T>(
  ctx: CellContext,
  options: CorrectedChatOptions<T>,
): Promise<CorrectedChat<T>> {
  const { binding, limits } = options;
  const params = requestParameters(binding, ctx.seed);
  let conversation = [...options.messages];
  let corrections = 0;
  let restarts = 0;
  for (;;) {
    const response = await ctx.models.chat(binding.modelKey, {
      ...params,
      messages: [...conversation],
      response_schema: options.responseSchema,
    });
    conversation.push({ role: 'assistant', content: response.text });
    const read = options.read(response.text);
    if (read.ok) return { value: read.value, conversation, response };
    if (corrections < limits.maxCorrections) {
      corrections++;
      conversation.push({ role: 'user', content: correctionMessage(read.error) });
    } else if (restarts < limits.maxRestarts) {
      restarts++;
      corrections = 0;
      conversation = [...options.messages];
    } else {
      throw new ModelError(
        ErrorCodes.MODEL_BAD_RESPONSE,
        `column '${options.column}': expected an answer matching ${options.expected}, ` +
          `got none after ${limits.maxCorrections} correction(s) and ${limits.maxRestarts} restart(s); ` +
          `last answer: ${read.error}`,
        { column: options.column, model: binding.model, schemaError: read.error },
      );
    }
  }
}

/** The `__trace` value of a finished conversation (its last answer, or all of it). */
export function conversationTrace(mode: TraceMode, conversation: ChatMessage[]): ChatMessage[] {
  if (mode === 'all_messages') return conversation.map((m) => ({ ...m }));
  const last = [...conversation].reverse().find((m) => m.role === 'assistant');
  return last ? [{ ...last }] : [];
}

/** Checks limits given by a caller. */
export function checkLimits(limits: CorrectionLimits, where: string): CorrectionLimits {
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new TabsynthError(
        ErrorCodes.INVALID_ARGUMENT,
        `${where} ${key}: expected a non-negative integer, got ${String(value)}`,
      );
    }
  }
  return limits;
}
