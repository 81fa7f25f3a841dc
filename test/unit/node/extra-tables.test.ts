/**
 * schema_transform's second output table (SPEC 1 processors) is committed with its
 * row group and written beside the dataset, as Data Designer's processors-files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compilePlan } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import { DirectoryStore } from '../../../src/node/directory-store.ts';
import { writeExtraTables } from '../../../src/node/single-parquet.ts';
import { readParquet } from '../compat/cli-run.ts';

const config = loadConfig(`
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [tea, rain] } }
  - { name: n, column_type: expression, expr: "{{ topic | length }}", dtype: int }
processors:
  - processor_type: schema_transform
    name: pairs
    template: { prompt: "About {{ topic }}", size: "{{ n }}" }
`);

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tabsynth-extra-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a memory store receives each row group with its processor table', async () => {
  const { plan, transports } = compilePlan(config, { overrides: { numRecords: 5, bufferSize: 2 } });
  const store = new MemoryStore();
  await runEngine({ plan, transports, store, runId: 'r', config, configHash: 'h' });
  const group = await store.readRowGroup('r', 0);
  expect(group.extraTables?.['pairs']?.columns).toEqual(['prompt', 'size']);
  expect(group.extraTables?.['pairs']?.rows).toEqual(
    group.rows.map((r) => ({ prompt: `About ${String(r['topic'])}`, size: String(r['n']) })),
  );
});

it('the directory store keeps it per row group and the CLI output gets <stem>.<processor>.parquet', async () => {
  const { plan, transports } = compilePlan(config, { overrides: { numRecords: 5, bufferSize: 2 } });
  const store = new DirectoryStore({ root: dir });
  await runEngine({ plan, transports, store, runId: 'r', config, configHash: 'h' });
  expect(await store.extraTableNames('r')).toEqual(['pairs']);
  const files = await writeExtraTables(store, 'r', join(dir, 'out.parquet'));
  expect(files).toEqual([join(dir, 'out.pairs.parquet')]);
  const rows = await readParquet(files[0]!);
  expect(rows).toHaveLength(5);
  expect(rows.every((r) => /^About (tea|rain)$/.test(String(r['prompt'])))).toBe(true);
});

const withDrops = (preserve: string) =>
  loadConfig(`
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [tea, rain] } }
  - { name: secret, column_type: sampler, sampler_type: uniform, params: { low: 0, high: 1 }, drop: true }
  - { name: n, column_type: expression, expr: "{{ topic | length }}", dtype: int }
processors:
  - { processor_type: drop_columns, name: tidy, column_names: [n] }
${preserve}
`);

/** Runs `config` (5 rows in groups of 2) into a directory store as the CLI compiles it. */
async function runInDirectory(config: ReturnType<typeof loadConfig>): Promise<DirectoryStore> {
  const { plan, transports } = compilePlan(config, {
    overrides: { numRecords: 5, bufferSize: 2 },
    preserveDroppedColumns: true,
  });
  const store = new DirectoryStore({ root: dir });
  await runEngine({ plan, transports, store, runId: 'r', config, configHash: 'h' });
  return store;
}

it('preserve_dropped_columns: columns removed by drop and drop_columns are written to dropped-columns, as Data Designer does', async () => {
  const store = await runInDirectory(withDrops(''));
  expect(await store.extraTableNames('r')).toEqual(['dropped-columns']);
  const group = await store.readRowGroup('r', 0);
  expect(group.columns).toEqual(['topic']);
  const side = await store.readExtraTable('r', 'dropped-columns', 0);
  expect(side?.columns).toEqual(['secret', 'n']);
  expect(side?.rows.map((r) => r['n'])).toEqual(group.rows.map((r) => String(r['topic']).length));
  expect(side?.rows.every((r) => typeof r['secret'] === 'number')).toBe(true);
  const files = await writeExtraTables(store, 'r', join(dir, 'out.parquet'));
  expect(files).toEqual([join(dir, 'out.dropped-columns.parquet')]);
  expect(await readParquet(files[0]!)).toHaveLength(5);
});

it('preserve_dropped_columns: false removes the columns and writes no side table', async () => {
  const store = await runInDirectory(withDrops('run: { preserve_dropped_columns: false }'));
  expect(await store.extraTableNames('r')).toEqual([]);
  expect((await store.readRowGroup('r', 0)).columns).toEqual(['topic']);
});

it('preserve_dropped_columns: a host that writes no side tables (the app) compiles no keeper', () => {
  const { plan } = compilePlan(withDrops(''), { overrides: { numRecords: 5 } });
  expect(plan.processors.map((p) => p.name)).toEqual(['tidy']);
});
