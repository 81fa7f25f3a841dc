import { compileAnswerValidator } from '../../generators/json-schema.ts';
import { llmStructuredGenerator } from '../../generators/llm-structured.ts';
import type { LlmStructuredColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';
import { correctionLimits, llmBaseOptions } from './llm-base.ts';

/** The schema is compiled here, once per column; one that does not compile is a config error. */
export const compileLlmStructured: ColumnCompiler<LlmStructuredColumnConfig> = (column, ctx) =>
  llmStructuredGenerator({
    ...llmBaseOptions(column, ctx),
    limits: correctionLimits(ctx.config),
    schema: column.output_format,
    validate: compileAnswerValidator(column.output_format, `${ctx.where}.output_format`),
  });
