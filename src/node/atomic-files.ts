/**
 * Files put in place whole: written to a hidden temp name beside the final one
 * (`.NAME.<random>.tmp`), then renamed over it, so a reader (or a process killed
 * half way) sees the old file or the whole new one, never a torn one.
 *
 * Durability is separate from atomicity: `writeAtomic` also fsyncs the file and its
 * directory (the file survives a power loss once it resolves); `placeFileSync`
 * leaves that to a later `syncFiles` over many files at once (group-commit.ts),
 * which lets a run commit hundreds of row groups a second without four fsyncs each.
 */
import { open } from 'node:fs/promises';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor, writeThroughTemp } from './file-output.ts';

/** Writes `data` to `path` atomically and durably (file and directory fsynced). */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await writeThroughTemp(path, (handle) => handle.writeFile(data));
  await syncDir(dirname(path));
}

/**
 * Writes `data` to `path` atomically, not durably: `syncFiles` must run before
 * anything relies on it surviving a power loss (a killed process loses nothing: the
 * kernel has the bytes). Synchronous on purpose: a write into the page cache and a
 * rename take microseconds, while each asynchronous call is a round trip through
 * libuv's thread pool, which waits for a free core; with every core generating (one
 * shard per core) those waits stalled the commit chain, measured as a third of a
 * shard's time spent idle (bench/shards.bench.ts).
 */
export function placeFileSync(path: string, data: Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Makes files placed without `sync` durable: each file's data, then each of their
 * directories (so the renames that named them are durable too).
 */
export async function syncFiles(paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => syncPath(p)));
  await Promise.all([...new Set(paths.map((p) => dirname(p)))].map((d) => syncDir(d)));
}

async function syncPath(path: string): Promise<void> {
  // 'r+': some platforms refuse to flush a file opened read-only.
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync the directory so the rename itself is durable (not supported everywhere). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some platforms refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}
