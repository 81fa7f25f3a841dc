/**
 * Data Designer writes a provider's `api_key` as the name of an environment
 * variable (`api_key: NVIDIA_API_KEY`). The headless command resolves such names
 * from its environment; a literal key is used as it is. In the browser there is no
 * environment: the app asks for the key.
 */
import { ConfigError, type ConfigIssue } from '../core/errors.ts';
import type { DataDesignerConfig } from '../core/config/types.ts';

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The environment variable a provider's `api_key` names, or null for a literal key (or none). */
export function keyVariable(apiKey: string | null | undefined): string | null {
  return apiKey && ENV_NAME.test(apiKey) ? apiKey : null;
}

/**
 * The config with every `api_key` that names an environment variable replaced by
 * its value. A named variable that is not set is an error naming it, unless the
 * run is simulated (no key is needed then).
 */
export function resolveApiKeys(
  config: DataDesignerConfig,
  env: Record<string, string | undefined>,
  simulate: boolean,
): DataDesignerConfig {
  const issues: ConfigIssue[] = [];
  const providers = config.model_providers.map((p, i) => {
    const key = keyVariable(p.api_key);
    if (key === null) return p;
    const value = env[key];
    if (value !== undefined && value !== '') return { ...p, api_key: value };
    if (!simulate && p.provider_type !== 'simulated') {
      issues.push({
        path: `model_providers[${i}].api_key`,
        message: `provider '${p.name}': expected the environment variable ${key} to hold its API key, found it unset (set it, or run with --simulate)`,
      });
    }
    return { ...p, api_key: null };
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return { ...config, model_providers: providers };
}
