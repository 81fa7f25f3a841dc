/**
 * What "Add column" and "change type" put in the document: the smallest valid
 * column of each type, so a new column validates at once and the form shows
 * what to change. Optional fields are left out: their defaults show as hints.
 */
import { COLUMN_TYPES, type ColumnType, type SamplerType } from '../../core/config/types.ts';

export type RawObject = Record<string, unknown>;

/** Column types in the order the "Add column" menu offers them: the catalogue's. */
export { COLUMN_TYPES };

export const COLUMN_TYPE_LABELS: Record<ColumnType, string> = {
  sampler: 'Sampler',
  expression: 'Expression',
  'llm-text': 'LLM text',
  'llm-code': 'LLM code',
  'llm-structured': 'LLM structured',
  'llm-judge': 'LLM judge',
  embedding: 'Embedding',
  validation: 'Validation',
  'seed-dataset': 'Seed dataset',
};

/**
 * Node and badge colour per column type (also the DAG legend): CSS variables, so
 * they follow the light or dark palette (styles/theme.css defines them).
 */
export const COLUMN_TYPE_COLORS: Record<ColumnType, string> = {
  sampler: 'var(--type-sampler)',
  expression: 'var(--type-expression)',
  'llm-text': 'var(--type-llm-text)',
  'llm-code': 'var(--type-llm-code)',
  'llm-structured': 'var(--type-llm-structured)',
  'llm-judge': 'var(--type-llm-judge)',
  embedding: 'var(--type-embedding)',
  validation: 'var(--type-validation)',
  'seed-dataset': 'var(--type-seed-dataset)',
};

/** Smallest valid params of each sampler. */
export function defaultSamplerParams(type: SamplerType, otherColumns: string[] = []): RawObject {
  switch (type) {
    case 'category':
      return { values: ['a', 'b', 'c'] };
    case 'subcategory':
      return { category: otherColumns[0] ?? '', values: {} };
    case 'uniform':
      return { low: 0, high: 1 };
    case 'gaussian':
      return { mean: 0, stddev: 1 };
    case 'bernoulli':
      return { p: 0.5 };
    case 'bernoulli_mixture':
      return { p: 0.5, dist_name: 'expon', dist_params: { scale: 1 } };
    case 'binomial':
      return { n: 10, p: 0.5 };
    case 'poisson':
      return { mean: 3 };
    case 'scipy':
      return { dist_name: 'norm', dist_params: { loc: 0, scale: 1 } };
    case 'datetime':
      return { start: '2024-01-01', end: '2025-01-01' };
    case 'timedelta':
      return { dt_min: 0, dt_max: 30, reference_column_name: otherColumns[0] ?? '' };
    case 'uuid':
      return {};
    case 'person':
    case 'person_from_faker':
      return { locale: 'en_US' };
  }
}

/** A new column of `type` named `name`; `ctx` offers a model alias and other column names. */
export function newColumn(
  type: ColumnType,
  name: string,
  ctx: { modelAlias?: string; columns: string[] },
): RawObject {
  const model = ctx.modelAlias ?? '';
  const first = ctx.columns[0] ?? '';
  switch (type) {
    case 'sampler':
      return {
        name,
        column_type: 'sampler',
        sampler_type: 'category',
        params: defaultSamplerParams('category'),
      };
    case 'expression':
      return { name, column_type: 'expression', expr: first ? `{{ ${first} }}` : "{{ 'text' }}" };
    case 'llm-text':
      return {
        name,
        column_type: 'llm-text',
        model_alias: model,
        prompt: first ? `Write one sentence about {{ ${first} }}.` : 'Write one sentence.',
      };
    case 'llm-code':
      return {
        name,
        column_type: 'llm-code',
        model_alias: model,
        code_lang: 'python',
        prompt: 'Write a short Python function.',
      };
    case 'llm-structured':
      return {
        name,
        column_type: 'llm-structured',
        model_alias: model,
        prompt: 'Describe a product.',
        output_format: {
          type: 'object',
          properties: { name: { type: 'string' }, price: { type: 'number' } },
          required: ['name', 'price'],
        },
      };
    case 'llm-judge':
      return {
        name,
        column_type: 'llm-judge',
        model_alias: model,
        prompt: first ? `Judge this: {{ ${first} }}` : 'Judge this answer.',
        scores: [
          {
            name: 'quality',
            description: 'Overall quality',
            options: { '1': 'poor', '2': 'fair', '3': 'good' },
          },
        ],
      };
    case 'embedding':
      return { name, column_type: 'embedding', model_alias: model, target_column: first };
    case 'validation':
      return {
        name,
        column_type: 'validation',
        target_columns: first ? [first] : [],
        validator_type: 'regex',
        validator_params: { validator_type: 'regex', pattern: '.+' },
      };
    case 'seed-dataset':
      return { name, column_type: 'seed-dataset' };
  }
}

/** Default validator params per validator type. */
export function defaultValidatorParams(type: string): RawObject {
  switch (type) {
    case 'code':
      return { validator_type: 'code', code_lang: 'python' };
    case 'json_schema':
      return { validator_type: 'json_schema', schema: { type: 'object' } };
    case 'remote':
      return { validator_type: 'remote', endpoint_url: 'https://example.com/validate' };
    default:
      return { validator_type: 'regex', pattern: '.+' };
  }
}

/** A name like `base`, `base_2`, ... not in `taken`. */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const name = `${base}_${i}`;
    if (!taken.includes(name)) return name;
  }
}

/** A "New" design: no columns yet, and a model on the simulated provider ready for the first LLM column. */
export function blankDocument(): RawObject {
  return {
    model_providers: [{ name: 'simulated', provider_type: 'simulated' }],
    model_configs: [{ alias: 'writer', model: 'demo-writer', provider: 'simulated' }],
    columns: [],
    run: { num_records: 100 },
  };
}

/** The design a first visit starts with: a few columns on the simulated provider. */
export function starterDocument(): RawObject {
  return {
    ...blankDocument(),
    columns: [
      {
        name: 'topic',
        column_type: 'sampler',
        sampler_type: 'category',
        params: { values: ['travel', 'cooking', 'sports'] },
      },
      {
        name: 'sentence',
        column_type: 'llm-text',
        model_alias: 'writer',
        prompt: 'Write one sentence about {{ topic }}.',
      },
    ],
  };
}

/** Column types whose cells come from a model (they name a `model_alias`). */
export const MODEL_COLUMN_TYPES: ReadonlySet<ColumnType> = new Set([
  'llm-text',
  'llm-code',
  'llm-structured',
  'llm-judge',
  'embedding',
]);

/**
 * A new model on the simulated provider for a design with `providers` and `models`,
 * under a new alias; `provider` is the provider to add with it, null when the design
 * has a simulated provider already.
 */
export function simulatedModel(
  providers: readonly RawObject[],
  models: readonly RawObject[],
): { provider: RawObject | null; model: RawObject } {
  const existing = providers.find(
    (p) => p['provider_type'] === 'simulated' && typeof p['name'] === 'string' && p['name'] !== '',
  );
  const name = existing
    ? String(existing['name'])
    : uniqueName(
        'simulated',
        providers.map((p) => String(p['name'] ?? '')),
      );
  const aliases = models.map((m) => String(m['alias'] ?? ''));
  return {
    provider: existing ? null : { name, provider_type: 'simulated' },
    model: { alias: uniqueName('model', aliases), model: 'demo-writer', provider: name },
  };
}
