/**
 * SPEC 1 skips, end to end: configs compiled as the app and the CLI compile them,
 * run by the engine, with the loopback OpenAI-compatible server as the model so a
 * test can count the model calls a skip saves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { parseConfigText } from '../../../src/core/config/parse.ts';
import { validateConfig } from '../../../src/core/config/validate.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import { startOpenAIServer, type OpenAIServer } from '../../support/openai-server.ts';
import { committedRows } from './helpers.ts';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A config with one model on the loopback server, `columns` after a sampler `n` of 1..4 in turn. */
async function withModel(columns: string, rows = 8) {
  server = await startOpenAIServer();
  return `
model_providers:
  - { name: local, endpoint: '${server.url}', provider_type: openai, api_key: sk-test }
model_configs:
  - { alias: m, model: test-model, provider: local }
columns:
  - name: n
    column_type: sampler
    sampler_type: category
    params: { values: [1, 2, 3, 4] }
${columns}
run: { num_records: ${rows}, seed: 5, buffer_size: 4 }
`;
}

async function run(yaml: string) {
  const config = loadConfig(yaml, 'yaml');
  const { plan, transports } = compilePlan(config);
  const store = new MemoryStore();
  const result = await runEngine({
    plan,
    transports,
    store,
    runId: 'run-1',
    config,
    configHash: 'h',
  });
  return { result, rows: await committedRows(store), manifest: await store.loadManifest('run-1') };
}

/** Chat requests the server received whose last message is `prompt`-prefixed. */
const asked = (prefix: string) =>
  (server?.requests ?? []).filter((r) =>
    ((r.body?.['messages'] as { content: string }[] | undefined)?.at(-1)?.content ?? '').startsWith(
      prefix,
    ),
  ).length;

describe('SPEC 1 skips', () => {
  it('1 skip.when that cannot be evaluated counts as true: the cell gets skip.value, a warning is counted, no model call', async () => {
    const { result, rows, manifest } = await run(
      await withModel(`
  - name: t
    column_type: llm-text
    model_alias: m
    prompt: 'about {{ n }}'
    skip: { when: '{{ n.unit.name }}', value: unknown }
`),
    );
    expect(rows.map((r) => r['t'])).toEqual(Array(8).fill('unknown'));
    expect(asked('about')).toBe(0);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        column: 't',
        count: 8,
        message: expect.stringContaining("column 't': skip.when could not be evaluated"),
      }),
    ]);
    expect(manifest?.status).toBe('complete');
  });

  it('1 skip applies to whole-column columns: expression and validation cells get skip.value, cast to the dtype', async () => {
    const { rows, result } = await run(
      await withModel(`
  - name: doubled
    column_type: expression
    expr: '{{ n * 2 }}'
    dtype: int
    skip: { when: '{{ n > 2 }}', value: '-1' }
  - name: check
    column_type: validation
    target_columns: [doubled]
    validator_type: regex
    validator_params: { pattern: '^[0-9]+$' }
    skip: { when: '{{ n == 1 }}', value: 'not checked' }
`),
    );
    for (const row of rows) {
      const n = row['n'] as number;
      expect(row['doubled']).toBe(n > 2 ? -1 : n * 2);
      // n == 1 by its own skip.when; n > 2 because `doubled` was skipped (propagate_skip).
      if (n === 2) expect(row['check']).toMatchObject({ is_valid: true });
      else expect(row['check']).toBe('not checked');
    }
    expect(new Set(rows.map((r) => r['n']))).toEqual(new Set([1, 2, 3, 4]));
    expect(result.rowsWritten).toBe(8);
  });

  it('1 propagate_skip flows through whole-column columns: no model call for a cell whose upstream was skipped', async () => {
    const columns = (propagate: boolean) => `
  - name: a
    column_type: llm-text
    model_alias: m
    prompt: 'first {{ n }}'
    skip: { when: '{{ n > 2 }}' }
  - name: b
    column_type: expression
    expr: 'then {{ a }}'
    propagate_skip: ${propagate}
  - name: c
    column_type: llm-text
    model_alias: m
    prompt: 'last {{ b }}'
`;
    const { rows } = await run(await withModel(columns(true)));
    const kept = rows.filter((r) => (r['n'] as number) <= 2).length;
    for (const row of rows) {
      if ((row['n'] as number) > 2)
        expect([row['a'], row['b'], row['c']]).toEqual([null, null, null]);
      else expect(row['c']).toBe(`echo: last then echo: first ${String(row['n'])}`);
    }
    expect([asked('first'), asked('last')]).toEqual([kept, kept]);

    // propagate_skip: false on the expression stops the skip there: it renders, c is asked.
    const again = await run(await withModel(columns(false)));
    expect(again.rows.every((r) => typeof r['b'] === 'string')).toBe(true);
    expect(asked('last')).toBe(8);
  });

  it('1 skip.value that does not convert to the expression dtype is a config error naming the column', () => {
    const result = validateConfig(
      parseConfigText(
        `
columns:
  - { name: n, column_type: sampler, sampler_type: category, params: { values: [1] } }
  - name: e
    column_type: expression
    expr: '{{ n }}'
    dtype: int
    skip: { when: '{{ n > 0 }}', value: 'lots' }
`,
        'yaml',
      ),
    );
    expect(result.ok ? [] : result.issues).toContainEqual({
      path: 'columns[1].skip.value',
      message: `column 'e': skip.value must convert to the column's dtype int, found "lots"`,
    });
  });
});
