/**
 * schema_transform's second output table (SPEC 1 processors) in the browser: kept
 * with its row group in IndexedDB, read back, exported on its own, freed on delete.
 */
import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { csvParse } from 'd3-dsv';
import { ErrorCodes } from '../../../src/core/errors.ts';
import type { Row } from '../../../src/core/storage/types.ts';
import { exportStoredRun } from '../../../src/runtime/export.ts';
import { SCHEMA_KEY } from '../../../src/core/storage/idb-schema.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { allRows, freshDbName, runInto } from './support/fixtures.ts';

const PAIRS_CONFIG = `
columns:
  - { name: topic, column_type: sampler, sampler_type: category, params: { values: [tea, rain, moss] } }
  - { name: n, column_type: expression, expr: "{{ topic | length }}", dtype: int }
processors:
  - processor_type: schema_transform
    name: pairs
    template: { prompt: "About {{ topic }}", size: "{{ n }}" }
`;

/** The table schema_transform makes of `rows`. */
const pairsOf = (rows: Row[]) =>
  rows.map((r) => ({ prompt: `About ${String(r['topic'])}`, size: String(r['n']) }));

async function pairsRun(dbName = freshDbName('extra')) {
  const store = new IdbRunStore({ dbName });
  await runInto(store, 'run', PAIRS_CONFIG, { numRecords: 25, bufferSize: 10 });
  return { store, dbName, rows: await allRows(store, 'run') };
}

describe('schema_transform tables in IndexedDB', () => {
  it('1 each committed row group comes back with its processor table, which a reloaded store lists', async () => {
    const { dbName, rows } = await pairsRun();
    expect(rows).toHaveLength(25);
    const reopened = new IdbRunStore({ dbName });
    const tables: Row[] = [];
    for (const id of [0, 1, 2]) {
      const group = await reopened.readRowGroup('run', id);
      expect(group.extraTables?.['pairs']?.columns).toEqual(['prompt', 'size']);
      expect(group.extraTables?.['pairs']?.rows).toEqual(pairsOf(group.rows));
      tables.push(...(group.extraTables?.['pairs']?.rows ?? []));
    }
    expect(tables).toEqual(pairsOf(rows));
    const [listed] = await reopened.listRunsWithSize();
    expect(listed?.tables).toEqual(['pairs']);
  });

  it('1 a run without processors lists no tables and its groups carry none', async () => {
    const store = new IdbRunStore({ dbName: freshDbName('no-extra') });
    await runInto(store, 'plain', PAIRS_CONFIG.split('processors:')[0]!, { numRecords: 5 });
    expect((await store.readRowGroup('plain', 0)).extraTables).toBeUndefined();
    expect((await store.listRunsWithSize())[0]?.tables).toEqual([]);
  });

  it('4 export with table "pairs" gives the processor table, as Parquet and CSV, in row order', async () => {
    const { store, rows } = await pairsRun();
    const parquet = await exportStoredRun(store, { runId: 'run', table: 'pairs' });
    expect(parquet.rows).toBe(25);
    expect(parquet.fileName).toBe('tabsynth-run-pairs.parquet');
    const back = await parquetReadObjects({
      file: await parquet.blob!.arrayBuffer(),
      compressors,
      utf8: true,
    });
    expect(back).toEqual(pairsOf(rows));
    const csv = await exportStoredRun(store, { runId: 'run', table: 'pairs', format: 'csv' });
    expect(csvParse(await csv.blob!.text()).map((r) => ({ ...r }))).toEqual(pairsOf(rows));
    const dataset = await exportStoredRun(store, { runId: 'run', format: 'jsonl' });
    const first = JSON.parse((await dataset.blob!.text()).split('\n')[0]!) as Row;
    expect(Object.keys(first)).toEqual(['topic', 'n']);
  });

  it('4 exporting a table the run does not have is refused, naming the tables it has', async () => {
    const { store } = await pairsRun();
    await expect(exportStoredRun(store, { runId: 'run', table: 'chat' })).rejects.toMatchObject({
      code: ErrorCodes.INVALID_ARGUMENT,
      message: expect.stringMatching(/no processor table "chat".*"pairs"/) as unknown,
    });
  });

  it('4 deleting the run frees its tables too: no key of the run is left', async () => {
    const { store, dbName } = await pairsRun();
    const before = await idbBackend(dbName).keys();
    expect(before.some((k) => k.startsWith('t/run/'))).toBe(true);
    await store.deleteRun('run');
    // Only the store's own schema record is left.
    expect(await idbBackend(dbName).keys()).toEqual([SCHEMA_KEY]);
  });
});
