import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/load.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { resolveApiKeys } from '../../../src/node/api-keys.ts';

const config = (key: string) =>
  loadConfig(`
model_providers:
  - { name: nvidia, endpoint: "https://integrate.api.nvidia.com/v1", api_key: ${key} }
model_configs: [{ alias: m, model: some-model, provider: nvidia }]
columns:
  - { name: q, column_type: llm-text, model_alias: m, prompt: "hi" }
`);

describe("Data Designer's api_key as an environment variable name", () => {
  it('is replaced by the variable of that name', () => {
    const out = resolveApiKeys(config('NVIDIA_API_KEY'), { NVIDIA_API_KEY: 'from-env' }, false);
    expect(out.model_providers[0]?.api_key).toBe('from-env');
  });

  it('a literal key is used as it is', () => {
    const out = resolveApiKeys(config('sk-literal-123'), {}, false);
    expect(out.model_providers[0]?.api_key).toBe('sk-literal-123');
  });

  it('an unset variable is an error naming it and the provider, unless simulated', () => {
    let err: unknown;
    try {
      resolveApiKeys(config('NVIDIA_API_KEY'), {}, false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      {
        path: 'model_providers[0].api_key',
        message:
          "provider 'nvidia': expected the environment variable NVIDIA_API_KEY to hold its API key, found it unset (set it, or run with --simulate)",
      },
    ]);
    expect(resolveApiKeys(config('NVIDIA_API_KEY'), {}, true).model_providers[0]?.api_key).toBe(
      null,
    );
  });
});
