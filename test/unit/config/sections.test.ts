import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import type { ConfigIssue } from '../../../src/core/errors.ts';

function issuesOf(yaml: string): ConfigIssue[] {
  const r = validateConfig(parseConfigText(yaml));
  if (r.ok) throw new Error('expected the config to be invalid');
  return r.issues;
}
const UUID = '  - { name: id, column_type: sampler, sampler_type: uuid, params: {} }\n';

describe('SPEC 1 samplers: cross-column and format rules', () => {
  it('subcategory needs a category parent with values for each parent value', () => {
    const issues = issuesOf(`columns:
  - { name: kind, column_type: sampler, sampler_type: category, params: { values: [a, b] } }
  - { name: sub, column_type: sampler, sampler_type: subcategory, params: { category: kind, values: { a: [x] } } }
  - { name: sub2, column_type: sampler, sampler_type: subcategory, params: { category: id, values: { a: [x] } } }
${UUID}`);
    expect(issues).toEqual([
      {
        path: 'columns[1].params.values',
        message: "expected subcategory values for every value of 'kind', missing 'b'",
      },
      {
        path: 'columns[2].params.category',
        message: "expected a category sampler column as the parent, found 'id', a uuid sampler",
      },
    ]);
  });

  it('datetime bounds must parse and be ordered; convert_to must suit the sampler', () => {
    const issues = issuesOf(`columns:
  - { name: d, column_type: sampler, sampler_type: datetime, params: { start: "2024-05-01", end: "2024-01-01" } }
  - { name: e, column_type: sampler, sampler_type: datetime, params: { start: "soon", end: "2024-01-01", unit: W } }
  - { name: g, column_type: sampler, sampler_type: gaussian, params: { mean: 0, stddev: 1 }, convert_to: "%Y" }
`);
    expect(issues.map((i) => i.path)).toEqual([
      'columns[0].params.end',
      'columns[1].params.start',
      'columns[1].params.unit',
      'columns[2].convert_to',
    ]);
  });

  it('conditional_params are read as params of the same sampler type', () => {
    const issues = issuesOf(`columns:
  - { name: k, column_type: sampler, sampler_type: category, params: { values: [a] } }
  - name: n
    column_type: sampler
    sampler_type: gaussian
    params: { mean: 0, stddev: 1 }
    conditional_params: { "k == 'a'": { mean: 1, stddev: -2 } }
`);
    expect(issues).toEqual([
      {
        path: `columns[1].conditional_params.k == 'a'.stddev`,
        message: 'expected a number above 0, found the number -2',
      },
    ]);
  });

  it('person sampler features that need the Nemotron datasets are refused', () => {
    const issues = issuesOf(`columns:
  - { name: p, column_type: sampler, sampler_type: person, params: { select_field_values: { state: [NY] }, age_range: [50, 20] } }
`);
    expect(issues.map((i) => i.path)).toEqual([
      'columns[0].params.select_field_values',
      'columns[0].params.age_range',
    ]);
    expect(issues[0]?.message).toMatch(/Nemotron Personas/);
  });
});

describe('SPEC 1 skip, seeds, models and run', () => {
  it('skip is refused on samplers and must read a column', () => {
    const issues = issuesOf(`columns:
  - { name: id, column_type: sampler, sampler_type: uuid, params: {}, skip: { when: "{{ 1 }}" } }
  - { name: e, column_type: expression, expr: "{{ id }}", skip: { when: "id == 0" } }
`);
    expect(issues.map((i) => i.path)).toEqual(['columns[0].skip', 'columns[1].skip.when']);
  });

  it('seed-dataset columns need a seed_config with a local file', () => {
    expect(issuesOf('columns: [{ name: q, column_type: seed-dataset }]')[0]?.path).toBe(
      'columns[0].column_type',
    );
    const issues =
      issuesOf(`seed_config: { source: { seed_type: local, path: data.xlsx }, selection_strategy: { index: 2, num_partitions: 2 } }
columns: [{ name: q, column_type: seed-dataset }]`);
    expect(issues.map((i) => i.path)).toEqual([
      'seed_config.source.path',
      'seed_config.selection_strategy.index',
    ]);
  });

  it('inference parameters, providers and simulated settings are range-checked', () => {
    const issues = issuesOf(`model_providers:
  - { name: a, endpoint: "ftp://x" }
  - { name: b, provider_type: gemini, endpoint: "https://x" }
  - { name: s, provider_type: simulated, simulated: { faults: { rate_limit: 2 }, latency: { distribution: uniform, min_ms: 5, max_ms: 1 } } }
model_configs:
  - { alias: m, model: x, provider: a, inference_parameters: { temperature: 3, top_p: { distribution_type: uniform, params: { low: 0.5, high: 1.5 } }, max_parallel_requests: 0 } }
columns:
${UUID}`);
    expect(issues.map((i) => i.path).sort()).toEqual([
      'model_configs[0].inference_parameters.max_parallel_requests',
      'model_configs[0].inference_parameters.temperature',
      'model_configs[0].inference_parameters.top_p.params.high',
      'model_providers[0].endpoint',
      'model_providers[1].provider_type',
      'model_providers[2].simulated.faults.rate_limit',
      'model_providers[2].simulated.latency.max_ms',
    ]);
  });

  it('run settings are checked', () => {
    const issues =
      issuesOf(`run: { num_records: 0, buffer_size: 2.5, shutdown_error_rate: 1.5, mode: parallel }
columns:
${UUID}`);
    expect(issues.map((i) => i.path)).toEqual([
      'run.num_records',
      'run.buffer_size',
      'run.shutdown_error_rate',
      'run.mode',
    ]);
  });
});
