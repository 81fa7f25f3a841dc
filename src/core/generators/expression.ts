import { ErrorCodes, TabsynthError, TemplateError } from '../errors.ts';
import { cellSeed, hashString } from '../random/seed.ts';
import { RowView } from '../storage/columnar.ts';
import type { BatchValues, ColumnGenerator } from '../engine/plan.ts';
import type { RenderFn } from './template-fn.ts';

type ExpressionDtype = 'str' | 'int' | 'float' | 'bool';

interface ExpressionOptions {
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
 * template fails, renders empty or only whitespace, or whose text does not cast,
 * is dropped alone with its error; the rest of the batch keeps its values. A
 * batch in which every row is dropped stops the run (EXPRESSION_NO_VALID_ROWS),
 * as Data Designer's expression generator does (SPEC 3.6).
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
          const text = render(view.at(i), cellSeed(ctx.runSeed, hash, ctx.rowIndices[i]!));
          if (text.trim() === '') throw emptyError(name, ctx.rowIndices[i]!);
          values[i] = cast(name, text);
        } catch (err) {
          (droppedRows ??= []).push(i);
          (rowErrors ??= new Map()).set(i, err);
          values[i] = null;
        }
      }
      if (n > 0 && droppedRows?.length === n) throw noValidRows(name, ctx.rowGroup, n, rowErrors);
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

/** `row`: the engine's index (from 0); the message counts rows from 1, as people do. */
function emptyError(column: string, row: number): TemplateError {
  return new TemplateError(
    ErrorCodes.TEMPLATE_RENDER,
    `column '${column}': expected the expression to render a value for row ${row + 1}, found an empty or whitespace-only text; the row is dropped`,
    { column, row },
  );
}

function noValidRows(
  column: string,
  rowGroup: number,
  rows: number,
  why: Map<number, unknown> | undefined,
): TabsynthError {
  const first = why?.get(0);
  const reason = first instanceof Error ? first.message : String(first);
  return new TabsynthError(
    ErrorCodes.EXPRESSION_NO_VALID_ROWS,
    `expression column ${column} produced no valid rows: all ${rows} rows of row group ${rowGroup} were dropped (first: ${reason})`,
    { column, rowGroup },
  );
}

/**
 * skip.value cast to the expression's dtype (Data Designer coerces it when the
 * config is read), so skipped and computed cells share a type. Null stays null.
 * Throws TemplateError naming the column when the value does not convert.
 */
export function castSkipValue(column: string, dtype: ExpressionDtype, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' && dtype !== 'bool' && dtype !== 'str') return value ? 1 : 0;
  if (typeof value === 'number' && dtype === 'int' && Number.isFinite(value)) {
    return Math.trunc(value);
  }
  if (typeof value === 'number' && dtype === 'float') return value;
  if (typeof value === 'number' && dtype === 'bool') return value !== 0;
  if (typeof value === 'boolean' && dtype === 'bool') return value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    try {
      return CASTS[dtype](column, String(value));
    } catch {
      // Reported below with the skip.value wording.
    }
  }
  const shown = JSON.stringify(value) ?? String(value);
  throw new TemplateError(
    ErrorCodes.TEMPLATE_RENDER,
    `column '${column}': skip.value must convert to the column's dtype ${dtype}, found ${shown}`,
    { column },
  );
}
