import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { runSettingsFrom } from '../../../src/core/config/run-settings.ts';
import { configHash } from '../../../src/core/config/secrets.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';

const yaml = (model: string, run = '') => `
model_providers:
  - { name: local, endpoint: "http://127.0.0.1:9/v1" }
  - { name: sim, provider_type: simulated }
model_configs:
  - ${model}
columns:
  - { name: t, column_type: llm-text, model_alias: m, prompt: "hi" }
${run}
`;

describe('3.5 budgets and prices on model configs (model_configs[].tabsynth)', () => {
  it('reads budgets and prices into the plan model', () => {
    const config = loadConfig(
      yaml(
        '{ alias: m, model: x, provider: local, tabsynth: { requests_per_minute: 240, tokens_per_minute: 90000, input_price_per_million: 0.15, output_price_per_million: 0.6 } }',
      ),
    );
    const [model] = compilePlan(config).plan.models;
    expect(model).toMatchObject({
      requestsPerMinute: 240,
      tokensPerMinute: 90000,
      prices: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
      latencyControl: 'at-cap',
    });
  });

  it('a Data Designer config without them is read as before: no budgets, no prices', () => {
    const config = loadConfig(yaml('{ alias: m, model: x, provider: local }'));
    expect(config.model_configs[0]!.tabsynth).toBeNull();
    const [model] = compilePlan(config).plan.models;
    expect(model).toMatchObject({ requestsPerMinute: null, tokensPerMinute: null, prices: null });
    const sim = compilePlan(loadConfig(yaml('{ alias: m, model: x, provider: sim }'))).plan;
    expect(sim.models[0]!.latencyControl).toBe(false);
    const short = compilePlan(
      loadConfig(
        yaml('{ alias: m, model: x, provider: local, inference_parameters: { timeout: 1 } }'),
      ),
    ).plan;
    expect(short.models[0]!.latencyControl).toBe('slow-start');
  });

  it('bad values are refused by name, with what was expected', () => {
    const r = validateConfig(
      parseConfigText(
        yaml(
          '{ alias: m, model: x, provider: local, tabsynth: { requests_per_minute: 0, input_price_per_million: -1, per_day: 3 } }',
        ),
      ),
    );
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues.join('\n')).toMatch(
      /model_configs\[0\]\.tabsynth\.requests_per_minute: expected a number above 0/,
    );
    expect(issues.join('\n')).toMatch(/tabsynth\.input_price_per_million: expected a number >= 0/);
    expect(issues.join('\n')).toMatch(/tabsynth\.per_day/);
  });

  it('changing budgets or prices keeps the config hash: the run resumes', () => {
    const settings = runSettingsFrom({ num_records: 10 });
    const a = configHash(loadConfig(yaml('{ alias: m, model: x, provider: local }')), settings);
    const b = configHash(
      loadConfig(
        yaml('{ alias: m, model: x, provider: local, tabsynth: { requests_per_minute: 60 } }'),
      ),
      settings,
    );
    expect(b).toBe(a);
  });
});

describe("3.5 Data Designer's request-admission settings per run", () => {
  it('run.request_admission reaches every model with its names and units', () => {
    const config = loadConfig(
      yaml(
        '{ alias: m, model: x, provider: local }',
        'run: { request_admission: { multiplicative_decrease_factor: 0.5, additive_increase_step: 2, successes_until_increase: 10, cooldown_seconds: 1.5, startup_ramp_seconds: 30 } }',
      ),
    );
    expect(compilePlan(config).plan.models[0]!.admission).toEqual({
      decreaseFactor: 0.5,
      increaseStep: 2,
      successesUntilIncrease: 10,
      cooldownMs: 1500,
      startupRampMs: 30_000,
    });
  });

  it("fills Data Designer's defaults and refuses a factor of 1 or more", () => {
    const config = loadConfig(
      yaml('{ alias: m, model: x, provider: local }', 'run: { request_admission: {} }'),
    );
    expect(config.run.request_admission).toEqual({
      multiplicative_decrease_factor: 0.75,
      additive_increase_step: 1,
      successes_until_increase: 25,
      cooldown_seconds: 2,
      startup_ramp_seconds: 0,
    });
    expect(() =>
      loadConfig(
        yaml(
          '{ alias: m, model: x, provider: local }',
          'run: { request_admission: { multiplicative_decrease_factor: 1 } }',
        ),
      ),
    ).toThrow(/multiplicative_decrease_factor: expected a number above 0 and below 1/);
  });
});
