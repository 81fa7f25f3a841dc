import { ErrorCodes, TemplateError } from '../errors.ts';
import { cellSeed, hashString } from '../random/seed.ts';
import { RowView } from '../storage/columnar.ts';
import type { BatchValues, ColumnGenerator } from '../engine/plan.ts';
import type { RenderFn } from './template-fn.ts';

export type ExpressionDtype = 'str' | 'int' | 'float' | 'bool';

export interface ExpressionOptions {
  name: string;
  /** Generators whose columns the template reads. */
  upstream: string[];
  /** The columns the template reads: each row shows it these. Default: every column of the batch. */
  reads?: string[];
  render: RenderFn;
  /** Default 'str'. */
  dtype: ExpressionDtype;
}

/**
 * `expression`: a Jinja template over other columns, cast to `dtype`. A row whose
 * template fails, or whose text does not cast, is dropped alone with its error; the
 * rest of the batch keeps its values.
 */
export function expressionGenerator(options: ExpressionOptions): ColumnGenerator {
  const { name, render, dtype } = options;
  const cast = CASTS[dtype];
  const hash = hashString(name);
  return {
    name,
    granularity: 'column',
    outputs: [name],
    upstream: options.upstream,
    generate(ctx): BatchValues {
      const n = ctx.rowIndices.length;
      const view = new RowView(ctx.columns, options.reads);
      const values = new Array<unknown>(n);
      let droppedRows: number[] | undefined;
      let rowErrors: Map<number, unknown> | undefined;
      for (let i = 0; i < n; i++) {
        try {
          values[i] = cast(
            name,
            render(view.at(i), cellSeed(ctx.runSeed, hash, ctx.rowIndices[i]!)),
          );
        } catch (err) {
          (droppedRows ??= []).push(i);
          (rowErrors ??= new Map()).set(i, err);
          values[i] = null;
        }
      }
      return droppedRows
        ? { columns: { [name]: values }, droppedRows, rowErrors }
        : { columns: { [name]: values } };
    },
  };
}

const CASTS: Record<ExpressionDtype, (column: string, text: string) => unknown> = {
  str: (_, text) => text,
  int(column, text) {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n)) throw castError(column, 'int', text);
    return Math.trunc(n);
  },
  float(column, text) {
    const t = text.trim();
    const n = /^[+-]?(inf|infinity)$/i.test(t)
      ? t.startsWith('-')
        ? -Infinity
        : Infinity
      : Number(t);
    if (t === '' || Number.isNaN(n)) throw castError(column, 'float', text);
    return n;
  },
  bool(column, text) {
    const t = text.trim().toLowerCase();
    if (t === 'true' || t === '1' || t === 'yes') return true;
    if (t === 'false' || t === '0' || t === 'no' || t === '' || t === 'none') return false;
    throw castError(column, 'bool', text);
  },
};

function castError(column: string, dtype: string, text: string): TemplateError {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return new TemplateError(
    ErrorCodes.TEMPLATE_RENDER,
    `column '${column}': dtype ${dtype} expected the expression to render a ${dtype}, found ${JSON.stringify(shown)}`,
    { column },
  );
}
