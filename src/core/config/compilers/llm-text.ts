import { llmTextGenerator } from '../../generators/llm-text.ts';
import type { LlmTextColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';

export const compileLlmText: ColumnCompiler<LlmTextColumnConfig> = (column, ctx) =>
  llmTextGenerator({
    name: column.name,
    upstream: ctx.upstream,
    prompt: ctx.template(column.prompt, 'prompt'),
    ...(column.system_prompt
      ? { systemPrompt: ctx.template(column.system_prompt, 'system_prompt') }
      : {}),
    binding: ctx.bindModel(column.model_alias),
    withTrace: column.with_trace,
    extractReasoningContent: column.extract_reasoning_content,
  });
