/**
 * Column configs (Data Designer's column_configs.py), one reader per column_type.
 * Features a browser cannot honour are refused by name with what to use instead.
 */
import { isBlocked } from '../template/values.ts';
import { ROW_ID_COLUMN, SAMPLERS_GENERATOR, SEED_GENERATOR } from './generator-names.ts';
import { Fields, describe, isObject, quoteList } from './reader.ts';
import { readSamplerParams } from './read-samplers.ts';
import {
  CODE_LANGS,
  COLUMN_TYPES,
  NUMERIC_SAMPLER_TYPES,
  SAMPLER_TYPES,
  type ColumnConfig,
  type JudgeScore,
  type SamplerColumnConfig,
  type SamplerParams,
  type SkipConfig,
  type ValidatorParams,
} from './types.ts';

/** Data Designer column types a browser cannot run, and what to use instead. */
const REFUSED_COLUMN_TYPES: ReadonlyMap<string, string> = new Map([
  [
    'custom',
    "column_type 'custom' runs a Python function, which a browser cannot; use an expression column (a Jinja template) or an llm-text column",
  ],
  [
    'image',
    "column_type 'image' (image generation) is not supported; use llm-text to describe the image instead",
  ],
]);

/** Names of the plan's own generators, which a column of the same name would clash with. */
const OWN_NAMES: readonly string[] = [SAMPLERS_GENERATOR, SEED_GENERATOR, ROW_ID_COLUMN];

/** Reads one entry of `columns`; undefined when it is too broken to type. */
export function readColumn(
  raw: unknown,
  path: string,
  issues: Fields['issues'],
): ColumnConfig | undefined {
  const f = Fields.of(raw, path, issues);
  if (!f) return undefined;
  const name = f.string('name', { nonEmpty: true });
  if (isBlocked(name)) {
    // Templates cannot read it (their sandbox keeps JavaScript's object internals out),
    // and '__proto__' cannot even be a key of a row.
    f.issue(
      'name',
      `expected a column name templates can read, found '${name}'; '__proto__', 'constructor', 'prototype' and names that start and end with '__' are reserved`,
    );
  }
  if (OWN_NAMES.includes(name)) {
    f.issue(
      'name',
      `expected a column name other than ${quoteList(OWN_NAMES)} (tabsynth's own generators), found '${name}'`,
    );
  }
  const typeRaw = f.raw('column_type');
  const refused = typeof typeRaw === 'string' ? REFUSED_COLUMN_TYPES.get(typeRaw) : undefined;
  if (refused) {
    f.issue('column_type', refused);
    return undefined;
  }
  const columnType = f.oneOf('column_type', COLUMN_TYPES);
  if (typeRaw === undefined || !(COLUMN_TYPES as readonly unknown[]).includes(typeRaw))
    return undefined;
  const base = {
    name,
    drop: f.bool('drop', false),
    skip: readSkip(f),
    propagate_skip: f.bool('propagate_skip', true),
  };
  const column = readTyped(columnType, f, base);
  f.end();
  return column;
}

type Base = Pick<ColumnConfig, 'name' | 'drop' | 'skip' | 'propagate_skip'>;

function readTyped(type: ColumnConfig['column_type'], f: Fields, base: Base): ColumnConfig {
  switch (type) {
    case 'sampler':
      return readSampler(f, base);
    case 'expression':
      return {
        ...base,
        column_type: 'expression',
        expr: f.string('expr', { nonEmpty: true }),
        dtype: f.oneOf('dtype', ['str', 'int', 'float', 'bool'] as const, 'str'),
      };
    case 'llm-text':
      return { ...base, column_type: 'llm-text', ...llmFields(f) };
    case 'llm-code':
      return {
        ...base,
        column_type: 'llm-code',
        ...llmFields(f),
        code_lang: f.oneOf('code_lang', CODE_LANGS),
      };
    case 'llm-structured':
      return {
        ...base,
        column_type: 'llm-structured',
        ...llmFields(f),
        output_format: f.record('output_format', {}, true),
      };
    case 'llm-judge':
      return { ...base, column_type: 'llm-judge', ...llmFields(f), scores: readScores(f) };
    case 'embedding':
      return {
        ...base,
        column_type: 'embedding',
        target_column: f.string('target_column', { nonEmpty: true }),
        model_alias: f.string('model_alias', { nonEmpty: true }),
      };
    case 'validation':
      return readValidation(f, base);
    case 'seed-dataset':
      return { ...base, column_type: 'seed-dataset' };
  }
}

function readSkip(f: Fields): SkipConfig | null {
  const s = f.object('skip', false);
  if (!s) return null;
  const when = s.string('when', { nonEmpty: true });
  const value = s.raw('value') ?? null;
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
    s.issue('value', `expected a string, number, boolean or null, found ${describe(value)}`);
  }
  s.end();
  return { when, value: value as SkipConfig['value'] };
}

function llmFields(f: Fields) {
  f.refuse(
    'multi_modal_context',
    'multi_modal_context (images, audio or video sent to the model) is not supported; put the text the model needs in the prompt',
  );
  f.refuse(
    'tool_alias',
    'tool_alias (MCP tool calls) is not supported in a browser; give the model what it needs in the prompt',
  );
  return {
    prompt: f.string('prompt', { nonEmpty: true }),
    model_alias: f.string('model_alias', { nonEmpty: true }),
    system_prompt: f.optString('system_prompt', null),
    with_trace: f.oneOf('with_trace', ['none', 'last_message', 'all_messages'] as const, 'none'),
    extract_reasoning_content: f.bool('extract_reasoning_content', false),
  };
}

