import type { LlmTextOptions } from '../../generators/llm-text.ts';
import type { LlmColumnConfig } from '../types.ts';
import type { ColumnCompileContext } from './context.ts';

/** What every llm-* column compiles the same way: prompts, model, trace, reasoning. */
export function llmBaseOptions(column: LlmColumnConfig, ctx: ColumnCompileContext): LlmTextOptions {
  return {
    name: column.name,
    upstream: ctx.upstream,
    prompt: ctx.template(column.prompt, 'prompt'),
    ...(column.system_prompt
      ? { systemPrompt: ctx.template(column.system_prompt, 'system_prompt') }
      : {}),
    binding: ctx.bindModel(column.model_alias),
    withTrace: column.with_trace,
    extractReasoningContent: column.extract_reasoning_content,
  };
}
