/**
 * Turns a validated config into the engine's Plan (src/core/engine/plan.ts) and the
 * model transports it calls. The engine knows generators, not column types: each
 * column type's compiler (compilers/) maps it to its generator.
 */
import type { Clock } from '../clock.ts';
import { ConfigError, ErrorCodes, TabsynthError, type ConfigIssue } from '../errors.ts';
import type { Plan, PlanGenerator, RunSettings } from '../engine/plan.ts';
import { castSkipValue } from '../generators/expression.ts';
import { rowIdGenerator } from '../generators/sampler-group.ts';
import type { RenderFn } from '../generators/template-fn.ts';
import type { ConnectionPolicy } from '../models/connection-budget.ts';
import type { FetchLike } from '../models/fetch.ts';
import type { GrammarLoader } from '../generators/validation/types.ts';
import type { ModelTransport } from '../models/types.ts';
import type { Row } from '../storage/types.ts';
import { buildGraph, sideColumnsOf } from '../graph/graph.ts';
import { conditionTemplate } from '../graph/references.ts';
import { compileRenderer, parseTemplate } from '../template/template.ts';
import { COLUMN_COMPILERS } from './compilers/index.ts';
import type { ColumnCompileContext, ColumnCompiler } from './compilers/context.ts';
import { compileProcessor, droppedColumnsKeeper } from './compilers/processors.ts';
import { compileSamplers } from './compilers/samplers.ts';
import { compileSeedColumns } from './compilers/seed-dataset.ts';
import type { SeedDataset } from '../seed/types.ts';
import { ROW_ID_COLUMN, SAMPLERS_GENERATOR, SEED_GENERATOR } from './generator-names.ts';
import { ModelBindings, admissionSettings } from './model-bindings.ts';
import { runSettingsFrom } from './run-settings.ts';
import type {
  ColumnConfig,
  DataDesignerConfig,
  SamplerColumnConfig,
  SeedDatasetColumnConfig,
} from './types.ts';

export interface CompileOptions {
  /** Run settings that override the config's `run` section (CLI flags, the UI's run form). */
  overrides?: Partial<RunSettings>;
  /** Run every model on the simulated provider. Default: false. */
  simulate?: boolean;
  clock?: Clock;
  fetch?: FetchLike;
  /** The connection limit of each endpoint where the run happens (SPEC 3.5). Default: none, not capped. */
  connectionPolicy?: ConnectionPolicy;
  /** The seed file read by `readSeedDataset` (seed/read.ts); required when the config has seed-dataset columns. Default: none. */
  seedData?: SeedDataset;
  /**
   * Honour `run.preserve_dropped_columns`: keep dropped columns' values in the
   * `dropped-columns` side table. Hosts that write side tables (the CLI) set it.
   * Default: false.
   */
  preserveDroppedColumns?: boolean;
  /** Grammar and parser wasm for `code` validation columns (src/node/grammars.ts, src/browser/grammars.ts). Default: none (only `json` can then be checked). */
  grammars?: GrammarLoader;
}

export interface CompiledPipeline {
  plan: Plan;
  /** One transport per PlanModel key. */
  transports: Map<string, ModelTransport>;
}

export { ROW_ID_COLUMN, SAMPLERS_GENERATOR, SEED_GENERATOR };

