import { expressionGenerator } from '../../generators/expression.ts';
import type { ExpressionColumnConfig } from '../types.ts';
import type { ColumnCompiler } from './context.ts';

export const compileExpression: ColumnCompiler<ExpressionColumnConfig> = (column, ctx) =>
  expressionGenerator({
    name: column.name,
    upstream: ctx.upstream,
    reads: ctx.reads,
    render: ctx.template(column.expr, 'expr'),
    dtype: column.dtype,
  });
