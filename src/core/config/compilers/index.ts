/** Column type to its compiler. Samplers are compiled together (compilers/samplers.ts). */
import type { ColumnCompilers } from './context.ts';
import { compileExpression } from './expression.ts';
import { compileLlmText } from './llm-text.ts';

export const COLUMN_COMPILERS: ColumnCompilers = {
  expression: compileExpression,
  'llm-text': compileLlmText,
};
