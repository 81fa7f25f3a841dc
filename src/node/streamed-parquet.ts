/**
 * `generate --out FILE.parquet` writes its one file while the run runs (issue 13):
 * each committed part file, already zstd Parquet of one row group, is spliced into
 * FILE as soon as every group before it is in, so the end of the run costs the
 * footer, not a second encoding of the dataset.
 *
 * A splice is synchronous, in the commit that makes it ready: reading a part the
 * store has just written is a copy out of the page cache, and so is writing it out.
 * Asynchronous reads and writes, each a few round trips through libuv's thread pool
 * between the engine's batches, fell behind a fast run (samplers: hundreds of groups
 * a second) and left nearly all the splicing for after the run.
 *
 * Groups that commit out of order wait for the ones before them; a group whose rows
 * were all dropped never commits, so the splice waits at it until `finish` says the
 * run is over. When a part's schema differs from the first's (a later group widened
 * a column's type), splicing stops: `finish` then reports it, and the caller writes
 * the file again from the parts with the run's unified types (single-parquet.ts).
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { ParquetSplicer } from '../core/export/parquet-concat.ts';
import type { DirectoryStore } from './directory-store.ts';
import { tempPathFor } from './file-output.ts';

export class StreamedParquet {
  readonly #store: DirectoryStore;
  readonly #runId: string;
  readonly #outFile: string;
  readonly #tmp: string;
  readonly #splicer = new ParquetSplicer();
  readonly #committed = new Set<number>();
  /** The temp file's descriptor, once the first group is spliced. */
  #fd: number | undefined;
  /** The next row group id the file needs. */
  #next = 0;
  #failure: unknown;

  constructor(store: DirectoryStore, runId: string, outFile: string) {
    this.#store = store;
    this.#runId = runId;
    this.#outFile = outFile;
    this.#tmp = tempPathFor(outFile);
  }

  /** Whether splicing stopped (a schema that differs, or a write that failed). */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Row group `id` is committed in the store: splices it now if the groups before it are. */
  committed(id: number): void {
    this.#committed.add(id);
    this.#attempt(() => {
      while (this.#committed.has(this.#next)) this.#splice(this.#next);
    });
  }

  /**
   * The run is over and `ids` are its committed groups: splices the rest in order and
   * closes the file. True when the file is complete, false when splicing stopped (no
   * file is left then).
   */
  finish(ids: readonly number[]): boolean {
    this.#attempt(() => {
      for (const id of [...ids].sort((a, b) => a - b)) {
        if (id >= this.#next) this.#splice(id);
      }
      if (this.#splicer.rowGroups === 0) throw new Error('no row group to write');
      const fd = this.#open();
      this.#write(this.#splicer.finish());
      fsyncSync(fd);
      this.#close();
      renameSync(this.#tmp, this.#outFile);
    });
    return !this.failed;
  }

  /** Closes and removes the partial file. */
  abort(): void {
    this.#close();
    rmSync(this.#tmp, { force: true });
  }

  /**
   * Runs `step` unless splicing has stopped. A failure stops it and removes the
   * partial file at once: on a full disk it would hold back the space the run's own
   * commits need, until the end of the run.
   */
  #attempt(step: () => void): void {
    if (this.failed) return;
    try {
      step();
    } catch (err) {
      this.#failure = err;
      this.abort();
    }
  }

  #splice(id: number): void {
    const bytes = readFileSync(this.#store.partPath(this.#runId, id));
    this.#write(this.#splicer.append(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)));
    this.#committed.delete(id);
    this.#next = id + 1;
  }

  #write(chunk: Uint8Array): void {
    const fd = this.#open();
    for (let done = 0; done < chunk.length;) {
      done += writeSync(fd, chunk, done, chunk.length - done);
    }
  }

  #open(): number {
    this.#fd ??= openSync(this.#tmp, 'w');
    return this.#fd;
  }

  #close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // A close that fails (EIO after a failed write) still releases the descriptor.
    }
  }
}
