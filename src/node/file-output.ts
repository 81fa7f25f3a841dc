/**
 * One output file written whole or not at all: the bytes go to a hidden temp file
 * beside it (`.NAME.<random>.tmp`), which is synced and renamed over NAME at the
 * end, and removed when anything fails. Disk errors become STORE_IO naming the file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, RunError, StoreError, TabsynthError } from '../core/errors.ts';

/** A fresh temp path beside `outFile`. */
export function tempPathFor(outFile: string): string {
  return join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Runs `write` on a temp file beside `path`, syncs it and renames it over `path`;
 * the temp file is removed when anything fails. Errors pass through as thrown.
 */
export async function writeThroughTemp<T>(
  path: string,
  write: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  const tmp = tempPathFor(path);
  try {
    const handle = await open(tmp, 'w');
    let result: T;
    try {
      result = await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    return result;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `writeThroughTemp`, with a disk error turned into STORE_IO naming `outFile`. */
export async function writeFileAtomically<T>(
  outFile: string,
  write: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  try {
    return await writeThroughTemp(outFile, write);
  } catch (err) {
    const errno = err instanceof Error && 'code' in err && typeof err.code === 'string';
    if (errno && !(err instanceof TabsynthError)) {
      throw new StoreError(
        ErrorCodes.STORE_IO,
        `cannot write ${outFile}: ${(err as Error).message}`,
        {},
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * Refuses an output path that cannot become what it must be, before any work is done:
 * `want` 'directory' where a file is, 'file' where a directory is, or either under a
 * file (`notes.txt/out`). INVALID_ARGUMENT naming `option`, the path and what is
 * there. A path that does not exist yet (or whose folders do not) is fine: it is made.
 */
export async function checkOutputPath(
  option: string,
  path: string,
  want: 'directory' | 'file',
  hint = '',
): Promise<void> {
  const refuse = (found: string) =>
    new RunError(
      ErrorCodes.INVALID_ARGUMENT,
      `${option} ${path}: expected ${want === 'directory' ? 'a directory' : 'a file'}${hint}, found ${found}`,
    );
  const here = await stat(path).catch((err: NodeJS.ErrnoException) => err);
  if (!(here instanceof Error)) {
    if (want === 'directory' && !here.isDirectory()) throw refuse('a file');
    if (want === 'file' && here.isDirectory()) throw refuse('a directory');
    return;
  }
  if (here.code !== 'ENOTDIR') return;
  // A folder on the way is a file: name it.
  for (let up = dirname(path); up !== dirname(up); up = dirname(up)) {
    const above = await stat(up).catch(() => undefined);
    if (above && !above.isDirectory()) throw refuse(`a file at ${up}, where a folder must be`);
  }
}
