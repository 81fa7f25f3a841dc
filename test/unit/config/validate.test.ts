import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig, type ValidationResult } from '../../../src/core/config/validate.ts';
import type { ConfigIssue } from '../../../src/core/errors.ts';

const MODELS = `
model_providers:
  - { name: sim, provider_type: simulated }
model_configs:
  - { alias: writer, model: demo, provider: sim }
`;

function check(yaml: string): ValidationResult {
  return validateConfig(parseConfigText(yaml));
}

function issuesOf(yaml: string): ConfigIssue[] {
  const r = check(yaml);
  if (r.ok) throw new Error('expected the config to be invalid');
  return r.issues;
}

function issueAt(issues: ConfigIssue[], path: string): string {
  const found = issues.filter((i) => i.path === path);
  expect(
    found.map((i) => i.path),
    JSON.stringify(issues, null, 1),
  ).toContain(path);
  return found.map((i) => i.message).join('\n');
}

describe('SPEC 1 config: defaults', () => {
  it('a minimal config gets every default applied', () => {
    const r = check(`
columns:
  - { name: id, column_type: sampler, sampler_type: uuid, params: {} }
  - name: color
    column_type: sampler
    sampler_type: category
    params: { values: [red, blue] }
  - { name: label, column_type: expression, expr: "{{ color }}-{{ id }}" }
`);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const [id, color, label] = r.config.columns;
    expect(id).toMatchObject({
      drop: false,
      skip: null,
      propagate_skip: true,
      conditional_params: {},
      convert_to: null,
    });
    expect(id).toMatchObject({
      params: { sampler_type: 'uuid', prefix: null, short_form: false, uppercase: false },
    });
    expect(color).toMatchObject({ params: { values: ['red', 'blue'], weights: null } });
    expect(label).toMatchObject({ dtype: 'str' });
    expect(r.config).toMatchObject({
      model_configs: [],
      model_providers: [],
      seed_config: null,
      constraints: [],
      processors: [],
    });
    expect(r.config.run).toEqual({
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
    });
    expect(r.order).toEqual(['id', 'color', 'label']);
  });

  it('model and LLM column defaults (max_parallel_requests 4, with_trace none)', () => {
    const r = check(`${MODELS}
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [a] } }
  - { name: text, column_type: llm-text, model_alias: writer, prompt: "About {{ topic }}" }
`);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.model_configs[0]?.inference_parameters).toEqual({
      generation_type: 'chat-completion',
      temperature: null,
      top_p: null,
      max_tokens: null,
      max_parallel_requests: 4,
      timeout: null,
      extra_body: null,
    });
    expect(r.config.columns[1]).toMatchObject({
      system_prompt: null,
      with_trace: 'none',
      extract_reasoning_content: false,
    });
    expect(r.config.model_providers[0]).toMatchObject({
      provider_type: 'simulated',
      endpoint: '',
      api_key: null,
      simulated: null,
    });
  });

  it('temperature and top_p take a number or a uniform/manual distribution', () => {
    const r = check(`
model_providers: [{ name: p, endpoint: "http://localhost:8000/v1" }]
model_configs:
  - alias: a
    model: m
    provider: p
    inference_parameters:
      temperature: { distribution_type: uniform, params: { low: 0.5, high: 0.9 } }
      top_p: { params: { values: [0.9, 1.0], weights: [1, 3] } }
columns: [{ name: id, column_type: sampler, sampler_type: uuid, params: {} }]
`);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.model_configs[0]?.inference_parameters).toMatchObject({
      temperature: { distribution_type: 'uniform', params: { low: 0.5, high: 0.9 } },
      top_p: { distribution_type: 'manual', params: { values: [0.9, 1.0], weights: [1, 3] } },
    });
  });
});

