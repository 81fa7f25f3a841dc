/**
 * One config per Data Designer feature a browser cannot honour, as Data Designer
 * writes it, keyed by the feature's name in docs/compatibility.md's table.
 */

const MODELS = `
model_providers:
  - { name: nvidia, endpoint: https://integrate.api.nvidia.com/v1, provider_type: openai, api_key: NVIDIA_API_KEY }
model_configs:
  - { alias: nvidia-text, model: nvidia/nemotron-3-nano-30b-a3b, provider: nvidia }
`;

const TOPIC = `
  - name: topic
    column_type: sampler
    sampler_type: category
    params: { sampler_type: category, values: [lamps, mugs] }
`;

const seedSource = (source: string) => `
seed_config:
  source: ${source}
columns:
  - { name: text, column_type: seed-dataset }
`;

export interface RefusedCase {
  /** The config text (YAML), otherwise valid. */
  config: string;
  /** The path of the issue that refuses the feature. */
  path: string;
}

/** Feature (as named in docs/compatibility.md) to a config using it. */
export const REFUSED_CASES: Record<string, RefusedCase> = {
  'Hugging Face seed source (`seed_type: hf`)': {
    config: seedSource(
      "{ seed_type: hf, path: 'datasets/gretelai/symptom_to_diagnosis/data/*.parquet' }",
    ),
    path: 'seed_config.source.seed_type',
  },
  'DataFrame seed source (`seed_type: df`)': {
    config: seedSource('{ seed_type: df }'),
    path: 'seed_config.source.seed_type',
  },
  'Directory seed source (`seed_type: directory`)': {
    config: seedSource('{ seed_type: directory, path: ./docs }'),
    path: 'seed_config.source.seed_type',
  },
  'File-contents seed source (`seed_type: file_contents`)': {
    config: seedSource('{ seed_type: file_contents, path: ./docs }'),
    path: 'seed_config.source.seed_type',
  },
  'Agent rollout seed source (`seed_type: agent_rollout`)': {
    config: seedSource('{ seed_type: agent_rollout, path: ./traces, format: claude_code }'),
    path: 'seed_config.source.seed_type',
  },
  'Custom Python columns (`column_type: custom`)': {
    config: `${MODELS}columns:${TOPIC}
  - name: score
    column_type: custom
    generator_function: my_module.score
    generation_strategy: cell_by_cell
`,
    path: 'columns[1].column_type',
  },
  'Image columns (`column_type: image`)': {
    config: `${MODELS}columns:${TOPIC}
  - name: picture
    column_type: image
    model_alias: nvidia-text
    prompt: A photo of {{ topic }}
`,
    path: 'columns[1].column_type',
  },
  'Image generation models (`generation_type: image`)': {
    config: `
model_providers:
  - { name: nvidia, endpoint: https://integrate.api.nvidia.com/v1, api_key: NVIDIA_API_KEY }
model_configs:
  - alias: flux
    model: black-forest-labs/flux.1-dev
    provider: nvidia
    inference_parameters: { generation_type: image }
columns:${TOPIC}`,
    path: 'model_configs[0].inference_parameters.generation_type',
  },
  'Images, audio or video as model context (`multi_modal_context`)': {
    config: `${MODELS}columns:${TOPIC}
  - name: caption
    column_type: llm-text
    model_alias: nvidia-text
    prompt: Describe the picture of {{ topic }}.
    multi_modal_context:
      - { modality: image, column_name: topic, data_type: url }
`,
    path: 'columns[1].multi_modal_context',
  },
  'MCP tool calls on a column (`tool_alias`)': {
    config: `${MODELS}columns:${TOPIC}
  - name: answer
    column_type: llm-text
    model_alias: nvidia-text
    prompt: Search the web for {{ topic }}.
    tool_alias: search
`,
    path: 'columns[1].tool_alias',
  },
  'MCP tool configs (`tool_configs`)': {
    config: `${MODELS}tool_configs:
  - { tool_alias: search, providers: [tavily] }
columns:${TOPIC}`,
    path: 'tool_configs',
  },
  'Local Python validators (`validator_type: local_callable`)': {
    config: `columns:${TOPIC}
  - name: check
    column_type: validation
    target_columns: [topic]
    validator_type: local_callable
    validator_params: { validator_type: local_callable, validation_function: my_module.check }
`,
    path: 'columns[1].validator_type',
  },
  'Nemotron Personas fields (`person` with `with_synthetic_personas`)': {
    config: `columns:
  - name: person
    column_type: sampler
    sampler_type: person
    params: { sampler_type: person, locale: en_US, with_synthetic_personas: true }
`,
    path: 'columns[0].params.with_synthetic_personas',
  },
  'Nemotron Personas filters (`person` with `select_field_values`)': {
    config: `columns:
  - name: person
    column_type: sampler
    sampler_type: person
    params: { sampler_type: person, select_field_values: { state: [NY, CA] } }
`,
    path: 'columns[0].params.select_field_values',
  },
  'Column profilers (`profilers`)': {
    config: `columns:${TOPIC}profilers:
  - { name: judge_scores, profiler_type: judge_score_distribution }
`,
    path: 'profilers',
  },
  'Embedding models on an Anthropic provider (`provider_type: anthropic`)': {
    config: `model_providers:
  - { name: claude, provider_type: anthropic, endpoint: https://api.anthropic.com, api_key: ANTHROPIC_API_KEY }
model_configs:
  - { alias: embedder, model: some-embedder, provider: claude, inference_parameters: { generation_type: embedding } }
columns:${TOPIC}  - { name: vector, column_type: embedding, model_alias: embedder, target_column: topic }
`,
    path: 'columns[1].model_alias',
  },
};
