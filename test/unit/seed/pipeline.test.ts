/**
 * Seed-dataset columns through the whole pipeline: config text, compilePlan with
 * the seed file's dataset, runEngine into a MemoryStore; and the compile-time
 * errors a user sees for a seed column the file does not have.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan, SEED_GENERATOR } from '../../../src/core/config/compile.ts';
import { loadConfig } from '../../../src/core/config/load.ts';
import { ConfigError } from '../../../src/core/errors.ts';
import { runEngine } from '../../../src/core/engine/run.ts';
import { readSeedDataset } from '../../../src/core/seed/read.ts';
import type { SeedDataset } from '../../../src/core/seed/types.ts';
import { MemoryStore } from '../../../src/core/storage/memory.ts';
import type { Row } from '../../../src/core/storage/types.ts';

const CSV =
  'city,population,coastal\nLisbon,545000,true\nMadrid,3300000,false\n"Porto, PT",232000,true\n';

const config = (sampling: string, extra = '') => `
seed_config:
  source: { seed_type: local, path: cities.csv }
  sampling_strategy: ${sampling}
columns:
  - name: city
    column_type: seed-dataset
  - name: population
    column_type: seed-dataset
  - name: size
    column_type: sampler
    sampler_type: category
    params: { values: [small, big] }
  - name: blurb
    column_type: expression
    expr: "{{ city }} ({{ population }}){% if coastal %} by the sea{% endif %}"
  - name: coastal
    column_type: seed-dataset
    drop: true
${extra}
`;

const seedData = (): Promise<SeedDataset> =>
  readSeedDataset({ name: 'cities.csv', bytes: new TextEncoder().encode(CSV) });

function compileError(text: string, data: SeedDataset | undefined): ConfigError {
  try {
    compilePlan(loadConfig(text), data ? { seedData: data } : {});
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected compilePlan to fail');
}

async function generate(text: string, settings: { numRecords: number; bufferSize: number }) {
  const cfg = loadConfig(text);
  const { plan, transports } = compilePlan(cfg, {
    seedData: await seedData(),
    overrides: { ...settings, seed: 5 },
  });
  const store = new MemoryStore();
  const result = await runEngine({
    plan,
    transports,
    store,
    runId: 'r',
    config: cfg,
    configHash: 'h',
  });
  const rows: Row[] = [];
  for (const id of store.committedGroupIds('r'))
    rows.push(...(await store.readRowGroup('r', id)).rows);
  return { plan, result, rows };
}

describe('seed-dataset columns in a run', () => {
  it('3.1 one root generator fills every seed column; ordered wraps around; templates read them', async () => {
    const { plan, rows } = await generate(config('ordered'), { numRecords: 5, bufferSize: 2 });
    const seed = plan.generators.find((g) => g.name === SEED_GENERATOR)!;
    expect(seed.outputs).toEqual(['city', 'population', 'coastal']);
    expect(seed.upstream).toEqual([]);
    expect(plan.generators.find((g) => g.name === 'blurb')!.upstream).toEqual([SEED_GENERATOR]);
    expect(rows.map((r) => r['city'])).toEqual([
      'Lisbon',
      'Madrid',
      'Porto, PT',
      'Lisbon',
      'Madrid',
    ]);
    expect(rows[0]).toMatchObject({ population: 545000, blurb: 'Lisbon (545000) by the sea' });
    expect(rows[1]!['blurb']).toBe('Madrid (3300000)');
    expect(Object.keys(rows[0]!)).toEqual(['city', 'population', 'size', 'blurb']);
  });

  it('a sampler reads seed columns of its row (conditional_params on a seed column)', async () => {
    const extra = `
  - name: dress
    column_type: sampler
    sampler_type: category
    params: { values: [coat] }
    conditional_params:
      "coastal": { sampler_type: category, values: [swimsuit] }
`;
    const { plan, rows } = await generate(config('ordered', extra), {
      numRecords: 6,
      bufferSize: 4,
    });
    const samplers = plan.generators.find((g) => g.outputs.includes('dress'))!;
    expect(samplers.upstream).toEqual([SEED_GENERATOR]);
    expect(rows.map((r) => [r['city'], r['dress']])).toEqual([
      ['Lisbon', 'swimsuit'],
      ['Madrid', 'coat'],
      ['Porto, PT', 'swimsuit'],
      ['Lisbon', 'swimsuit'],
      ['Madrid', 'coat'],
      ['Porto, PT', 'swimsuit'],
    ]);
  });

  it('2 shuffle gives the same rows whatever the buffer size', async () => {
    const a = await generate(config('shuffle'), { numRecords: 9, bufferSize: 9 });
    const b = await generate(config('shuffle'), { numRecords: 9, bufferSize: 2 });
    expect(b.rows).toEqual(a.rows);
    // each pass of three rows holds every city once
    for (let pass = 0; pass < 3; pass++) {
      const cities = a.rows.slice(pass * 3, pass * 3 + 3).map((r) => r['city'] as string);
      expect(cities.sort()).toEqual(['Lisbon', 'Madrid', 'Porto, PT']);
    }
  });

  it('a seed column the file does not have is a config error naming it and the file columns', async () => {
    const text = config('ordered', '  - name: country\n    column_type: seed-dataset\n');
    const missing = compileError(text, undefined);
    expect(missing.issues[0]!.message).toMatch(/seed file 'cities\.csv' was not supplied/);

    const err = compileError(text, await seedData());
    expect(err.issues).toEqual([
      {
        path: 'columns[5].name',
        message:
          "seed-dataset column 'country' is not a column of cities.csv; expected one of: city, population, coastal",
      },
    ]);
  });

  it('an empty seed file is one config error, that it has no rows, not one per seed column with an empty list', async () => {
    const empty = await readSeedDataset({ name: 'e.jsonl', bytes: new Uint8Array() });
    const err = compileError(config('ordered'), empty);
    expect(err.issues).toEqual([
      { path: 'seed_config.source.path', message: "seed file 'e.jsonl': the file has no rows" },
    ]);
  });

  it('an IndexRange past the end of the file is a config error at selection_strategy', async () => {
    const text = config('ordered').replace(
      'sampling_strategy: ordered',
      'sampling_strategy: ordered\n  selection_strategy: { start: 1, end: 3 }',
    );
    const err = compileError(text, await seedData());
    expect(err.issues[0]).toMatchObject({
      path: 'seed_config.selection_strategy',
      message: expect.stringMatching(/end 3 is past the last row \(2\)/) as unknown,
    });
  });
});
