/**
 * Each saved design's seed dataset file, by design id: the file the user picked for
 * that design (or the one a stored run was made with) and, once read, its columns
 * and rows. Kept in memory only (this tab, this visit), never in storage: a design
 * opened again after a reload asks for its file anew. Deleting a design drops its file.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { SeedDataset } from '../../core/seed/types.ts';
import type { FileBytes } from '../../runtime/engine-api.ts';

/** A seed file picked by the user (or a stored run's), kept in memory only. */
export type SeedFile = FileBytes;

/** One design's seed: the file, and its content once read (null while it is read, or when it cannot be). */
export interface DesignSeed {
  readonly file: SeedFile;
  readonly dataset: SeedDataset | null;
}

export class DesignSeeds {
  readonly #seeds = new SvelteMap<string, DesignSeed>();

  /** Design `id`'s seed; undefined when it has none. */
  get(id: string): DesignSeed | undefined {
    return this.#seeds.get(id);
  }

  /**
   * Gives design `id` the seed `file` (null: none) and reads it (the readers load on
   * first use); its content shows once read, unless the design got another file
   * meanwhile. Settles when the read does: rejects with the reader's error, and the
   * file then shows by name only (the preview names its fault).
   */
  set(id: string, file: SeedFile | null): Promise<void> {
    this.restore(id, file ? { file, dataset: null } : undefined);
    return file ? this.#read(id, file) : Promise.resolve();
  }

  /** Drops design `id`'s seed (the design was deleted). */
  delete(id: string): void {
    this.#seeds.delete(id);
  }

  /** Gives design `id` a seed `get` returned (undoing a deletion); undefined: none. */
  restore(id: string, seed: DesignSeed | undefined): void {
    if (seed) this.#seeds.set(id, seed);
    else this.#seeds.delete(id);
  }

  async #read(id: string, file: SeedFile): Promise<void> {
    const { readSeedDataset } = await import('../../core/seed/read.ts');
    const dataset = await readSeedDataset({ name: file.name, bytes: file.bytes.slice() });
    if (this.#seeds.get(id)?.file === file) this.#seeds.set(id, { file, dataset });
  }
}
