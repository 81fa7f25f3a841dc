/**
 * Data Designer's predefined providers: a config that names `provider: nvidia`,
 * `openai` or `openrouter` without defining it gets Data Designer's endpoint and
 * key variable, and the command line reads that variable.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { resolveApiKeys } from '../../../src/node/api-keys.ts';

const configNaming = (provider: string, providers = '') => `
${providers}
model_configs:
  - { alias: writer, model: some-model, provider: ${provider} }
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [tea] } }
  - { name: text, column_type: llm-text, model_alias: writer, prompt: 'About {{ topic }}' }
`;

function validConfig(yaml: string) {
  const r = validateConfig(parseConfigText(yaml));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.config;
}

describe("Data Designer's predefined providers", () => {
  it.each([
    ['nvidia', 'https://integrate.api.nvidia.com/v1', 'NVIDIA_API_KEY'],
    ['openai', 'https://api.openai.com/v1', 'OPENAI_API_KEY'],
    ['openrouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY'],
  ])('provider: %s, not defined, gets %s and the key variable %s', (name, endpoint, variable) => {
    const config = validConfig(configNaming(name));
    expect(config.model_providers).toEqual([
      {
        name,
        endpoint,
        provider_type: 'openai',
        api_key: variable,
        extra_body: null,
        extra_headers: null,
        simulated: null,
      },
    ]);
  });

  it('a provider the config defines under one of these names is used as written', () => {
    const config = validConfig(
      configNaming(
        'nvidia',
        "model_providers:\n  - { name: nvidia, endpoint: 'http://127.0.0.1:9/v1', api_key: MY_KEY }",
      ),
    );
    expect(config.model_providers).toHaveLength(1);
    expect(config.model_providers[0]).toMatchObject({
      endpoint: 'http://127.0.0.1:9/v1',
      api_key: 'MY_KEY',
    });
  });

  it('any other undefined provider is still refused', () => {
    const r = validateConfig(parseConfigText(configNaming('nvida')));
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['model_configs[0].provider']);
  });

  it('the command line reads the key variable, and names it when it is unset', () => {
    const config = validConfig(configNaming('openrouter'));
    const resolved = resolveApiKeys(config, { OPENROUTER_API_KEY: 'sk-or-test' }, false);
    expect(resolved.model_providers[0]?.api_key).toBe('sk-or-test');
    expect(() => resolveApiKeys(config, {}, false)).toThrow(ConfigError);
    expect(() => resolveApiKeys(config, {}, false)).toThrow(/OPENROUTER_API_KEY/);
    expect(resolveApiKeys(config, {}, true).model_providers[0]?.api_key).toBeNull();
  });

  it('without an environment (the app) an unresolved key variable asks for the key, once per provider', () => {
    const config = validConfig(
      configNaming('nvidia') +
        "  - { name: text2, column_type: llm-text, model_alias: writer, prompt: 'More {{ topic }}' }\n",
    );
    let issues: unknown;
    try {
      compilePlan(config);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      issues = (err as ConfigError).issues;
    }
    expect(issues).toEqual([
      {
        path: 'model_providers[0].api_key',
        message:
          "provider 'nvidia' needs its API key, which Data Designer reads from the environment variable NVIDIA_API_KEY; expected the key itself (enter it for 'nvidia'), found the variable's name",
      },
    ]);
    const typed = {
      ...config,
      model_providers: [{ ...config.model_providers[0]!, api_key: 'nvapi-typed' }],
    };
    expect(() => compilePlan(typed)).not.toThrow();
    expect(() => compilePlan(config, { simulate: true })).not.toThrow();
  });
});
