import { compileAnswerValidator } from '../../generators/json-schema.ts';
import { judgeSchema, llmJudgeGenerator } from '../../generators/llm-judge.ts';
import type { LlmJudgeColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';
import { correctionLimits, llmBaseOptions } from './llm-base.ts';

/** The rubric's schema is compiled here, once per column. */
export const compileLlmJudge: ColumnCompiler<LlmJudgeColumnConfig> = (column, ctx) =>
  llmJudgeGenerator({
    ...llmBaseOptions(column, ctx),
    limits: correctionLimits(ctx.config),
    scores: column.scores,
    validate: compileAnswerValidator(judgeSchema(column.scores), `${ctx.where}.scores`),
  });
