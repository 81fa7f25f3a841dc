/**
 * What test/fixtures/store-v1 was written from (idb-store-v1.capture.ts) and where it
 * lies. Frozen with the fixture: these do not follow changes to support/configs.ts.
 */

/** The fixture folder, relative to the project's root (where browser commands resolve paths). */
export const FIXTURE_DIR = 'test/fixtures/store-v1';

/** The seed dataset file the fixture's runs were started with. */
export const STORE_V1_SEED_CSV =
  'city,population,coastal\nLisbon,545000,true\nMadrid,3300000,false\n"Porto, PT",232000,true\n';

/**
 * The fixture's config: every export type, a seed dataset, model columns on the
 * simulated provider, a schema_transform table and a post_generation processor.
 */
export const STORE_V1_CONFIG = `
seed_config:
  source: { seed_type: local, path: cities.csv }
  sampling_strategy: ordered
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
  - { name: city, column_type: seed-dataset }
  - { name: coastal, column_type: seed-dataset }
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
  - { name: good, column_type: expression, expr: '{{ rating >= 4 }}', dtype: bool }
  - name: review
    column_type: llm-text
    model_alias: writer
    prompt: Review a product from {{ city }} rated {{ rating }}.
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
    target_column: city
processors:
  - processor_type: schema_transform
    name: pairs
    template: { prompt: "About {{ city }}", rating: "{{ rating }}" }
  - { processor_type: drop_columns, column_names: [id], build_stage: post_generation }
run: { num_records: 40, seed: 11, buffer_size: 10 }
`;