function readScores(f: Fields): JudgeScore[] {
  const list = f.list('scores', true, { minLength: 1 }) ?? [];
  const scores: JudgeScore[] = [];
  list.forEach((raw, i) => {
    const s = Fields.of(raw, `${f.at('scores')}[${i}]`, f.issues);
    if (!s) return;
    const name = s.string('name', { nonEmpty: true });
    const description = s.string('description');
    const options: [string, string][] = [];
    const o = s.record('options', null, true);
    if (isObject(o)) {
      if (Object.keys(o).length === 0)
        s.issue('options', 'expected at least one option, found none');
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'string') options.push([k, v]);
        else s.issue(`options.${k}`, `expected a description (a string), found ${describe(v)}`);
      }
    }
    s.end();
    scores.push({ name, description, options: Object.fromEntries(options) });
  });
  return scores;
}

function readSampler(f: Fields, base: Base): SamplerColumnConfig {
  const type = f.oneOf('sampler_type', SAMPLER_TYPES);
  const typeOk = (SAMPLER_TYPES as readonly unknown[]).includes(f.obj['sampler_type']);
  const paramsRaw = f.raw('params');
  const read = typeOk ? Fields.of(paramsRaw ?? {}, f.at('params'), f.issues) : undefined;
  // Params that cannot be read still get their type's shape (with fallbacks), so that
  // checks across columns (a subcategory's parent) read fields, not undefined; their
  // own issues are already reported.
  const params = readSamplerParams(type, read ?? new Fields({}, f.at('params'), []));
  const conditional: [string, SamplerParams][] = [];
  const cond = f.object('conditional_params', false);
  if (cond && typeOk) {
    for (const key of Object.keys(cond.obj)) {
      const p = cond.object(key);
      if (p) conditional.push([key, readSamplerParams(type, p)]);
    }
  }
  const convert_to = f.optString('convert_to', null);
  if (convert_to !== null && typeOk) {
    if (NUMERIC_SAMPLER_TYPES.includes(type) && !['int', 'float', 'str'].includes(convert_to)) {
      f.issue(
        'convert_to',
        `expected one of 'int', 'float', 'str' for a ${type} sampler, found ${describe(convert_to)}`,
      );
    } else if ((type === 'datetime' || type === 'timedelta') && convert_to.trim() === '') {
      f.issue('convert_to', "expected a strftime format such as '%Y-%m-%d', found an empty string");
    }
  }
  return {
    ...base,
    column_type: 'sampler',
    sampler_type: type,
    params,
    conditional_params: Object.fromEntries(conditional),
    convert_to,
  } as SamplerColumnConfig;
}

function readValidation(f: Fields, base: Base): ColumnConfig {
  const target_columns = f.stringList('target_columns', true, { minLength: 1 });
  const typeRaw = f.raw('validator_type');
  if (typeRaw === 'local_callable') {
    f.issue(
      'validator_type',
      "validator_type 'local_callable' calls a Python function, which a browser cannot; use 'code', 'regex', 'json_schema' or 'remote'",
    );
  }
  const types = ['code', 'regex', 'json_schema', 'remote'] as const;
  const validator_type = typeRaw === 'local_callable' ? 'code' : f.oneOf('validator_type', types);
  const p = f.object('validator_params') ?? new Fields({}, f.at('validator_params'), []);
  const own = p.raw('validator_type');
  if (own !== undefined && own !== typeRaw && typeof typeRaw === 'string') {
    p.issue(
      'validator_type',
      `expected '${typeRaw}' (the column's validator_type), found ${describe(own)}`,
    );
  }
  const validator_params = readValidatorParams(validator_type, p);
  p.end();
  return {
    ...base,
    column_type: 'validation',
    target_columns,
    validator_type,
    validator_params,
    batch_size: f.optNumber('batch_size', 10, { integer: true, min: 1 }),
  };
}

function readValidatorParams(type: ValidatorParams['validator_type'], p: Fields): ValidatorParams {
  switch (type) {
    case 'code':
      return { validator_type: 'code', code_lang: p.oneOf('code_lang', CODE_LANGS) };
    case 'regex': {
      const pattern = p.string('pattern');
      const flags = p.optString('flags', '');
      if (!/^[imsu]*$/.test(flags)) {
        p.issue(
          'flags',
          `expected RegExp flags among 'i', 'm', 's', 'u', found ${describe(flags)}`,
        );
      } else {
        try {
          new RegExp(pattern, flags);
        } catch (err) {
          p.issue('pattern', `expected a valid regular expression: ${(err as Error).message}`);
        }
      }
      return { validator_type: 'regex', pattern, flags, full_match: p.bool('full_match', true) };
    }
    case 'json_schema':
      return { validator_type: 'json_schema', schema: p.record('schema', {}, true) };
    case 'remote':
      return {
        validator_type: 'remote',
        endpoint_url: p.string('endpoint_url', { nonEmpty: true }),
        output_schema: p.record('output_schema', null),
        timeout: p.optNumber('timeout', 30, { above: 0 }),
        max_retries: p.optNumber('max_retries', 3, { integer: true, min: 0 }),
        retry_backoff: p.optNumber('retry_backoff', 2, { above: 1 }),
        max_parallel_requests: p.optNumber('max_parallel_requests', 4, { integer: true, min: 1 }),
      };
  }
}
