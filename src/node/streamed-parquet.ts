/**
 * `generate --out FILE.parquet` writes its one file while the run runs (issue 13):
 * each committed part file, already zstd Parquet of one row group, is spliced into
 * FILE as soon as every group before it is in, so the end of the run costs the
 * footer, not a second encoding of the dataset.
 *
 * Groups that commit out of order wait for the ones before them; a group whose rows
 * were all dropped never commits, so the splice waits at it until `finish` says the
 * run is over. When a part's schema differs from the first's (a later group widened
 * a column's type), splicing stops: `finish` then reports it, and the caller writes
 * the file again from the parts with the run's unified types (single-parquet.ts).
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
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
  #handle: FileHandle | undefined;
  /** The next row group id the file needs. */
  #next = 0;
  /** Settles when the splices queued so far are written. */
  #chain: Promise<void> = Promise.resolve();
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

  /** Row group `id` is committed in the store: splice it once the groups before it are. */
  committed(id: number): void {
    this.#committed.add(id);
    this.#queue(() => this.#spliceReady());
  }

  /**
   * The run is over and `ids` are its committed groups: splices the rest in order and
   * closes the file. Resolves true when the file is complete, false when splicing
   * stopped (no file is left then).
   */
  async finish(ids: readonly number[]): Promise<boolean> {
    this.#queue(async () => {
      for (const id of [...ids].sort((a, b) => a - b)) {
        if (id >= this.#next) await this.#splice(id);
      }
      if (this.#splicer.rowGroups === 0) throw new Error('no row group to write');
      const handle = await this.#open();
      await handle.write(this.#splicer.finish());
      await handle.sync();
      await handle.close();
      this.#handle = undefined;
      await rename(this.#tmp, this.#outFile);
    });
    await this.#chain;
    if (this.failed) await this.abort();
    return !this.failed;
  }

  /** Closes and removes the partial file. */
  async abort(): Promise<void> {
    await this.#chain;
    await this.#handle?.close().catch(() => undefined);
    this.#handle = undefined;
    await rm(this.#tmp, { force: true });
  }

  #queue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.failed) return;
      try {
        await step();
      } catch (err) {
        this.#failure = err;
      }
    });
  }

  async #spliceReady(): Promise<void> {
    while (this.#committed.has(this.#next)) await this.#splice(this.#next);
  }

  async #splice(id: number): Promise<void> {
    const bytes = await readFile(this.#store.partPath(this.#runId, id));
    const chunk = this.#splicer.append(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    );
    await (await this.#open()).write(chunk);
    this.#committed.delete(id);
    this.#next = id + 1;
  }

  async #open(): Promise<FileHandle> {
    this.#handle ??= await open(this.#tmp, 'w');
    return this.#handle;
  }
}
