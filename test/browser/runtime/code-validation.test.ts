/**
 * Validation columns (SPEC 1): the `code` validator checks syntax in the browser,
 * inside the engine worker, with grammars fetched as wasm assets on first use.
 */
import { afterEach, expect, it } from 'vitest';
import { createEngineClient } from '../../../src/runtime/client.ts';
import type { EngineClient } from '../../../src/runtime/engine-api.ts';
import { freshDbName } from './support/fixtures.ts';

let client: EngineClient | undefined;
afterEach(() => client?.dispose());

const CASES: [lang: string, valid: string, broken: string][] = [
  ['python', 'def f(x):\n    return x + 1\n', 'def f(x)\n    return x +\n'],
  ['javascript', 'const f = (x) => x + 1;\n', 'const f = (x) => { x + ;\n'],
  ['typescript', 'const n: number = 1;\n', 'const n: number = ;\n'],
  [
    'sql:postgres',
    'SELECT id FROM orders WHERE total > 10',
    'SELECT id FROM orders WHERE (total > 10',
  ],
  ['json', '{"a": [1, 2]}', '{"a": [1, 2}'],
];

it.each(CASES)(
  '%s: valid code passes and broken code fails with a line and column',
  async (lang, valid, broken) => {
    client = createEngineClient({
      dbName: freshDbName('code'),
      cacheDbName: freshDbName('cache'),
      poolSize: 1,
    });
    const config = {
      columns: [
        {
          name: 'which',
          column_type: 'sampler',
          sampler_type: 'category',
          params: { values: ['valid', 'broken'] },
        },
        {
          name: 'code',
          column_type: 'expression',
          expr: `{% if which == 'valid' %}${valid}{% else %}${broken}{% endif %}`,
        },
        {
          name: 'check',
          column_type: 'validation',
          target_columns: ['code'],
          validator_type: 'code',
          validator_params: { code_lang: lang },
        },
      ],
    };
    const result = await client.preview({ config, rows: 12, seed: 3 });
    expect(result.firstErrors).toEqual([]);
    const byKind = new Map(
      result.rows.map((r) => [
        r['which'],
        r['check'] as { is_valid: boolean; errors: { line: number; column: number }[] },
      ]),
    );
    expect(byKind.get('valid')).toEqual({ is_valid: true, errors: [] });
    const bad = byKind.get('broken')!;
    expect(bad.is_valid).toBe(false);
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(bad.errors[0]!.line).toBeGreaterThanOrEqual(1);
    expect(bad.errors[0]!.column).toBeGreaterThanOrEqual(1);
  },
);
