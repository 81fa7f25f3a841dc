import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/core/config/load.ts';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { ConfigError, ErrorCodes } from '../../../src/core/errors.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/configs/${name}`, import.meta.url), 'utf8');

function syntaxError(text: string, hint?: 'yaml' | 'json'): ConfigError {
  try {
    parseConfigText(text, hint);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a syntax error');
}

describe('SPEC 1 config text: YAML or JSON', () => {
  it('JSON and YAML of the same config validate to the same result', () => {
    const yaml =
      'columns:\n  - { name: id, column_type: sampler, sampler_type: uuid, params: { short_form: true } }\n';
    const json = JSON.stringify(
      {
        columns: [
          {
            name: 'id',
            column_type: 'sampler',
            sampler_type: 'uuid',
            params: { short_form: true },
          },
        ],
      },
      null,
      2,
    );
    expect(loadConfig(json)).toEqual(loadConfig(yaml));
    expect(loadConfig(json, 'json').columns[0]).toMatchObject({ params: { short_form: true } });
  });

  it('a JSON syntax error says JSON and gives its line and column', () => {
    const err = syntaxError('{\n  "columns": [\n    { "name": "a", }\n  ]\n}');
    expect(err.code).toBe(ErrorCodes.CONFIG_SYNTAX);
    expect(err.issues[0]?.message).toMatch(/^JSON syntax error at line 3, column 20/);
  });

  it('a YAML syntax error gives its line and column', () => {
    const err = syntaxError('columns:\n  - name: a\n    column_type: [sampler\n');
    expect(err.code).toBe(ErrorCodes.CONFIG_SYNTAX);
    expect(err.issues[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+/);
  });

  it('duplicate YAML keys are a syntax error', () => {
    const err = syntaxError('columns: []\ncolumns: []\n');
    expect(err.issues[0]?.message).toMatch(/line 2, column 1/);
  });

  it('an alias bomb is refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    expect(() => parseConfigText(bomb.join('\n'))).toThrow(ConfigError);
  });
});

describe('SPEC 1 config root: optionally wrapped as { data_designer: {...} }', () => {
  it('a wrapped Data Designer export with library_version, providers and run beside it loads', () => {
    const config = loadConfig(fixture('valid-wrapped/config.yaml'));
    expect(config.columns.map((c) => c.name)).toEqual(['customer', 'plan', 'note', 'length']);
    expect(config.run).toMatchObject({ num_records: 50, seed: 7, buffer_size: 20, mode: 'async' });
    expect(config.model_providers[0]?.simulated).toEqual({
      latency: { distribution: 'fixed', ms: 5 },
    });
    expect(config.model_configs[0]?.inference_parameters).toMatchObject({
      temperature: 0.7,
      max_parallel_requests: 8,
    });
  });

  it('issues inside a wrapped config carry the data_designer prefix', () => {
    const r = validateConfig(
      parseConfigText(
        'data_designer:\n  columns:\n    - { name: a, column_type: sampler, sampler_type: bernoulli, params: { p: 2 } }\n',
      ),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toBe('data_designer.columns[0].params.p');
  });

  it('a YAML key that is a list is an unknown key at its path, with no warning printed besides', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const consoleWarn = vi.spyOn(console, 'warn');
    try {
      const r = validateConfig(
        parseConfigText(
          'columns:\n  - { ? [a, b] : 1, name: a, column_type: sampler, sampler_type: uuid }\n',
        ),
      );
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(['columns[0].[ a, b ]']);
      expect(warn).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      consoleWarn.mockRestore();
    }
  });

  it('a key given both inside and beside data_designer is an error', () => {
    const r = validateConfig({ data_designer: { columns: [], run: {} }, run: {} });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues).toContainEqual({
        path: 'run',
        message: expect.stringMatching(/both here and under data_designer/),
      });
  });

  it('loadConfig throws CONFIG_INVALID listing every problem of the fixture', () => {
    let err: unknown;
    try {
      loadConfig(fixture('invalid-many/config.json'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues.map((i) => i.path);
    expect(issues).toEqual(
      expect.arrayContaining([
        'columns[0].params.stddev',
        'columns[3].model_alias',
        'columns[1]',
        'run.mode',
      ]),
    );
    expect((err as ConfigError).message).toMatch(/^config has 4 problems/);
  });
});
