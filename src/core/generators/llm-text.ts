import { REASONING_SUFFIX, TRACE_SUFFIX } from '../config/types.ts';
import type { CellContext, CellGenerator, CellValues } from '../engine/plan.ts';
import type { ChatMessage } from '../models/types.ts';
import { sampleParameter, type NumberOrDistribution } from './inference-params.ts';
import type { RenderFn } from './template-fn.ts';

/** What `with_trace` keeps in the `<name>__trace` side column. */
export type TraceMode = 'none' | 'last_message' | 'all_messages';

/** The model side of an llm column: which limiter, which model, which parameters. */
export interface ModelBinding {
  /** PlanModel key: one limiter per (provider, model). */
  modelKey: string;
  /** The provider's model id. */
  model: string;
  temperature?: NumberOrDistribution | null;
  top_p?: NumberOrDistribution | null;
  max_tokens?: number | null;
  /** Seconds, as Data Designer's `timeout`. */
  timeout?: number | null;
  extra_body?: Record<string, unknown> | null;
}

export interface LlmTextOptions {
  name: string;
  upstream: string[];
  prompt: RenderFn;
  systemPrompt?: RenderFn;
  binding: ModelBinding;
  /** Default 'none'. */
  withTrace: TraceMode;
  /** Adds `<name>__reasoning_content`. Default false. */
  extractReasoningContent: boolean;
}

/** The side columns an llm column writes besides its own. */
export function llmSideColumns(name: string, withTrace: TraceMode, reasoning: boolean): string[] {
  const out: string[] = [];
  if (withTrace !== 'none') out.push(name + TRACE_SUFFIX);
  if (reasoning) out.push(name + REASONING_SUFFIX);
  return out;
}

/** Renders the messages of one cell: system prompt (when set), then the user prompt. */
function renderMessages(ctx: CellContext, prompt: RenderFn, system?: RenderFn): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: 'system', content: system(ctx.row, ctx.seed) });
  messages.push({ role: 'user', content: prompt(ctx.row, ctx.seed) });
  return messages;
}

/** The chat request's parameters for one cell, distributions sampled from its seed. */
export function requestParameters(binding: ModelBinding, seed: number) {
  return {
    model: binding.model,
    ...defined('temperature', sampleParameter(binding.temperature, seed, 0)),
    ...defined('top_p', sampleParameter(binding.top_p, seed, 1)),
    ...defined('max_tokens', binding.max_tokens ?? undefined),
    ...defined('extra_body', binding.extra_body ?? undefined),
    ...defined('timeoutMs', binding.timeout != null ? binding.timeout * 1000 : undefined),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The `__trace` value: the last assistant message, or the whole conversation. */
export function traceValue(mode: TraceMode, messages: ChatMessage[], answer: string): unknown {
  const assistant: ChatMessage = { role: 'assistant', content: answer };
  return mode === 'last_message' ? [assistant] : [...messages, assistant];
}

/** What a cell's model exchange produced, for the column and its side columns. */
interface LlmAnswer {
  /** The column's value. */
  value: unknown;
  /** The `__trace` value (see traceValue / conversationTrace). */
  trace: () => unknown;
  /** The answer's `reasoning_content`, if the endpoint sent one. */
  reasoning: string | undefined;
}

/**
 * The shape every llm column shares: one task per cell, the rendered messages
 * (with `instructions` appended to the user prompt), `ask` to get the answer, and
 * the `__trace` / `__reasoning_content` side columns.
 */
export function llmCellGenerator(
  options: LlmTextOptions,
  instructions: string | undefined,
  ask: (ctx: CellContext, messages: ChatMessage[]) => Promise<LlmAnswer>,
): CellGenerator {
  const { name, binding, withTrace, extractReasoningContent } = options;
  return {
    name,
    granularity: 'cell',
    outputs: [name, ...llmSideColumns(name, withTrace, extractReasoningContent)],
    upstream: options.upstream,
    modelKey: binding.modelKey,
    async generate(ctx): Promise<CellValues> {
      const messages = renderMessages(ctx, options.prompt, options.systemPrompt);
      if (instructions) {
        const last = messages[messages.length - 1]!;
        last.content = `${last.content}\n\n${instructions}`;
      }
      const answer = await ask(ctx, messages);
      const values: CellValues = { [name]: answer.value };
      if (withTrace !== 'none') values[name + TRACE_SUFFIX] = answer.trace();
      if (extractReasoningContent) values[name + REASONING_SUFFIX] = answer.reasoning ?? null;
      return values;
    },
  };
}

/** Asks the column's model once, with its request parameters for the cell. */
export async function askOnce(binding: ModelBinding, ctx: CellContext, messages: ChatMessage[]) {
  return ctx.models.chat(binding.modelKey, { ...requestParameters(binding, ctx.seed), messages });
}

/** `llm-text`: the model's completion of `prompt` (+ `system_prompt`), one task per cell. */
export function llmTextGenerator(options: LlmTextOptions): CellGenerator {
  const { binding, withTrace } = options;
  return llmCellGenerator(options, undefined, async (ctx, messages) => {
    const response = await askOnce(binding, ctx, messages);
    return {
      value: response.text,
      trace: () => traceValue(withTrace, messages, response.text),
      reasoning: response.reasoning,
    };
  });
}
