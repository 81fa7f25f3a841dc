import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/load.ts';
import { runSettingsFrom } from '../../../src/core/config/run-settings.ts';
import {
  configHash,
  fnv1a64,
  redactSecrets,
  stableJson,
} from '../../../src/core/config/secrets.ts';
import { DEFAULT_RUN_SETTINGS } from '../../../src/core/engine/plan.ts';

const text = (key: string, extra = '') => `
model_providers:
  - name: remote
    endpoint: "https://api.example.test/v1"
    api_key: "${key}"
    extra_headers: { Authorization: "Bearer ${key}", X-Org: acme, X-Custom: "Token ${key}" }
model_configs: [{ alias: m, model: x, provider: remote }]
columns:
  - { name: t, column_type: llm-text, model_alias: m, prompt: "hi" }
${extra}`;

describe('SPEC 1 secrets: API keys never leave memory', () => {
  it('redactSecrets drops api_key and credential-looking headers, keeps the rest', () => {
    const config = loadConfig(text('sk-secret-1'));
    const redacted = redactSecrets(config);
    expect(JSON.stringify(redacted)).not.toContain('sk-secret-1');
    expect(redacted.model_providers[0]).toMatchObject({
      api_key: null,
      extra_headers: { Authorization: '[redacted]', 'X-Org': 'acme', 'X-Custom': '[redacted]' },
    });
    expect(config.model_providers[0]?.api_key).toBe('sk-secret-1');
  });
});

describe('SPEC 3.8 config hash', () => {
  const settings = runSettingsFrom({}, { numRecords: 100 });

  it('does not depend on secrets, key order or run-only settings', () => {
    const a = configHash(loadConfig(text('sk-1')), settings);
    expect(configHash(loadConfig(text('sk-2')), settings)).toBe(a);
    expect(
      configHash(loadConfig(text('sk-1')), {
        ...settings,
        mode: 'sequential',
        trace: true,
        maxInFlightTasks: 3,
      }),
    ).toBe(a);
    expect(configHash(loadConfig(text('sk-1', 'run: { trace: true }')), settings)).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with the columns and with seed, num_records and buffer_size', () => {
    const config = loadConfig(text('k'));
    const a = configHash(config, settings);
    const other = loadConfig(text('k').replace('prompt: "hi"', 'prompt: "hello"'));
    expect(configHash(other, settings)).not.toBe(a);
    for (const change of [{ seed: 1 }, { numRecords: 101 }, { bufferSize: 10 }]) {
      expect(configHash(config, { ...settings, ...change })).not.toBe(a);
    }
  });

  it('stableJson sorts keys; fnv1a64 matches the published test vectors', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  });
});

describe('SPEC 3.9 run settings', () => {
  it('maps the run section to RunSettings; overrides win', () => {
    const config = loadConfig(
      text('k', 'run: { num_records: 5, seed: 9, buffer_size: 2, mode: sequential }'),
    );
    expect(runSettingsFrom(config.run)).toEqual({
      ...DEFAULT_RUN_SETTINGS,
      numRecords: 5,
      seed: 9,
      bufferSize: 2,
      mode: 'sequential',
    });
    expect(runSettingsFrom(config.run, { numRecords: 7, seed: undefined })).toMatchObject({
      numRecords: 7,
      seed: 9,
    });
  });

  it('defaults equal the engine defaults', () => {
    expect(runSettingsFrom()).toEqual({ ...DEFAULT_RUN_SETTINGS, numRecords: 10 });
  });
});
