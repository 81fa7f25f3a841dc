/**
 * The config model: Data Designer's config (field names as in its
 * `data_designer.config` package) plus tabsynth's `run` section (SPEC 3.9).
 * This is the validated form: every default is applied, so a field marked
 * "Default: x" is always present after `validateConfig`.
 */
import type { SimulatedSettings } from '../models/types.ts';

// ---------------------------------------------------------------------------
// Root

export interface DataDesignerConfig {
  /** The dataset's columns, in config order. Required, at least one. */
  columns: ColumnConfig[];
  /** Models the LLM and embedding columns call. Default: []. */
  model_configs: ModelConfig[];
  /** Endpoints the models live at. Default: []. */
  model_providers: ModelProvider[];
  /** Where `seed-dataset` columns come from. Default: null. */
  seed_config: SeedConfig | null;
  /** Rejection-sampling constraints on sampler columns. Default: []. */
  constraints: Constraint[];
  /** Processors run on row groups or on the whole output. Default: []. */
  processors: ProcessorConfig[];
  /** tabsynth's run settings (SPEC 3.9). Default: every field's default. */
  run: RunConfig;
}

// ---------------------------------------------------------------------------
// Columns

/** Side columns an LLM column may produce next to its own. */
export const TRACE_SUFFIX = '__trace';
export const REASONING_SUFFIX = '__reasoning_content';

export interface SkipConfig {
  /** A Jinja condition (with `{{ }}`) over other columns; truthy means skip the cell. Required. */
  when: string;
  /** The value a skipped cell gets. Default: null. */
  value: boolean | number | string | null;
}

interface ColumnBase {
  /** Unique column name. Required. */
  name: string;
  /** Generated and usable by other columns, but left out of the output. Default: false. */
  drop: boolean;
  /** Conditional skip of a cell. Not on sampler or seed-dataset columns. Default: null. */
  skip: SkipConfig | null;
  /** A cell whose upstream cell was skipped is skipped too. Default: true. */
  propagate_skip: boolean;
}

export type SamplerType = keyof SamplerParamsByType;

/** Units of a datetime sampler's draws, coarsest first. */
export const DATETIME_UNITS = ['Y', 'M', 'D', 'h', 'm', 's'] as const;
export type DatetimeUnit = (typeof DATETIME_UNITS)[number];
/** Units of a timedelta sampler's offsets. */
export const TIMEDELTA_UNITS = ['D', 'h', 'm', 's'] as const;
export type TimedeltaUnit = (typeof TIMEDELTA_UNITS)[number];

export const SAMPLER_TYPES: readonly SamplerType[] = [
  'category',
  'subcategory',
  'uniform',
  'gaussian',
  'bernoulli',
  'bernoulli_mixture',
  'binomial',
  'poisson',
  'scipy',
  'datetime',
  'timedelta',
  'uuid',
  'person',
  'person_from_faker',
];

/** Samplers whose draws are numbers (they take `convert_to` int/float/str). */
export const NUMERIC_SAMPLER_TYPES: readonly SamplerType[] = [
  'uniform',
  'gaussian',
  'bernoulli',
  'bernoulli_mixture',
  'binomial',
  'poisson',
  'scipy',
];

/** A sampler column, one variant per sampler type so that `sampler_type` narrows `params`. */
export type SamplerColumnConfig = {
  [K in SamplerType]: ColumnBase & {
    column_type: 'sampler';
    /** Which sampler draws the column. Required. */
    sampler_type: K;
    /** The sampler's params; `params.sampler_type` equals `sampler_type`. Required. */
    params: SamplerParamsByType[K];
    /** Condition template (e.g. `{{ age > 21 }}` or `age > 21`) to params used where it holds. Default: {}. */
    conditional_params: Record<string, SamplerParamsByType[K]>;
    /** `int`, `float` or `str` for numeric samplers; a strftime format for datetime/timedelta. Default: null. */
    convert_to: string | null;
  };
}[SamplerType];

export interface ExpressionColumnConfig extends ColumnBase {
  column_type: 'expression';
  /** A Jinja template over other columns. Required, not blank. */
  expr: string;
  /** Type the rendered text is converted to. Default: 'str'. */
  dtype: 'str' | 'int' | 'float' | 'bool';
}

/** What an LLM column records in its `<name>__trace` side column. */
export type TraceType = 'none' | 'last_message' | 'all_messages';