describe('SPEC 1 config: every problem at once, each with its path', () => {
  it('reports out-of-range sampler params, wrong types and missing fields together', () => {
    const issues = issuesOf(`
columns:
  - { name: a, column_type: sampler, sampler_type: gaussian, params: { mean: 0, stddev: 0 } }
  - { name: b, column_type: sampler, sampler_type: uniform, params: { low: 5, high: 1 } }
  - { name: c, column_type: sampler, sampler_type: category, params: { values: [x, y], weights: [1] } }
  - { name: d, column_type: sampler, sampler_type: bernoulli, params: { p: 1.5 } }
  - { name: e, column_type: sampler, sampler_type: binomial, params: { n: "ten", p: 0.5 } }
  - { name: f, column_type: sampler, sampler_type: poisson, params: {} }
  - { name: g, column_type: expression, expr: "{{ a }}", dtype: decimal }
`);
    expect(issueAt(issues, 'columns[0].params.stddev')).toMatch(
      /expected a number above 0, found the number 0/,
    );
    expect(issueAt(issues, 'columns[1].params.high')).toMatch(
      /above low \(5\), found the number 1/,
    );
    expect(issueAt(issues, 'columns[2].params.weights')).toMatch(/expected 2 weights .* found 1/);
    expect(issueAt(issues, 'columns[3].params.p')).toMatch(/in \[0, 1\], found the number 1.5/);
    expect(issueAt(issues, 'columns[4].params.n')).toMatch(
      /expected an integer, found the string 'ten'/,
    );
    expect(issueAt(issues, 'columns[5].params.mean')).toMatch(
      /required; expected a number, found nothing/,
    );
    expect(issueAt(issues, 'columns[6].dtype')).toMatch(/one of 'str', 'int', 'float', 'bool'/);
    expect(issues).toHaveLength(7);
  });

  it('unknown keys are errors, at every level', () => {
    const issues = issuesOf(`
colums: []
columns:
  - { name: a, column_type: sampler, sampler_type: uuid, params: { prefx: "x" }, dropp: true }
run: { num_record: 5 }
`);
    expect(issueAt(issues, 'colums')).toMatch(/unknown key 'colums'; expected one of .*'columns'/);
    expect(issueAt(issues, 'columns[0].params.prefx')).toMatch(/unknown key/);
    expect(issueAt(issues, 'columns[0].dropp')).toMatch(/unknown key/);
    expect(issueAt(issues, 'run.num_record')).toMatch(/unknown key .*'num_records'/);
  });

  it('duplicate column names name both places', () => {
    const issues = issuesOf(`
columns:
  - { name: a, column_type: sampler, sampler_type: uuid, params: {} }
  - { name: a, column_type: sampler, sampler_type: uuid, params: {} }
`);
    expect(issueAt(issues, 'columns[1].name')).toBe(
      "duplicate column name 'a'; it is also at columns[0].name",
    );
  });

  it('unknown model aliases and providers list what exists', () => {
    const issues = issuesOf(`
model_providers: [{ name: sim, provider_type: simulated }]
model_configs: [{ alias: writer, model: m, provider: nvidai }]
columns:
  - { name: t, column_type: llm-text, model_alias: writter, prompt: "hi" }
`);
    expect(issueAt(issues, 'model_configs[0].provider')).toMatch(
      /provider 'nvidai'.*expected one of 'sim'/,
    );
    expect(issueAt(issues, 'columns[0].model_alias')).toMatch(
      /'writter', which is not in model_configs; expected one of 'writer'/,
    );
  });

  it('an embedding column needs an embedding model, an LLM column a chat model', () => {
    const issues = issuesOf(`${MODELS}
  - { alias: emb, model: e, provider: sim, inference_parameters: { generation_type: embedding } }
columns:
  - { name: t, column_type: llm-text, model_alias: emb, prompt: "hi" }
  - { name: v, column_type: embedding, model_alias: writer, target_column: t }
`);
    expect(issueAt(issues, 'columns[0].model_alias')).toMatch(/needs a chat-completion model/);
    expect(issueAt(issues, 'columns[1].model_alias')).toMatch(
      /needs an embedding model, found 'writer', a chat-completion model/,
    );
  });

  it('references to missing columns name both columns', () => {
    const issues = issuesOf(`${MODELS}
columns:
  - { name: name, column_type: sampler, sampler_type: uuid, params: {} }
  - { name: bio, column_type: llm-text, model_alias: writer, prompt: "Write about {{ nme }}" }
`);
    expect(issueAt(issues, 'columns[1].prompt')).toBe(
      "column 'bio' references 'nme', which is not a column (did you mean 'name'?)",
    );
  });

  it('a template that does not parse is reported at its field with line and column', () => {
    const issues = issuesOf(`
columns:
  - { name: a, column_type: sampler, sampler_type: uuid, params: {} }
  - { name: b, column_type: expression, expr: "{{ a }} {% if a %}" }
`);
    expect(issueAt(issues, 'columns[1].expr')).toMatch(/does not parse at line 1, column \d+/);
  });

  it('non-dict input and empty columns are reported at the root', () => {
    expect(issuesOf('- a\n- b')).toEqual([
      { path: '', message: 'expected a config object with columns, found a list of 2' },
    ]);
    expect(issueAt(issuesOf('columns: []'), 'columns')).toMatch(/at least 1/);
  });
});

describe('SPEC 1 config: Data Designer features a browser cannot honour are refused by name', () => {
  it.each([
    [
      'custom column',
      '- { name: c, column_type: custom, generator_function: f }',
      'columns[0].column_type',
      /Python function/,
    ],
    [
      'image column',
      '- { name: c, column_type: image, prompt: x, model_alias: m }',
      'columns[0].column_type',
      /image generation/,
    ],
    [
      'MCP tool_alias',
      '- { name: c, column_type: llm-text, prompt: x, model_alias: writer, tool_alias: t }',
      'columns[0].tool_alias',
      /MCP/,
    ],
    [
      'multi_modal_context',
      '- { name: c, column_type: llm-text, prompt: x, model_alias: writer, multi_modal_context: [{ column_name: img }] }',
      'columns[0].multi_modal_context',
      /put the text/,
    ],
    [
      'local_callable validator',
      '- { name: c, column_type: validation, target_columns: [c], validator_type: local_callable, validator_params: {} }',
      'columns[0].validator_type',
      /use 'code', 'regex'/,
    ],
  ])('%s', (_what, column, path, message) => {
    const issues = issuesOf(`${MODELS}\ncolumns:\n  ${column}\n`);
    expect(issueAt(issues, path)).toMatch(message);
  });

  it('a Hugging Face seed source says to use a local file', () => {
    const issues = issuesOf(`
seed_config: { source: { seed_type: hf, path: "datasets/x/y" } }
columns: [{ name: q, column_type: seed-dataset }]
`);
    expect(issueAt(issues, 'seed_config.source.seed_type')).toMatch(
      /Hugging Face.*seed_type 'local'/,
    );
  });
});
