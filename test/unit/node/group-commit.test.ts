/**
 * The directory store's group commit: a manifest names only parts made durable
 * before it, commits that arrive during a checkpoint share the next one, and a disk
 * error reaches the caller. The disk is a log of calls held by deferred promises, so
 * every interleaving is chosen by the test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit } from '../../../src/node/group-commit.ts';
import { DirectoryStore, MANIFEST_FILE } from '../../../src/node/directory-store.ts';
import { ErrorCodes } from '../../../src/core/errors.ts';
import type { RunManifest } from '../../../src/core/storage/types.ts';
import { deferred, type Deferred } from '../engine/helpers.ts';

function manifest(ids: number[]): RunManifest {
  return {
    runId: 'run',
    config: {},
    configHash: 'h',
    seed: 1,
    numRecords: 100,
    bufferSize: 10,
    columns: ['n'],
    committed: ids.map((id) => ({ id, rows: 10, dropped: 0 })),
    rowsWritten: ids.length * 10,
    droppedRows: 0,
    firstErrors: [],
    status: 'running',
    createdAt: 0,
    updatedAt: 0,
  };
}

/**
 * A disk whose every call waits until the test settles it, and a fake clock that
 * the settled calls advance; `log` shows the order, pauses included.
 */
function heldDisk({ holdPauses = false } = {}) {
  const log: string[] = [];
  let now = 0;
  const clock = {
    now: () => now,
    /** A pause passes at once, or with `holdPauses` lasts until its signal aborts. */
    sleep: (ms: number, signal?: AbortSignal) => {
      log.push(`pause ${ms}`);
      if (!holdPauses) {
        now += ms;
        return Promise.resolve();
      }
      return new Promise<void>((_, reject) =>
        signal?.addEventListener('abort', () => reject(new Error('cut short'))),
      );
    },
    advance: (ms: number) => void (now += ms),
  };
  const calls: Deferred<void>[] = [];
  const hold = (entry: string) => {
    log.push(entry);
    const d = deferred();
    calls.push(d);
    return d.promise;
  };
  const io = {
    syncFiles: (paths: readonly string[]) => hold(`sync ${paths.join(',')}`),
    writeManifest: (m: RunManifest) => hold(`manifest ${m.committed.map((g) => g.id).join(',')}`),
  };
  /**
   * Settles the oldest unsettled call after `took` ms (resolve, or reject with
   * `error`), then lets the next start.
   */
  const settle = async (error?: Error, took = 0) => {
    // The call may be a few steps away (a pause being cut short first).
    for (let i = 0; i < 10 && calls.length === 0; i++) await Promise.resolve();
    now += took;
    const call = calls.shift()!;
    if (error) call.reject(error);
    else call.resolve();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { log, io, clock, settle };
}

describe('SPEC 3.7 group commit: the manifest names only durable row groups', () => {
  it('a manifest is written only after the parts it names are synced', async () => {
    const disk = heldDisk();
    const commits = new GroupCommit(disk.io, disk.clock);
    commits.add(['part-0'], manifest([0]));
    expect(disk.log).toEqual(['sync part-0']);
    await disk.settle();
    expect(disk.log).toEqual(['sync part-0', 'manifest 0']);
    await disk.settle();
    await commits.settled();
    expect(commits.checkpoints).toBe(1);
    expect(commits.pendingFiles).toBe(0);
  });

  it('commits arriving during a checkpoint share the next: one sync of their parts, one manifest, the newest', async () => {
    const disk = heldDisk();
    const commits = new GroupCommit(disk.io, disk.clock);
    commits.add(['part-0'], manifest([0]));
    commits.add(['part-1'], manifest([0, 1]));
    commits.add(['part-2'], manifest([0, 1, 2]));
    commits.add(['part-3'], manifest([0, 1, 2, 3]));
    expect(commits.pendingFiles).toBe(3);
    const done = commits.settled();
    for (let i = 0; i < 4; i++) await disk.settle();
    await done;
    expect(disk.log).toEqual([
      'sync part-0',
      'manifest 0',
      'sync part-1,part-2,part-3',
      'manifest 0,1,2,3',
    ]);
    expect(commits.checkpoints).toBe(2);
  });

  it('the manifest is copied when handed over: the engine growing its list afterwards changes nothing written', async () => {
    const disk = heldDisk();
    const commits = new GroupCommit(disk.io, disk.clock);
    const m = manifest([0]);
    commits.add(['part-0'], m);
    m.committed.push({ id: 1, rows: 10, dropped: 0 });
    await disk.settle();
    expect(disk.log.at(-1)).toBe('manifest 0');
    await disk.settle();
  });

  it('save waits for the checkpoint under way and writes its manifest after the parts still pending', async () => {
    const disk = heldDisk();
    const commits = new GroupCommit(disk.io, disk.clock);
    commits.add(['part-0'], manifest([0]));
    commits.add(['part-1'], manifest([0, 1]));
    const saved = commits.save({ ...manifest([0, 1]), status: 'complete' });
    for (let i = 0; i < 4; i++) await disk.settle();
    await saved;
    expect(disk.log).toEqual(['sync part-0', 'manifest 0', 'sync part-1', 'manifest 0,1']);
  });

  it('checkpoints are spaced by four times their manifest write; a commit after a quiet spell is checkpointed at once', async () => {
    const disk = heldDisk();
    const commits = new GroupCommit(disk.io, disk.clock);
    commits.add(['part-0'], manifest([0]));
    await disk.settle(undefined, 50);
    commits.add(['part-1'], manifest([0, 1]));
    await disk.settle(undefined, 5);
    // Its manifest took 5 ms (the sync of its parts is not counted): a 20 ms pause.
    expect(disk.log).toEqual(['sync part-0', 'manifest 0', 'pause 20', 'sync part-1']);
    await disk.settle(undefined, 10);
    await disk.settle(undefined, 20);
    // That manifest took 20 ms (80 ms of pause), and 100 ms pass before the next commit.
    disk.clock.advance(100);
    commits.add(['part-2'], manifest([0, 1, 2]));
    expect(disk.log.slice(4)).toEqual(['manifest 0,1', 'sync part-2']);
    await disk.settle();
    await disk.settle();
    await commits.settled();
    expect(commits.checkpoints).toBe(3);
  });

  it('a caller waiting for the manifest cuts the pause short', async () => {
    const disk = heldDisk({ holdPauses: true });
    const commits = new GroupCommit(disk.io, disk.clock);
    commits.add(['part-0'], manifest([0]));
    await disk.settle();
    await disk.settle(undefined, 5);
    commits.add(['part-1'], manifest([0, 1]));
    expect(disk.log).toEqual(['sync part-0', 'manifest 0', 'pause 20']);
    const saved = commits.save({ ...manifest([0, 1]), status: 'complete' });
    await disk.settle();
    await disk.settle();
    await saved;
    expect(disk.log.slice(3)).toEqual(['sync part-1', 'manifest 0,1']);
  });

  it('a failed checkpoint reaches the next call once, and its parts are synced again before a manifest names them', async () => {
    const disk = heldDisk();
    const commits = new GroupCommit(disk.io, disk.clock);
    commits.add(['part-0'], manifest([0]));
    await disk.settle(new Error('EIO: the disk failed'));
    expect(() => commits.add(['part-1'], manifest([0, 1]))).toThrow('EIO: the disk failed');
    expect(commits.pendingFiles).toBe(1);
    const retried = commits.settled();
    await disk.settle();
    await disk.settle();
    await retried;
    expect(disk.log).toEqual(['sync part-0', 'sync part-0', 'manifest 0']);
    expect(commits.checkpoints).toBe(1);
  });
});

describe('SPEC 4 directory store checkpoints', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tabsynth-group-commit-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const group = (id: number) => ({
    id,
    firstRow: id * 2,
    rowIndices: [id * 2, id * 2 + 1],
    columns: ['n'],
    rows: [{ n: id * 2 }, { n: id * 2 + 1 }],
  });

  it('after flush, the manifest file another process reads lists every settled commit', async () => {
    const store = new DirectoryStore({ root, layout: 'single' });
    for (let id = 0; id < 5; id++) {
      await store.commit(group(id), manifest([...Array(id + 1).keys()]));
    }
    await store.flush('run');
    const onDisk = JSON.parse(await readFile(join(root, MANIFEST_FILE), 'utf8')) as RunManifest;
    expect(onDisk.committed.map((g) => g.id)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a manifest that cannot be written is STORE_IO naming the run; once the disk is fixed, the next flush writes it', async () => {
    const store = new DirectoryStore({ root, layout: 'single' });
    await store.commit(group(0), manifest([0]));
    await store.flush('run');
    // A directory where the manifest goes: renaming the new manifest over it fails.
    await rm(join(root, MANIFEST_FILE));
    await mkdir(join(root, MANIFEST_FILE, 'in-the-way'), { recursive: true });
    await store.commit(group(1), manifest([0, 1]));
    const failed = {
      code: ErrorCodes.STORE_IO,
      message: expect.stringMatching(/cannot save the manifest of run "run"/),
    };
    await expect(store.flush('run')).rejects.toMatchObject(failed);
    await store.commit(group(2), manifest([0, 1, 2]));
    await expect(store.flush('run')).rejects.toMatchObject(failed);
    await rm(join(root, MANIFEST_FILE), { recursive: true });
    await store.flush('run');
    expect((await store.loadManifest('run'))?.committed.map((g) => g.id)).toEqual([0, 1, 2]);
  });
});
