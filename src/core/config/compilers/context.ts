/**
 * What a column compiler gets: its column's place in the config, its upstream
 * generators, and the shared services (templates, conditions, model bindings).
 * One compiler per column type lives beside this file; compilers/index.ts lists them.
 */
import type { Clock } from '../../clock.ts';
import type { PlanGenerator } from '../../engine/plan.ts';
import type { GrammarLoader } from '../../generators/validation/types.ts';
import type { FetchLike } from '../../models/fetch.ts';
import type { ModelBinding } from '../../generators/llm-text.ts';
import type { RenderFn } from '../../generators/template-fn.ts';
import type { Row } from '../../storage/types.ts';
import type { ColumnConfig, ColumnType, DataDesignerConfig } from '../types.ts';

export interface ColumnCompileContext {
  /** The whole validated config. */
  config: DataDesignerConfig;
  /** The column's path in the config, e.g. `columns[3]`. */
  where: string;
  /** Names of the generators this column reads (side columns resolved to their producer). */
  upstream: string[];
  /** Names of the columns this column's templates and settings read (side columns included). */
  reads: string[];
  /** Compiles a template field of this column; `field` names it in errors (`prompt`). */
  template(source: string, field: string): RenderFn;
  /** Compiles a condition (`{{ x > 1 }}` or bare `x > 1`): true when it renders truthy. */
  condition(source: string, field: string): (row: Readonly<Row>) => boolean;
  /** The model binding of a `model_alias` (one limiter per provider and model). */
  bindModel(alias: string): ModelBinding;
  /** The host's grammar loader for `code` validation. Default: none. */
  grammars?: GrammarLoader | undefined;
  /** The fetch for HTTP calls other than model calls (remote validators). Default: the host's fetch. */
  fetch?: FetchLike | undefined;
  /** The clock for timeouts and backoff outside the engine. Default: systemClock. */
  clock?: Clock | undefined;
}

export type ColumnCompiler<C extends ColumnConfig> = (
  column: C,
  ctx: ColumnCompileContext,
) => PlanGenerator;

/** A compiler for every column type generated one column (or one cell) at a time. */
export type ColumnCompilers = {
  [K in Exclude<ColumnType, 'sampler'>]?: ColumnCompiler<Extract<ColumnConfig, { column_type: K }>>;
};
