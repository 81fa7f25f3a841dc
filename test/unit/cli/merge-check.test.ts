/**
 * SPEC 6 merge's check of the shards' manifests, for row groups no shard committed:
 * a group whose rows were all dropped is not missing when the shard that owns it
 * completed and its rows add up (written plus dropped equals its share of the run);
 * otherwise it is missing, and an unfinished shard is named with how to finish it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkShards, mergeCommand } from '../../../src/cli/merge.ts';
import { partFileName } from '../../../src/node/directory-store.ts';
import type { RunManifest } from '../../../src/core/storage/types.ts';

/** 7 rows in groups of 2: groups 0..3 of 2, 2, 2 and 1 rows. Shard 1 of 2 owns 1 and 3 (3 rows). */
const RUN = { numRecords: 7, bufferSize: 2 };

function shard(
  index: number,
  committed: { id: number; rows: number; dropped: number }[],
  more: Partial<RunManifest> = {},
) {
  const manifest: RunManifest = {
    runId: 'run',
    config: {},
    configHash: 'h',
    seed: 1,
    ...RUN,
    columns: ['n'],
    committed,
    rowsWritten: committed.reduce((n, g) => n + g.rows, 0),
    droppedRows: committed.reduce((n, g) => n + g.dropped, 0),
    firstErrors: [],
    status: 'complete',
    createdAt: 0,
    updatedAt: 0,
    ...more,
  };
  return { file: `manifest.shard-${index}-of-2.json`, shard: { index, count: 2 }, manifest };
}

const shard0 = shard(0, [
  { id: 0, rows: 2, dropped: 0 },
  { id: 2, rows: 2, dropped: 0 },
]);
const parts = new Set([0, 1, 2].map(partFileName));

describe('merge: row groups no shard committed', () => {
  it('a group whose every row was dropped is not missing when its complete shard adds up', () => {
    // Group 3's one row was dropped: shard 1 wrote 2 and dropped 1, its 3 rows.
    const shard1 = shard(1, [{ id: 1, rows: 2, dropped: 0 }], { droppedRows: 1 });
    expect(checkShards([shard0, shard1], parts)).toEqual([]);
  });

  it("is missing when the shard's rows do not add up to its share", () => {
    const shard1 = shard(1, [{ id: 1, rows: 2, dropped: 0 }]);
    expect(checkShards([shard0, shard1], parts)).toEqual(['missing row groups (1 of 4): 3']);
  });

  it('is missing when the shard did not complete, which is named with how to finish it', () => {
    const shard1 = shard(1, [{ id: 1, rows: 2, dropped: 0 }], {
      droppedRows: 1,
      status: 'running',
    });
    expect(checkShards([shard0, shard1], parts)).toEqual([
      'missing row groups (1 of 4): 3',
      '  manifest.shard-1-of-2.json is running: resume it with --resume',
    ]);
  });

  it('a damaged manifest whose sizes cannot be counted is named, not looped over', () => {
    const broken = [shard(0, [], { bufferSize: 0 }), shard(1, [], { bufferSize: 0 })];
    expect(checkShards(broken, parts)).toEqual([
      'manifest.shard-0-of-2.json has bufferSize 0: expected an integer of at least 1',
    ]);
  });

  it('a manifest named for a shard that cannot exist (K not below COUNT) is not a shard', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tabsynth-merge-check-'));
    try {
      const manifest = JSON.stringify(shard0.manifest);
      await writeFile(join(dir, 'manifest.shard-0-of-0.json'), manifest);
      await writeFile(join(dir, 'manifest.shard-2-of-2.json'), manifest);
      const output = { out: () => undefined, err: () => undefined };
      await expect(mergeCommand(dir, { out: undefined }, output)).rejects.toThrow(
        /expected shard manifests \(manifest\.shard-K-of-COUNT\.json\) in .*, found none/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
