/**
 * Stored runs outlive the code that wrote them (SPEC 4): the store written by the
 * code of layout 1 (test/fixtures/store-v1, see its README) is loaded into a fresh
 * IndexedDB and opened with today's code, which lists, opens, exports and resumes its
 * runs and answers from its response cache. Never change the fixture to make this pass.
 */
import { describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { commands } from 'vitest/browser';
import { cachedTransport } from '../../../src/core/models/cached.ts';
import type {
  ChatRequest,
  EmbeddingRequest,
  ModelTransport,
} from '../../../src/core/models/types.ts';
import { createEngineService } from '../../../src/runtime/engine-service.ts';
import { exportStoredRun } from '../../../src/runtime/export.ts';
import type { ExportJob } from '../../../src/runtime/export.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { unwrap } from '../../../src/runtime/protocol.ts';
import { loadDump } from './idb-store-fixture.ts';
import { FIXTURE_DIR, STORE_V1_CONFIG, STORE_V1_SEED_CSV } from './idb-store-v1.data.ts';
import { freshDbName } from './support/fixtures.ts';

interface Expected {
  runs: Record<
    'fixture-complete' | 'fixture-paused',
    { status: string; rowsWritten: number; committed: number[]; rows: unknown[]; pairs?: unknown[] }
  >;
  cache: {
    chat: { modelKey: string; request: ChatRequest; text: string };
    embed: { modelKey: string; request: EmbeddingRequest; vectors: number[][] };
  };
}

const expected = async () =>
  JSON.parse(await commands.readFile(`${FIXTURE_DIR}/expected.json`)) as Expected;

/** The fixture's databases, loaded fresh; a store and engine service over them. */
async function openFixture() {
  const dbName = freshDbName('store-v1');
  const cacheDb = freshDbName('store-v1-cache');
  await loadDump(FIXTURE_DIR, 'runs-db', dbName);
  await loadDump(FIXTURE_DIR, 'cache-db', cacheDb);
  const store = new IdbRunStore({ dbName });
  const service = createEngineService({ store, cache: idbBackend(cacheDb) });
  return { dbName, cacheDb, store, service };
}

async function exportJsonl(store: IdbRunStore, job: Omit<ExportJob, 'format'>) {
  const { blob } = await exportStoredRun(store, { ...job, format: 'jsonl' });
  return (await blob!.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** A transport that fails the test if the cache sends it anything. */
const unreachable: ModelTransport = {
  chat: () => Promise.reject(new Error('the cache should have answered this request')),
  embed: () => Promise.reject(new Error('the cache should have answered this request')),
};

describe('SPEC 4 a store written by layout 1 opens with today’s code', () => {
  it('4 lists both runs with their status, rows, size and processor tables', async () => {
    const { service } = await openFixture();
    const runs = unwrap(await service.listRuns());
    expect(
      runs
        .map((r) => [r.manifest.runId, r.status, r.manifest.rowsWritten, r.tables])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['fixture-complete', 'complete', 40, ['pairs']],
      ['fixture-paused', 'cancelled', 20, ['pairs']],
    ]);
    for (const r of runs) expect(r.bytes).toBeGreaterThan(0);
  });

  it('4 exports each run’s rows and its processor table as layout 1 exported them', async () => {
    const { store } = await openFixture();
    const want = await expected();
    expect(await exportJsonl(store, { runId: 'fixture-complete' })).toEqual(
      want.runs['fixture-complete'].rows,
    );
    expect(await exportJsonl(store, { runId: 'fixture-complete', table: 'pairs' })).toEqual(
      want.runs['fixture-complete'].pairs,
    );
    expect(await exportJsonl(store, { runId: 'fixture-paused' })).toEqual(
      want.runs['fixture-paused'].rows,
    );
    const { blob } = await exportStoredRun(store, { runId: 'fixture-complete' });
    const parquet = await parquetReadObjects({
      file: await blob!.arrayBuffer(),
      compressors,
    });
    const pick = (rows: unknown[]) =>
      (rows as Record<string, unknown>[]).map((r) => [r['city'], r['price'], r['review']]);
    expect(pick(parquet)).toEqual(pick(want.runs['fixture-complete'].rows));
  });

  it('4 opens a run: a page of rows as exported, without the post_generation-dropped column', async () => {
    const { service } = await openFixture();
    const want = (await expected()).runs['fixture-complete'].rows as Record<string, unknown>[];
    const page = unwrap(await service.readRows('fixture-complete', { offset: 5, limit: 10 }));
    expect(page.total).toBe(40);
    expect(page.columns).not.toContain('id');
    expect(page.rows.map((r) => [r['city'], r['rating'], r['review']])).toEqual(
      want.slice(5, 15).map((r) => [r['city'], r['rating'], r['review']]),
    );
  });

  it('3.8 resumes the paused run: its stored rows kept, the rest as today’s code generates them', async () => {
    const { service, store } = await openFixture();
    const want = await expected();
    const stored = want.runs['fixture-paused'];
    const outcome = unwrap(await service.resumeRun('fixture-paused', {}));
    expect([outcome.status, outcome.rowsWritten]).toEqual(['complete', 40]);
    // The same config and seed run through by today's code, for the rows the resume added.
    unwrap(
      await service.startRun({
        config: STORE_V1_CONFIG,
        runId: 'today',
        simulate: true,
        seedFile: { name: 'cities.csv', bytes: new TextEncoder().encode(STORE_V1_SEED_CSV) },
      }),
    );
    for (const table of [undefined, 'pairs']) {
      const job = table === undefined ? {} : { table };
      const resumed = await exportJsonl(store, { runId: 'fixture-paused', ...job });
      const today = await exportJsonl(store, { runId: 'today', ...job });
      expect(resumed).toHaveLength(40);
      // Stored before the pause, by layout 1: as it exported them then.
      expect(resumed.slice(0, 20)).toEqual(
        table === undefined ? stored.rows : want.runs['fixture-complete'].pairs!.slice(0, 20),
      );
      expect(resumed.slice(20)).toEqual(today.slice(20));
    }
  });

  it('3.8 the response cache answers the requests layout 1 cached, sending none', async () => {
    const { cacheDb } = await openFixture();
    const { chat, embed } = (await expected()).cache;
    const kv = idbBackend(cacheDb);
    const chatCache = cachedTransport(unreachable, kv, chat.modelKey);
    expect((await chatCache.chat(chat.request)).text).toBe(chat.text);
    const embedCache = cachedTransport(unreachable, kv, embed.modelKey);
    const vectors = (await embedCache.embed!(embed.request)).vectors;
    expect(vectors.map((v) => [...v])).toEqual(embed.vectors);
    expect([chatCache.stats.hits, embedCache.stats.hits]).toEqual([1, 1]);
  });

  it('4 deleting a run of layout 1 leaves the other one listed and exportable', async () => {
    const { service, store, dbName } = await openFixture();
    unwrap(await service.deleteRun('fixture-paused'));
    const keys = await idbBackend(dbName).keys();
    expect(keys.filter((k) => k.includes('fixture-paused'))).toEqual([]);
    expect(unwrap(await service.listRuns()).map((r) => r.manifest.runId)).toEqual([
      'fixture-complete',
    ]);
    expect(await exportJsonl(store, { runId: 'fixture-complete' })).toHaveLength(40);
  });
});
