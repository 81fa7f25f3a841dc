/**
 * How test/fixtures/store-v1 was written: by the code of store layout 1 (before the
 * store had a schema version), in real Chromium, through the engine service the app
 * uses. Not a test (its name does not end in .test.ts); it was run once, copied to a
 * .test.ts name, with `npx vitest run --project browser <that file>`. Kept as the record
 * of what the fixture holds and where each part came from.
 */
import { expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { cachedTransport } from '../../../src/core/models/cached.ts';
import type { RowGroupData, RunManifest } from '../../../src/core/storage/types.ts';
import { createEngineService } from '../../../src/runtime/engine-service.ts';
import type { EngineWorkerApi } from '../../../src/runtime/engine-service.ts';
import { exportStoredRun } from '../../../src/runtime/export.ts';
import { idbBackend } from '../../../src/runtime/idb-backend.ts';
import { IdbRunStore } from '../../../src/runtime/idb-store.ts';
import { loadBrowserPipeline } from '../../../src/runtime/pipeline.ts';
import { dumpDb, writeDump } from './idb-store-fixture.ts';
import { FIXTURE_DIR, STORE_V1_CONFIG, STORE_V1_SEED_CSV } from './idb-store-v1.data.ts';
import { freshDbName } from './support/fixtures.ts';

/** Pauses run `runId` through the service once its `after`-th commit is stored. */
class PausingStore extends IdbRunStore {
  service: EngineWorkerApi | undefined;
  #commits = 0;
  constructor(
    dbName: string,
    readonly runId: string,
    readonly after: number,
  ) {
    super({ dbName });
  }
  override async commit(group: RowGroupData, manifest: RunManifest): Promise<void> {
    await super.commit(group, manifest);
    if (manifest.runId === this.runId && ++this.#commits === this.after) {
      await this.service?.pause(this.runId);
    }
  }
}

const jsonl = async (blob: Blob | undefined) =>
  (await blob!.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);

it('captures store layout 1', { timeout: 120_000 }, async () => {
  const dbName = freshDbName('store-v1');
  const cacheDb = freshDbName('store-v1-cache');
  const store = new PausingStore(dbName, 'fixture-paused', 2);
  const service = createEngineService({ store, cache: idbBackend(cacheDb) });
  store.service = service;
  const seedFile = () => ({
    name: 'cities.csv',
    bytes: new TextEncoder().encode(STORE_V1_SEED_CSV),
  });

  for (const runId of ['fixture-complete', 'fixture-paused']) {
    const result = await service.startRun({
      config: STORE_V1_CONFIG,
      runId,
      simulate: true,
      seedFile: seedFile(),
    });
    expect(result.ok).toBe(true);
  }
  const listed = await store.listRuns();
  const complete = listed.find((m) => m.runId === 'fixture-complete')!;
  const paused = listed.find((m) => m.runId === 'fixture-paused')!;
  expect([complete.status, paused.status]).toEqual(['complete', 'cancelled']);

  // The response cache: one chat and one embedding answer, written by cachedTransport.
  const pipeline = await loadBrowserPipeline(STORE_V1_CONFIG, {
    simulate: true,
    seedFile: seedFile(),
  });
  const keyOf = (label: string) => pipeline.plan.models.find((m) => m.label.includes(label))!.key;
  const writerKey = keyOf('demo-writer');
  const embedderKey = keyOf('demo-embedder');
  const cache = idbBackend(cacheDb);
  const chatRequest = {
    model: 'demo-writer',
    messages: [{ role: 'user' as const, content: 'Review a product rated 4.' }],
    temperature: 0.7,
    max_tokens: 40,
    seed: 4242,
  };
  const embedRequest = {
    model: 'demo-embedder',
    input: ['Lisbon', 'Porto, PT'],
    dimensions: 8,
    seed: 77,
  };
  const chat = await cachedTransport(pipeline.transports.get(writerKey)!, cache, writerKey).chat(
    chatRequest,
  );
  const embed = await cachedTransport(pipeline.transports.get(embedderKey)!, cache, embedderKey)
    .embed!(embedRequest);

  const expected = {
    runs: {
      'fixture-complete': {
        status: complete.status,
        rowsWritten: complete.rowsWritten,
        committed: complete.committed.map((c) => c.id),
        rows: await jsonl(
          (await exportStoredRun(store, { runId: 'fixture-complete', format: 'jsonl' })).blob,
        ),
        pairs: await jsonl(
          (
            await exportStoredRun(store, {
              runId: 'fixture-complete',
              format: 'jsonl',
              table: 'pairs',
            })
          ).blob,
        ),
      },
      'fixture-paused': {
        status: paused.status,
        rowsWritten: paused.rowsWritten,
        committed: paused.committed.map((c) => c.id),
        rows: await jsonl(
          (await exportStoredRun(store, { runId: 'fixture-paused', format: 'jsonl' })).blob,
        ),
      },
    },
    cache: {
      chat: { modelKey: writerKey, request: chatRequest, text: chat.text },
      embed: {
        modelKey: embedderKey,
        request: embedRequest,
        vectors: embed.vectors.map((v) => [...v]),
      },
    },
  };
  await writeDump(FIXTURE_DIR, 'runs-db', await dumpDb(dbName, 'runs'));
  await writeDump(FIXTURE_DIR, 'cache-db', await dumpDb(cacheDb, 'cache'));
  await commands.writeFile(
    `${FIXTURE_DIR}/expected.json`,
    `${JSON.stringify(expected, null, 1)}\n`,
  );
});
