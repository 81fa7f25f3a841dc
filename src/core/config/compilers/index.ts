/** Column type to its compiler. Samplers are compiled together (compilers/samplers.ts). */
import type { ColumnCompilers } from './context.ts';
import { compileExpression } from './expression.ts';
import { compileEmbedding } from './embedding.ts';
import { compileLlmCode } from './llm-code.ts';
import { compileLlmJudge } from './llm-judge.ts';
import { compileLlmStructured } from './llm-structured.ts';
import { compileLlmText } from './llm-text.ts';
import { compileValidation } from './validation.ts';

export const COLUMN_COMPILERS: ColumnCompilers = {
  expression: compileExpression,
  'llm-text': compileLlmText,
  'llm-code': compileLlmCode,
  'llm-structured': compileLlmStructured,
  'llm-judge': compileLlmJudge,
  embedding: compileEmbedding,
  validation: compileValidation,
};
