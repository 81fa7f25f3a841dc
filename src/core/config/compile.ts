/**
 * Turns a validated config into the engine's Plan (src/core/engine/plan.ts) and the
 * model transports it calls. The engine knows generators, not column types: this is
 * the one place that maps each column type to its generator.
 */
import type { Clock } from '../clock.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import type { Plan, PlanGenerator, PlanModel, PlanProcessor, RunSettings } from '../engine/plan.ts';
import { expressionGenerator } from '../generators/expression.ts';
import { llmSideColumns, llmTextGenerator, type ModelBinding } from '../generators/llm-text.ts';
import {
  rowIdGenerator,
  samplerGroupGenerator,
  type SamplerColumn,
} from '../generators/sampler-group.ts';
import { makeConverter } from '../generators/samplers/convert.ts';
import { samplerDraw } from '../generators/samplers/registry.ts';
import type { RenderFn } from '../generators/template-fn.ts';
import type { FetchLike } from '../models/fetch.ts';
import { createOpenAITransport } from '../models/openai.ts';
import { createSimulatedTransport } from '../models/simulated.ts';
import type { ModelTransport } from '../models/types.ts';
import type { Row } from '../storage/types.ts';
import { buildGraph } from '../graph/graph.ts';
import { parseTemplate, renderTemplate } from '../template/template.ts';
import { runSettingsFrom } from './run-settings.ts';
import type {
  ColumnConfig,
  DataDesignerConfig,
  LlmTextColumnConfig,
  ModelConfig,
  ModelProvider,
  ProcessorConfig,
  SamplerColumnConfig,
} from './types.ts';

export interface CompileOptions {
  /** Run settings that override the config's `run` section (CLI flags, the UI's run form). */
  overrides?: Partial<RunSettings>;
  /** Run every model on the simulated provider. Default: false. */
  simulate?: boolean;
  clock?: Clock;
  fetch?: FetchLike;
}

export interface CompiledPipeline {
  plan: Plan;
  /** One transport per PlanModel key. */
  transports: Map<string, ModelTransport>;
}

/** Name of the one generator that fills every sampler column (SPEC 3.1). */
export const SAMPLERS_GENERATOR = '__samplers';
/** Name of the hidden row-id column of a config without samplers or seeds. */
export const ROW_ID_COLUMN = '__row_id';

/** Column types the engine issue generates; the rest of the catalogue follows. */
const GENERATED_TYPES = new Set<ColumnConfig['column_type']>(['sampler', 'expression', 'llm-text']);
const SAMPLERS_NOW = new Set(['category', 'uniform', 'gaussian', 'uuid']);

export function compilePlan(
  config: DataDesignerConfig,
  options: CompileOptions = {},
): CompiledPipeline {
  unsupportedYet(config);
  const settings = runSettingsFrom(config.run, options.overrides);
  const graph = buildGraph(config);
  const byName = new Map(config.columns.map((c) => [c.name, c]));

  // Which generator writes each column (side columns belong to their producer).
  const producer = new Map<string, string>();
  const samplers = config.columns.filter(
    (c): c is SamplerColumnConfig => c.column_type === 'sampler',
  );
  for (const c of samplers) producer.set(c.name, SAMPLERS_GENERATOR);
  for (const c of config.columns) {
    if (c.column_type !== 'sampler') producer.set(c.name, c.name);
    if (c.column_type === 'llm-text') {
      for (const side of llmSideColumns(c.name, c.with_trace, c.extract_reasoning_content))
        producer.set(side, c.name);
    }
  }
  const upstreamOf = (column: string): string[] => {
    const deps = graph.dependencies.get(column) ?? [];
    return [...new Set(deps.map((d) => producer.get(d) ?? d))].filter(
      (g) => g !== producer.get(column),
    );
  };

  const models = new Models(config, options);
  const generators: PlanGenerator[] = [];
  if (samplers.length > 0) {
    const ordered = graph.order
      .map((n) => byName.get(n))
      .filter((c): c is SamplerColumnConfig => c?.column_type === 'sampler');
    generators.push(samplerGroupGenerator(SAMPLERS_GENERATOR, ordered.map(compileSampler)));
  } else {
    generators.push(rowIdGenerator(ROW_ID_COLUMN));
  }
  for (const name of graph.order) {
    const column = byName.get(name);
    if (!column || column.column_type === 'sampler') continue;
    const where = `columns[${config.columns.indexOf(column)}]`;
    const upstream = upstreamOf(name);
    let generator: PlanGenerator;
    if (column.column_type === 'expression') {
      generator = expressionGenerator({
        name,
        upstream,
        render: compileTemplate(column.expr, `${where}.expr`),
        dtype: column.dtype,
      });
    } else {
      const c = column as LlmTextColumnConfig;
      generator = llmTextGenerator({
        name,
        upstream,
        prompt: compileTemplate(c.prompt, `${where}.prompt`),
        ...(c.system_prompt
          ? { systemPrompt: compileTemplate(c.system_prompt, `${where}.system_prompt`) }
          : {}),
        binding: models.bind(c.model_alias),
        withTrace: c.with_trace,
        extractReasoningContent: c.extract_reasoning_content,
      });
    }
    if (column.skip) {
      const when = compileCondition(column.skip.when, `${where}.skip.when`);
      generator.skipWhen = when;
      generator.skipValue = column.skip.value;
    }
    generator.propagateSkip = column.propagate_skip;
    generators.push(generator);
  }

  const allColumns = config.columns.flatMap((c) =>
    c.column_type === 'llm-text'
      ? [c.name, ...llmSideColumns(c.name, c.with_trace, c.extract_reasoning_content)]
      : [c.name],
  );
  const dropped = new Set(config.columns.filter((c) => c.drop).map((c) => c.name));
  const processors = config.processors.map(compileProcessor);

  const plan: Plan = {
    generators,
    outputColumns: allColumns.filter((c) => !dropped.has(c)),
    droppedColumns: [...dropped],
    processors,
    models: models.planModels(),
    settings,
  };
  return { plan, transports: models.transports };
}

