/**
 * One output file written whole or not at all: the bytes go to a hidden temp file
 * beside it (`.NAME.<random>.tmp`), which is synced and renamed over NAME at the
 * end, and removed when anything fails. Disk errors become STORE_IO naming the file.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, StoreError, TabsynthError } from '../core/errors.ts';

/** A fresh temp path beside `outFile`. */
export function tempPathFor(outFile: string): string {
  return join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Runs `write` on a temp file, then puts it in place as `outFile`; resolves to `write`'s result. */
export async function writeFileAtomically<T>(
  outFile: string,
  write: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  const tmp = tempPathFor(outFile);
  try {
    const handle = await open(tmp, 'w');
    let result: T;
    try {
      result = await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, outFile);
    return result;
  } catch (err) {
    await rm(tmp, { force: true });
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
