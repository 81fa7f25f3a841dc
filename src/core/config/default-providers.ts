/**
 * Data Designer's predefined providers (data_designer/config/utils/constants.py,
 * PREDEFINED_PROVIDERS): most published configs name `provider: nvidia`, `openai`
 * or `openrouter` without defining it. Such a config gets the provider Data
 * Designer would use, with its endpoint and, as `api_key`, the name of the
 * environment variable holding the key: the command line reads that variable, the
 * app asks for the key.
 */
import type { DataDesignerConfig, ModelProvider } from './types.ts';

/**
 * An `api_key` written as an environment variable's name (NVIDIA_API_KEY), not a
 * key: as Data Designer tells them apart, upper case with an underscore.
 */
export function namesEnvVariable(key: string): boolean {
  return /^[A-Z][A-Z0-9]*_[A-Z0-9_]*$/.test(key);
}

function predefined(name: string, endpoint: string, keyVariable: string): ModelProvider {
  return {
    name,
    endpoint,
    provider_type: 'openai',
    api_key: keyVariable,
    extra_body: null,
    extra_headers: null,
    simulated: null,
  };
}

/** Data Designer's predefined providers, by name. */
export const DATA_DESIGNER_PROVIDERS: ReadonlyMap<string, ModelProvider> = new Map(
  [
    predefined('nvidia', 'https://integrate.api.nvidia.com/v1', 'NVIDIA_API_KEY'),
    predefined('openai', 'https://api.openai.com/v1', 'OPENAI_API_KEY'),
    predefined('openrouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY'),
  ].map((p) => [p.name, p]),
);

/**
 * `config` with Data Designer's predefined provider added for each provider name
 * a model uses and the config does not define (in order of first use). A provider
 * the config defines, under any of these names, is used as written.
 */
export function withDefaultProviders(config: DataDesignerConfig): DataDesignerConfig {
  const defined = new Set(config.model_providers.map((p) => p.name));
  const added: ModelProvider[] = [];
  for (const m of config.model_configs) {
    const provider = DATA_DESIGNER_PROVIDERS.get(m.provider);
    if (provider === undefined || defined.has(m.provider)) continue;
    defined.add(m.provider);
    added.push({ ...provider });
  }
  if (added.length === 0) return config;
  return { ...config, model_providers: [...config.model_providers, ...added] };
}
