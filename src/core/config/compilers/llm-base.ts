import type { LlmTextOptions } from '../../generators/llm-text.ts';
import type { CorrectionLimits } from '../../generators/corrections.ts';
import type { DataDesignerConfig, LlmColumnConfig } from '../types.ts';
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

/** Data Designer's correction and restart limits, from the run settings. */
export function correctionLimits(config: DataDesignerConfig): CorrectionLimits {
  return {
    maxCorrections: config.run.max_conversation_correction_steps,
    maxRestarts: config.run.max_conversation_restarts,
  };
}