interface LlmColumnBase extends ColumnBase {
  /** A Jinja template: the user message. Required. */
  prompt: string;
  /** `model_configs[].alias` of the model to call. Required. */
  model_alias: string;
  /** A Jinja template: the system message. Default: null. */
  system_prompt: string | null;
  /** Records the conversation in `<name>__trace`. Default: 'none'. */
  with_trace: TraceType;
  /** Records the answer's reasoning in `<name>__reasoning_content`. Default: false. */
  extract_reasoning_content: boolean;
}

export interface LlmTextColumnConfig extends LlmColumnBase {
  column_type: 'llm-text';
}

export const CODE_LANGS = [
  'bash',
  'c',
  'cobol',
  'cpp',
  'csharp',
  'go',
  'java',
  'javascript',
  'kotlin',
  'python',
  'ruby',
  'rust',
  'scala',
  'swift',
  'typescript',
  'sql:sqlite',
  'sql:tsql',
  'sql:bigquery',
  'sql:mysql',
  'sql:postgres',
  'sql:ansi',
  // tabsynth's own: validated by the code validator (JSON syntax).
  'json',
] as const;
/** Data Designer's CodeLang, plus 'json'. */
export type CodeLang = (typeof CODE_LANGS)[number];

export interface LlmCodeColumnConfig extends LlmColumnBase {
  column_type: 'llm-code';
  /** The language whose fenced block is extracted from the answer. Required. */
  code_lang: CodeLang;
}

export interface LlmStructuredColumnConfig extends LlmColumnBase {
  column_type: 'llm-structured';
  /** A JSON Schema the answer must match. Required. */
  output_format: Record<string, unknown>;
}

export interface JudgeScore {
  /** The score's name, the key of its result. Required. */
  name: string;
  /** How to judge it. Required. */
  description: string;
  /** Score value (as written; YAML int keys become strings) to what it means. Required, not empty. */
  options: Record<string, string>;
}

export interface LlmJudgeColumnConfig extends LlmColumnBase {
  column_type: 'llm-judge';
  /** The rubric. Required, at least one. */
  scores: JudgeScore[];
}

export interface EmbeddingColumnConfig extends ColumnBase {
  column_type: 'embedding';
  /** The column whose text is embedded. Required. */
  target_column: string;
  /** A model whose inference_parameters.generation_type is 'embedding'. Required. */
  model_alias: string;
}

export interface ValidationColumnConfig extends ColumnBase {
  column_type: 'validation';
  /** Columns whose values are validated. Required, at least one. */
  target_columns: string[];
  /** Equals `validator_params.validator_type`. Required. */
  validator_type: ValidatorParams['validator_type'];
  /** The validator's params. Required. */
  validator_params: ValidatorParams;
  /** Rows per validation call. Default: 10. */
  batch_size: number;
}

export interface SeedDatasetColumnConfig extends ColumnBase {
  /** A column of the seed dataset, copied as is. Needs `seed_config`. */
  column_type: 'seed-dataset';
}

export type ColumnConfig =
  | SamplerColumnConfig
  | ExpressionColumnConfig
  | LlmTextColumnConfig
  | LlmCodeColumnConfig
  | LlmStructuredColumnConfig
  | LlmJudgeColumnConfig
  | EmbeddingColumnConfig
  | ValidationColumnConfig
  | SeedDatasetColumnConfig;

export type ColumnType = ColumnConfig['column_type'];

/** Every column type, in the order the catalogue lists them. */
export const COLUMN_TYPES: readonly ColumnType[] = [
  'sampler',
  'expression',
  'llm-text',
  'llm-code',
  'llm-structured',
  'llm-judge',
  'embedding',
  'validation',
  'seed-dataset',
];

export type LlmColumnConfig =
  LlmTextColumnConfig | LlmCodeColumnConfig | LlmStructuredColumnConfig | LlmJudgeColumnConfig;

// ---------------------------------------------------------------------------
// Sampler params (each carries its own `sampler_type`, as in Data Designer)

export interface SamplerParamsByType {
  category: CategoryParams;
  subcategory: SubcategoryParams;
  uniform: UniformParams;
  gaussian: GaussianParams;
  bernoulli: BernoulliParams;
  bernoulli_mixture: BernoulliMixtureParams;
  binomial: BinomialParams;
  poisson: PoissonParams;
  scipy: ScipyParams;
  datetime: DatetimeParams;
  timedelta: TimedeltaParams;
  uuid: UuidParams;
  person: PersonParams;
  person_from_faker: PersonFromFakerParams;
}

export type SamplerParams = SamplerParamsByType[SamplerType];