function compileSampler(column: SamplerColumnConfig): SamplerColumn {
  const convertTo = column.convert_to as 'int' | 'float' | 'str' | null;
  const decimals = (p: object) =>
    'decimal_places' in p ? (p.decimal_places as number | null) : null;
  const branches = Object.entries(column.conditional_params).map(([condition, params]) => ({
    when: compileCondition(condition, `columns[${column.name}].conditional_params`),
    draw: samplerDraw(params),
    convert: makeConverter(column.name, { decimalPlaces: decimals(params), convertTo }),
  }));
  return {
    name: column.name,
    draw: samplerDraw(column.params),
    convert: makeConverter(column.name, { decimalPlaces: decimals(column.params), convertTo }),
    ...(branches.length ? { conditional: branches } : {}),
    readsRow: branches.length > 0,
  };
}

/** A template bound to a row: the row's values are the template's variables. */
export function compileTemplate(source: string, where: string): RenderFn {
  const parsed = parseTemplate(source, where);
  return (row: Readonly<Row>) => renderTemplate(parsed, row);
}

/** A condition (`{{ x > 1 }}` or the bare `x > 1`): true when it renders truthy. */
function compileCondition(source: string, where: string): (row: Readonly<Row>) => boolean {
  const wrapped = source.includes('{{') || source.includes('{%') ? source : `{{ ${source} }}`;
  const render = compileTemplate(wrapped, where);
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

function compileProcessor(p: ProcessorConfig): PlanProcessor {
  const stage = p.build_stage === 'post_generation' ? 'after_run' : p.build_stage;
  if (p.processor_type === 'drop_columns') {
    const names = new Set(p.column_names);
    return {
      name: p.name,
      stage,
      process: (batch) => ({
        rowIndices: batch.rowIndices,
        rows: batch.rows.map((row) =>
          Object.fromEntries(Object.entries(row).filter(([k]) => !names.has(k))),
        ),
      }),
    };
  }
  throw new ConfigError([
    {
      path: `processors[${p.name}]`,
      message: 'schema_transform is not generated by this build yet',
    },
  ]);
}

/** One limiter and one transport per (provider, model); aliases sharing one take the smallest limit. */
class Models {
  readonly transports = new Map<string, ModelTransport>();
  readonly #models = new Map<string, PlanModel>();
  readonly #aliases: Map<string, ModelConfig>;
  readonly #providers: Map<string, ModelProvider>;

  constructor(
    config: DataDesignerConfig,
    private readonly options: CompileOptions,
  ) {
    this.#aliases = new Map(config.model_configs.map((m) => [m.alias, m]));
    this.#providers = new Map(config.model_providers.map((p) => [p.name, p]));
  }

  bind(alias: string): ModelBinding {
    const model = this.#aliases.get(alias)!;
    const provider = this.#providers.get(model.provider)!;
    const key = `${provider.name}/${model.model}`;
    const params = model.inference_parameters;
    const existing = this.#models.get(key);
    const limit = Math.min(existing?.maxParallelRequests ?? Infinity, params.max_parallel_requests);
    this.#models.set(key, {
      key,
      maxParallelRequests: limit,
      label: this.options.simulate ? `${key} (simulated)` : key,
    });
    if (!this.transports.has(key)) this.transports.set(key, this.#transport(provider));
    const chat = params.generation_type === 'chat-completion' ? params : undefined;
    return {
      modelKey: key,
      model: model.model,
      temperature: chat?.temperature ?? null,
      top_p: chat?.top_p ?? null,
      max_tokens: chat?.max_tokens ?? null,
      timeout: params.timeout,
      extra_body: { ...(provider.extra_body ?? {}), ...(params.extra_body ?? {}) },
    };
  }

  planModels(): PlanModel[] {
    return [...this.#models.values()];
  }

  #transport(provider: ModelProvider): ModelTransport {
    const clock = this.options.clock;
    if (this.options.simulate || provider.provider_type === 'simulated') {
      return createSimulatedTransport(
        provider.provider_type === 'simulated' ? (provider.simulated ?? {}) : {},
        clock,
      );
    }
    return createOpenAITransport({
      endpoint: provider.endpoint,
      ...(provider.api_key ? { apiKey: provider.api_key } : {}),
      ...(provider.extra_headers ? { extraHeaders: provider.extra_headers } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(clock ? { clock } : {}),
    });
  }
}

/** The columns of the catalogue that this build validates but cannot generate yet, refused by name. */
function unsupportedYet(config: DataDesignerConfig): void {
  const issues: ConfigIssue[] = [];
  config.columns.forEach((c, i) => {
    if (!GENERATED_TYPES.has(c.column_type)) {
      issues.push({
        path: `columns[${i}].column_type`,
        message: `column '${c.name}': column_type ${c.column_type} is valid but not generated by this build yet`,
      });
    } else if (c.column_type === 'sampler' && !SAMPLERS_NOW.has(c.sampler_type)) {
      issues.push({
        path: `columns[${i}].sampler_type`,
        message: `column '${c.name}': sampler_type ${c.sampler_type} is valid but not generated by this build yet`,
      });
    }
  });
  if (config.constraints.length > 0)
    issues.push({
      path: 'constraints',
      message: 'constraints are valid but not applied by this build yet',
    });
  if (issues.length) throw new ConfigError(issues, 'CONFIG_UNSUPPORTED');
}
