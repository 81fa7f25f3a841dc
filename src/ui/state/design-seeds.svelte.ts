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
   * Gives design `id` the seed `file` (null: none). `dataset` is the file already read;
   * without it the file is read here (the readers load on first use), and its content
   * shows once read, unless the design got another file meanwhile.
   */
  set(id: string, file: SeedFile | null, dataset?: SeedDataset): void {
    this.restore(id, file ? { file, dataset: dataset ?? null } : undefined);
    if (file && !dataset) void this.#read(id, file);
  }

  /** Gives design `id` a seed `get` returned (undoing a deletion); undefined: none. */
  restore(id: string, seed: DesignSeed | undefined): void {
    if (seed) this.#seeds.set(id, seed);
    else this.#seeds.delete(id);
  }

  async #read(id: string, file: SeedFile): Promise<void> {
    let dataset: SeedDataset;
    try {
      const { readSeedDataset } = await import('../../core/seed/read.ts');
      dataset = await readSeedDataset({ name: file.name, bytes: file.bytes.slice() });
    } catch {
      return; // A file that cannot be read shows by name; the preview names its fault.
    }
    if (this.#seeds.get(id)?.file !== file) return;
    this.#seeds.set(id, { file, dataset });
  }
}