export interface CategoryParams {
  sampler_type: 'category';
  /** Values drawn from. Required, at least one. */
  values: (string | number)[];
  /** Unnormalised weights, one per value, summing to more than 0. Default: null (equal). */
  weights: number[] | null;
}

export interface SubcategoryParams {
  sampler_type: 'subcategory';
  /** Name of the parent column, a `category` sampler. Required. */
  category: string;
  /** Parent value to the subcategory values drawn for it. Required. */
  values: Record<string, (string | number)[]>;
}

export interface UniformParams {
  sampler_type: 'uniform';
  /** Inclusive lower bound. Required, below `high`. */
  low: number;
  /** Exclusive upper bound. Required. */
  high: number;
  /** Round draws to this many decimals. Default: null (no rounding). */
  decimal_places: number | null;
}

export interface GaussianParams {
  sampler_type: 'gaussian';
  /** Required. */
  mean: number;
  /** Required, above 0. */
  stddev: number;
  /** Default: null. */
  decimal_places: number | null;
}

export interface BernoulliParams {
  sampler_type: 'bernoulli';
  /** Probability of 1, in [0, 1]. Required. */
  p: number;
}

export interface BernoulliMixtureParams {
  sampler_type: 'bernoulli_mixture';
  /** Probability of drawing from the distribution rather than 0, in [0, 1]. Required. */
  p: number;
  /** A scipy.stats distribution name. Required. */
  dist_name: string;
  /** Its parameters. Required. */
  dist_params: Record<string, number>;
  /** Default: null. */
  decimal_places: number | null;
}

export interface BinomialParams {
  sampler_type: 'binomial';
  /** Trials, an integer >= 0. Required. */
  n: number;
  /** Success probability in [0, 1]. Required. */
  p: number;
}

export interface PoissonParams {
  sampler_type: 'poisson';
  /** Mean events per interval, above 0. Required. */
  mean: number;
}

export interface ScipyParams {
  sampler_type: 'scipy';
  /** A scipy.stats distribution name (the generators document the supported subset). Required. */
  dist_name: string;
  /** Its parameters (loc, scale, shape names). Required. */
  dist_params: Record<string, number>;
  /** Default: null. */
  decimal_places: number | null;
}

export interface DatetimeParams {
  sampler_type: 'datetime';
  /** Earliest datetime (ISO 8601), inclusive. Required. */
  start: string;
  /** Latest datetime, exclusive; after `start`. Required. */
  end: string;
  /** Granularity of the draws. Default: 'D'. */
  unit: DatetimeUnit;
}

export interface TimedeltaParams {
  sampler_type: 'timedelta';
  /** Smallest offset in `unit`s, inclusive, >= 0. Required. */
  dt_min: number;
  /** Largest offset, exclusive, above `dt_min`. Required. */
  dt_max: number;
  /** The datetime column the offset is added to. Required. */
  reference_column_name: string;
  /** Default: 'D'. */
  unit: TimedeltaUnit;
}

export interface UuidParams {
  sampler_type: 'uuid';
  /** Prepended to every id. Default: null. */
  prefix: string | null;
  /** Truncate to 8 hex characters. Default: false. */
  short_form: boolean;
  /** Upper-case hex. Default: false. */
  uppercase: boolean;
}

interface PersonParamsBase {
  /** Locale of the people drawn. Default: 'en_US'. */
  locale: string;
  /** Only people of this sex. Default: null (both). */
  sex: 'Male' | 'Female' | null;
  /** Only people from this city or these cities. Default: null. */
  city: string | string[] | null;
  /** [min, max] age, 0 <= min < max <= 114. Default: [18, 114]. */
  age_range: [number, number];
}

export interface PersonParams extends PersonParamsBase {
  sampler_type: 'person';
}

export interface PersonFromFakerParams extends PersonParamsBase {
  sampler_type: 'person_from_faker';
}

// ---------------------------------------------------------------------------
// Validators

export interface CodeValidatorParams {
  validator_type: 'code';
  /** Language whose syntax is checked. Required. */
  code_lang: CodeLang;
}

/** tabsynth's own: the value (as text) must match `pattern`. */
export interface RegexValidatorParams {
  validator_type: 'regex';
  /** A JavaScript regular expression. Required. */
  pattern: string;
  /** RegExp flags (of `imsu`). Default: ''. */
  flags: string;
  /** The whole value must match, not just part of it. Default: true. */
  full_match: boolean;
}

