/**
 * Configs for the runtime's browser tests, e2e and benchmarks. Everything runs on
 * the simulated provider, offline and deterministic.
 */

/** One column of every SPEC 4 export type, plus a `drop: true` column and skipped (null) cells. */
export const ALL_TYPES_CONFIG = `
model_providers:
  - name: sim
    provider_type: simulated
model_configs:
  - alias: writer
    model: demo-writer
    provider: sim
    inference_parameters: { temperature: 0.7, max_tokens: 40 }
  - alias: embedder
    model: demo-embedder
    provider: sim
    inference_parameters: { generation_type: embedding, dimensions: 8 }
columns:
  - { name: id, column_type: sampler, sampler_type: uuid, params: { short_form: true } }
  - name: rating
    column_type: sampler
    sampler_type: category
    params: { values: [1, 2, 3, 4, 5] }
  - { name: price, column_type: sampler, sampler_type: gaussian, params: { mean: 50, stddev: 10 } }
  - name: sold_at
    column_type: sampler
    sampler_type: datetime
    params: { start: '2024-01-01', end: '2024-12-31', unit: s }
  - { name: buyer, column_type: sampler, sampler_type: person, params: { locale: en_US } }
  - { name: secret, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 }, drop: true }
  - { name: good, column_type: expression, expr: '{{ rating >= 4 }}', dtype: bool }
  - { name: label, column_type: expression, expr: '{{ "high" if secret > 0.5 else "low" }}' }
  - name: review
    column_type: llm-text
    model_alias: writer
    prompt: Review a product rated {{ rating }}.
    skip: { when: '{{ rating == 1 }}' }
  - name: spec
    column_type: llm-structured
    model_alias: writer
    prompt: Describe a product priced {{ price }}.
    output_format:
      type: object
      properties: { name: { type: string }, stock: { type: integer, minimum: 0, maximum: 9 } }
      required: [name, stock]
  - name: vec
    column_type: embedding
    model_alias: embedder
    target_column: label
run: { num_records: 40, seed: 11, buffer_size: 10 }
`;

/** The statistical pipeline (no model columns): 10 output columns of samplers and expressions. */
export const STATISTICAL_CONFIG = `
columns:
  - { name: id, column_type: sampler, sampler_type: uuid, params: { short_form: true } }
  - name: region
    column_type: sampler
    sampler_type: category
    params: { values: [north, south, east, west], weights: [4, 3, 2, 1] }
  - { name: age, column_type: sampler, sampler_type: uniform, params: { low: 18, high: 90 }, convert_to: int }
  - { name: income, column_type: sampler, sampler_type: gaussian, params: { mean: 52000, stddev: 15000, decimal_places: 2 } }
  - { name: visits, column_type: sampler, sampler_type: poisson, params: { mean: 3 } }
  - { name: churn, column_type: sampler, sampler_type: bernoulli, params: { p: 0.2 } }
  - name: joined
    column_type: sampler
    sampler_type: datetime
    params: { start: '2020-01-01', end: '2025-01-01', unit: D }
  - { name: score, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 } }
  - { name: segment, column_type: expression, expr: '{{ region }}-{{ "senior" if age >= 60 else "adult" }}' }
  - { name: high_value, column_type: expression, expr: '{{ income > 60000 }}', dtype: bool }
run: { num_records: 1000, seed: 7, buffer_size: 1000 }
`;
