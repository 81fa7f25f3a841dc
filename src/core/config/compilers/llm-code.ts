import { llmCodeGenerator } from '../../generators/llm-code.ts';
import type { LlmCodeColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';
import { llmBaseOptions } from './llm-base.ts';

export const compileLlmCode: ColumnCompiler<LlmCodeColumnConfig> = (column, ctx) =>
  llmCodeGenerator({ ...llmBaseOptions(column, ctx), codeLang: column.code_lang });