/** tabsynth's own: the value (parsed as JSON when a string) must match `schema`. */
export interface JsonSchemaValidatorParams {
  validator_type: 'json_schema';
  /** A JSON Schema. Required. */
  schema: Record<string, unknown>;
}

export interface RemoteValidatorParams {
  validator_type: 'remote';
  /** URL the batch is POSTed to. Required. */
  endpoint_url: string;
  /** JSON Schema of the endpoint's answer. Default: null. */
  output_schema: Record<string, unknown> | null;
  /** Seconds per request, above 0. Default: 30. */
  timeout: number;
  /** Default: 3. */
  max_retries: number;
  /** Backoff factor, above 1. Default: 2. */
  retry_backoff: number;
  /** Default: 4. */
  max_parallel_requests: number;
}

export type ValidatorParams =
  CodeValidatorParams | RegexValidatorParams | JsonSchemaValidatorParams | RemoteValidatorParams;

// ---------------------------------------------------------------------------
// Constraints

export type InequalityOperator = 'lt' | 'le' | 'gt' | 'ge';

export interface ScalarInequalityConstraint {
  /** Inferred from `rhs` when absent (a number: scalar). */
  constraint_type: 'scalar_inequality';
  /** The sampler column constrained. Required. */
  target_column: string;
  /** Required. */
  operator: InequalityOperator;
  /** Required. */
  rhs: number;
}

export interface ColumnInequalityConstraint {
  /** Inferred from `rhs` when absent (a non-numeric string: a column). */
  constraint_type: 'column_inequality';
  /** Required. */
  target_column: string;
  /** Required. */
  operator: InequalityOperator;
  /** The other sampler column. Required. */
  rhs: string;
}

export type Constraint = ScalarInequalityConstraint | ColumnInequalityConstraint;

// ---------------------------------------------------------------------------
// Processors

/**
 * When a processor runs (Data Designer's former BuildStage names; `after_generation`
 * is read as `post_generation`): before a row group's non-root columns, before a row
 * group is committed, or once after the whole run.
 */
export const BUILD_STAGES = ['pre_batch', 'post_batch', 'post_generation'] as const;
export type BuildStage = (typeof BUILD_STAGES)[number];
/** A processor's stage when it names none. */
export const DEFAULT_BUILD_STAGE: BuildStage = 'post_batch';

interface ProcessorBase {
  /** Unique processor name. Default: `<processor_type>_<index>`. */
  name: string;
  /** Default: 'post_batch'. */
  build_stage: BuildStage;
}

export interface DropColumnsProcessorConfig extends ProcessorBase {
  processor_type: 'drop_columns';
  /** Columns removed from the output. Required. */
  column_names: string[];
}

export interface SchemaTransformProcessorConfig extends ProcessorBase {
  processor_type: 'schema_transform';
  /** Output column to a JSON value whose strings are Jinja templates over the row. Required. */
  template: Record<string, unknown>;
}

export type ProcessorConfig = DropColumnsProcessorConfig | SchemaTransformProcessorConfig;

// ---------------------------------------------------------------------------
// Seed dataset

export interface LocalSeedSource {
  seed_type: 'local';
  /** The seed file's name (CSV, JSONL or Parquet); the UI or CLI supplies its bytes. Required. */
  path: string;
}

export interface SeedConfig {
  /** Required. */
  source: LocalSeedSource;
  /** Read rows in order or shuffled; both wrap around. Default: 'ordered'. */
  sampling_strategy: 'ordered' | 'shuffle';
  /** Only this part of the file. Default: null (all of it). */
  selection_strategy: IndexRange | PartitionBlock | null;
}

export interface IndexRange {
  /** First row, inclusive, >= 0. Required. */
  start: number;
  /** Last row, inclusive, >= start. Required. */
  end: number;
}

export interface PartitionBlock {
  /** Which partition, 0 <= index < num_partitions. Default: 0. */
  index: number;
  /** Default: 1. */
  num_partitions: number;
}

// ---------------------------------------------------------------------------
// Models

/** A value drawn per request. */
export type Distribution =
  | { distribution_type: 'uniform'; params: { low: number; high: number } }
  | {
      distribution_type: 'manual';
      /** `weights`: one per value, summing to more than 0. Default: null (equal). */
      params: { values: number[]; weights: number[] | null };
    };