/** Compiles a config validated by validateConfig. Throws ConfigError for what cannot run. */
export function compilePlan(
  config: DataDesignerConfig,
  options: CompileOptions = {},
): CompiledPipeline {
  const settings = runSettingsFrom(config.run, options.overrides);
  const graph = buildGraph(config);
  const indexOf = new Map(config.columns.map((c, i) => [c.name, i]));
  const byName = new Map(config.columns.map((c) => [c.name, c]));
  const samplers = graph.order
    .map((name) => byName.get(name))
    .filter((c): c is SamplerColumnConfig => c?.column_type === 'sampler');
  const seeds = config.columns.filter(
    (c): c is SeedDatasetColumnConfig => c.column_type === 'seed-dataset',
  );

  // The generator that writes each column: samplers share one; side columns are their producer's.
  const producer = (column: string): string => {
    const owner = graph.sideColumns.get(column) ?? column;
    const type = byName.get(owner)?.column_type;
    if (type === 'seed-dataset') return SEED_GENERATOR;
    return type === 'sampler' ? SAMPLERS_GENERATOR : owner;
  };
  const upstreamOf = (column: string): string[] => {
    const own = producer(column);
    const deps = (graph.dependencies.get(column) ?? []).map(producer).filter((g) => g !== own);
    return [...new Set(deps)];
  };

  /** The columns `column` reads: its dependencies and their side columns. */
  const readsOf = (column: string): string[] => {
    const deps = graph.dependencies.get(column) ?? [];
    const sides = [...graph.sideColumns].filter(([, owner]) => deps.includes(owner));
    return [...deps, ...sides.map(([side]) => side)];
  };

  const models = new ModelBindings(config, options);
  const issues: ConfigIssue[] = [];
  // CONFIG_UNSUPPORTED when something valid cannot run here; CONFIG_INVALID otherwise.
  let unsupported = false;
  const generators: PlanGenerator[] = [];
  const attempt = <T>(path: string, build: () => T): T | undefined => {
    try {
      return build();
    } catch (err) {
      if (err instanceof ConfigError) {
        issues.push(...err.issues);
        if (err.code === ErrorCodes.CONFIG_UNSUPPORTED) unsupported = true;
      } else if (err instanceof TabsynthError) issues.push({ path, message: err.message });
      else throw err;
      return undefined;
    }
  };

  const condition = (source: string, where: string) => compileCondition(source, where);
  // Seed columns first: samplers may read them (then the sampler group waits for the seed one).
  if (seeds.length > 0) {
    const entries = seeds.map((column) => ({ column, index: indexOf.get(column.name)! }));
    const group = attempt('seed_config', () =>
      compileSeedColumns(SEED_GENERATOR, entries, config.seed_config, options.seedData),
    );
    if (group) generators.push(group);
  }
  if (samplers.length > 0) {
    const entries = samplers.map((column) => ({ column, index: indexOf.get(column.name)! }));
    const readsSeed = samplers.some((c) =>
      (graph.dependencies.get(c.name) ?? []).some(
        (d) => byName.get(d)?.column_type === 'seed-dataset',
      ),
    );
    const group = attempt('columns', () =>
      compileSamplers(SAMPLERS_GENERATOR, entries, config.constraints, condition, {
        upstream: readsSeed ? [SEED_GENERATOR] : [],
        runRows: settings.numRecords,
      }),
    );
    if (group) generators.push(group);
  }
  if (samplers.length === 0 && seeds.length === 0) generators.push(rowIdGenerator(ROW_ID_COLUMN));

  for (const name of graph.order) {
    const column = byName.get(name)!;
    if (column.column_type === 'sampler' || column.column_type === 'seed-dataset') continue;
    const where = `columns[${indexOf.get(name)}]`;
    const compiler = COLUMN_COMPILERS[column.column_type] as
      ColumnCompiler<ColumnConfig> | undefined;
    if (!compiler) {
      unsupported = true;
      issues.push({
        path: `${where}.column_type`,
        message: `column '${name}': column_type ${column.column_type} is valid but not generated by this build yet`,
      });
      continue;
    }
    const ctx: ColumnCompileContext = {
      config,
      where,
      upstream: upstreamOf(name),
      reads: readsOf(name),
      template: (source, field) => compileTemplate(source, `${where}.${field}`),
      condition: (source, field) => compileCondition(source, `${where}.${field}`),
      bindModel: (alias) => models.bind(alias),
      grammars: options.grammars,
      fetch: options.fetch,
      clock: options.clock,
    };
    const generator = attempt(where, () => compiler(column, ctx));
    if (!generator) continue;
    if (column.skip) {
      const skip = column.skip;
      generator.skipWhen = ctx.condition(skip.when, 'skip.when');
      generator.skipValue =
        column.column_type === 'expression'
          ? attempt(`${where}.skip.value`, () => castSkipValue(name, column.dtype, skip.value))
          : skip.value;
    }
    generator.propagateSkip = column.propagate_skip;
    generators.push(generator);
  }

  const processors = config.processors.flatMap(
    (p, i) => attempt(`processors[${i}]`, () => compileProcessor(p, i)) ?? [],
  );
  if (issues.length > 0) {
    throw new ConfigError(
      issues,
      unsupported ? ErrorCodes.CONFIG_UNSUPPORTED : ErrorCodes.CONFIG_INVALID,
    );
  }

  const allColumns = config.columns.flatMap((c) => [c.name, ...sideColumnsOf(c)]);
  const dropped = new Set(config.columns.filter((c) => c.drop).map((c) => c.name));
  const kept = options.preserveDroppedColumns ? keptDroppedColumns(config, dropped) : [];
  if (kept.length > 0) processors.unshift(droppedColumnsKeeper(kept));
  const plan: Plan = {
    generators,
    outputColumns: allColumns.filter((c) => !dropped.has(c)),
    droppedColumns: [...dropped],
    processors,
    models: models.planModels(admissionSettings(settings.requestAdmission)),
    settings,
  };
  return { plan, transports: models.transports };
}

/** Columns whose values `preserve_dropped_columns` keeps: `drop: true` ones and post-batch drops. */
function keptDroppedColumns(config: DataDesignerConfig, dropped: ReadonlySet<string>): string[] {
  if (!config.run.preserve_dropped_columns) return [];
  const names = new Set(dropped);
  for (const p of config.processors) {
    if (p.processor_type === 'drop_columns' && p.build_stage === 'post_batch') {
      for (const c of p.column_names) names.add(c);
    }
  }
  return [...names];
}

/** A template bound to a row: the row's values are the template's variables. */
export function compileTemplate(source: string, where: string): RenderFn {
  const render = compileRenderer(parseTemplate(source, where));
  // One options object, reused: a render reads its seed at once and keeps nothing,
  // so an expression column allocates no object per row for it.
  const options = { seed: 0 };
  return (row: Readonly<Row>, seed?: number) => {
    if (seed === undefined) return render(row);
    options.seed = seed;
    return render(row, options);
  };
}

/** A condition (`{{ x > 1 }}` or the bare `x > 1`): true when it renders truthy. */
function compileCondition(source: string, where: string): (row: Readonly<Row>) => boolean {
  const render = compileTemplate(conditionTemplate(source), where);
  return (row) => isTruthy(render(row));
}

function isTruthy(text: string): boolean {
  const t = text.trim().toLowerCase();
  return !(
    t === '' ||
    t === 'false' ||
    t === '0' ||
    t === 'none' ||
    t === 'null' ||
    t === '[]' ||
    t === '{}'
  );
}
