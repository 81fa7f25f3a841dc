import { llmTextGenerator } from '../../generators/llm-text.ts';
import type { LlmTextColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';
import { llmBaseOptions } from './llm-base.ts';

export const compileLlmText: ColumnCompiler<LlmTextColumnConfig> = (column, ctx) =>
  llmTextGenerator(llmBaseOptions(column, ctx));