export interface ChatInferenceParams {
  /** Default: 'chat-completion'. */
  generation_type: 'chat-completion';
  /** In [0, 2], or a distribution within it. Default: null (the endpoint's default). */
  temperature: number | Distribution | null;
  /** In [0, 1], or a distribution within it. Default: null. */
  top_p: number | Distribution | null;
  /** Default: null. */
  max_tokens: number | null;
  /** Requests at once to this model, >= 1. Default: 4. */
  max_parallel_requests: number;
  /** Seconds per request, >= 1. Default: null (the transport's default). */
  timeout: number | null;
  /** Merged into every request body. Default: null. */
  extra_body: Record<string, unknown> | null;
}

export interface EmbeddingInferenceParams {
  /** Required for embedding models (or implied by `encoding_format`/`dimensions`). */
  generation_type: 'embedding';
  /** Default: 'float'. */
  encoding_format: 'float' | 'base64';
  /** Default: null (the model's). */
  dimensions: number | null;
  /** Default: 4. */
  max_parallel_requests: number;
  /** Default: null. */
  timeout: number | null;
  /** Default: null. */
  extra_body: Record<string, unknown> | null;
}

export type InferenceParams = ChatInferenceParams | EmbeddingInferenceParams;

export interface ModelConfig {
  /** The name columns use in `model_alias`. Required, unique. */
  alias: string;
  /** The provider's model id. Required. */
  model: string;
  /** `model_providers[].name`. Required. */
  provider: string;
  /** Default: chat-completion with every default. */
  inference_parameters: InferenceParams;
  /** Accepted for compatibility; tabsynth runs no health check. Default: false. */
  skip_health_check: boolean;
}

/** The kinds of model provider: any OpenAI-compatible endpoint, Anthropic's API, or tabsynth's simulated one. */
export const PROVIDER_TYPES = ['openai', 'anthropic', 'simulated'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];
/** A provider's type when it names none. */
export const DEFAULT_PROVIDER_TYPE: ProviderType = 'openai';

export interface ModelProvider {
  /** Required, unique. */
  name: string;
  /** Base URL of an OpenAI-compatible API (or Anthropic's, for 'anthropic'). Required unless simulated. Default for simulated: ''. */
  endpoint: string;
  /** Default: 'openai'. 'anthropic': Anthropic's Messages API (chat models only). */
  provider_type: ProviderType;
  /** A secret: never exported, logged or hashed. Default: null. */
  api_key: string | null;
  /** Merged into every request body. Default: null. */
  extra_body: Record<string, unknown> | null;
  /** Sent with every request. Default: null. */
  extra_headers: Record<string, string> | null;
  /** Latency and faults of a simulated provider. Default: null (simulated: no latency, no faults). */
  simulated: SimulatedSettings | null;
}

// ---------------------------------------------------------------------------
// Run settings (SPEC 3.9), snake_case as written in the file

/** How a run schedules its tasks (SPEC 3.9). */
export const RUN_MODES = ['async', 'sequential'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface RunConfig {
  /** Rows to generate. Default: 10 (Data Designer's). */
  num_records: number;
  /** Run seed, a safe integer. Default: 0. */
  seed: number;
  /** Rows per row group. Default: 1000. */
  buffer_size: number;
  /** Default: 3. */
  max_concurrent_row_groups: number;
  /** Default: 1024. */
  max_in_flight_tasks: number;
  /** In [0, 1]. Default: 0.5. */
  shutdown_error_rate: number;
  /** Default: 10. */
  shutdown_error_window: number;
  /** Default: false. */
  disable_early_shutdown: boolean;
  /** Default: 2. */
  salvage_max_rounds: number;
  /** Default: false. */
  trace: boolean;
  /** Default: 'async'. */
  mode: RunMode;
  /**
   * Data Designer's: corrections fed back within one conversation when an
   * llm-structured or llm-judge answer does not match its schema. Default: 0.
   */
  max_conversation_correction_steps: number;
  /** Data Designer's: conversations started over once corrections are spent. Default: 5. */
  max_conversation_restarts: number;
  /**
   * Data Designer's: columns removed by `drop: true` or a drop_columns processor are
   * kept in a side table (`dropped-columns`). Default: true.
   */
  preserve_dropped_columns: boolean;
}

export const DEFAULT_RUN_CONFIG: RunConfig = {
  num_records: 10,
  seed: 0,
  buffer_size: 1000,
  max_concurrent_row_groups: 3,
  max_in_flight_tasks: 1024,
  shutdown_error_rate: 0.5,
  shutdown_error_window: 10,
  disable_early_shutdown: false,
  salvage_max_rounds: 2,
  trace: false,
  mode: 'async',
  max_conversation_correction_steps: 0,
  max_conversation_restarts: 5,
  preserve_dropped_columns: true,
};
