/**
 * SPEC 4: a run directory's manifest.json carries its layout version and is checked
 * when read; a damaged one names the file and the field, and only its own run is lost.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../../src/core/errors.ts';
import type { RunManifest } from '../../../src/core/storage/types.ts';
import {
  DIRECTORY_SCHEMA_VERSION,
  DirectoryStore,
  MANIFEST_FILE,
} from '../../../src/node/directory-store.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tabsynth-manifest-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const manifest = (runId: string): RunManifest => ({
  runId,
  config: { columns: [] },
  configHash: 'h1',
  seed: 7,
  numRecords: 10,
  bufferSize: 10,
  columns: ['a'],
  committed: [],
  rowsWritten: 0,
  droppedRows: 0,
  firstErrors: [
    { kind: 'MODEL_TIMEOUT:a', code: ErrorCodes.MODEL_TIMEOUT, message: 'slow', count: 2 },
  ],
  status: 'running',
  createdAt: 1,
  updatedAt: 2,
});

const pathOf = (runId: string) => join(root, runId, MANIFEST_FILE);

/** Two runs saved; `bad`'s manifest.json then replaced by `edit` of what was saved. */
async function withDamaged(edit: (saved: Record<string, unknown>) => unknown) {
  const store = new DirectoryStore({ root });
  await store.saveManifest(manifest('good'));
  await store.saveManifest(manifest('bad'));
  const saved = JSON.parse(await readFile(pathOf('bad'), 'utf8')) as Record<string, unknown>;
  const next = edit(saved);
  await writeFile(pathOf('bad'), typeof next === 'string' ? next : JSON.stringify(next));
  return store;
}

describe('SPEC 4 directory store manifest: versioned and checked', () => {
  it('4 manifest.json records its layout version; the manifest reads back as saved', async () => {
    const store = new DirectoryStore({ root });
    await store.saveManifest(manifest('r'));
    const saved = JSON.parse(await readFile(pathOf('r'), 'utf8')) as Record<string, unknown>;
    expect(saved['schemaVersion']).toBe(DIRECTORY_SCHEMA_VERSION);
    expect(await store.loadManifest('r')).toEqual(manifest('r'));
  });

  it('4 a manifest.json written before versions (no schemaVersion) reads as version 1', async () => {
    const store = await withDamaged(({ schemaVersion: _, ...rest }) => rest);
    expect(await store.loadManifest('bad')).toEqual(manifest('bad'));
  });

  it('4 a damaged field: STORE_DAMAGED naming the file and the field; other runs still list', async () => {
    const store = await withDamaged((m) => ({
      ...m,
      committed: [{ id: 0, rows: -3, dropped: 0 }],
    }));
    await expect(store.loadManifest('bad')).rejects.toMatchObject({
      code: ErrorCodes.STORE_DAMAGED,
      message: `${pathOf('bad')} is damaged: committed[0].rows: expected a whole number >= 0, found -3`,
    });
    expect((await store.listRuns()).map((m) => m.runId)).toEqual(['good']);
  });

  it('4 a manifest.json that is not JSON is STORE_DAMAGED, not a crash', async () => {
    const store = await withDamaged(() => '{"runId": "bad", "seed"');
    await expect(store.loadManifest('bad')).rejects.toMatchObject({
      code: ErrorCodes.STORE_DAMAGED,
      message: expect.stringContaining(
        `${pathOf('bad')} is damaged: expected JSON, found text that does not parse`,
      ) as unknown,
    });
  });

  it('4 a manifest.json of a newer layout is STORE_NEWER, saying which version wrote it', async () => {
    const store = await withDamaged((m) => ({ ...m, schemaVersion: DIRECTORY_SCHEMA_VERSION + 1 }));
    await expect(store.loadManifest('bad')).rejects.toMatchObject({
      code: ErrorCodes.STORE_NEWER,
      message: `${pathOf('bad')} was written by a newer tabsynth (store schema ${DIRECTORY_SCHEMA_VERSION + 1}; this version reads schemas 1 to ${DIRECTORY_SCHEMA_VERSION}): open it with that version or newer`,
    });
  });
});
