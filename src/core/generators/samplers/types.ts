import type { Rng } from '../../random/seed.ts';
import type { Row } from '../../storage/types.ts';

/**
 * One draw of a sampler for one cell. `rng` is already seeded for the cell
 * (SPEC 2); `row` holds the row's earlier sampler values (for subcategory,
 * timedelta and conditions). A draw must not keep `row`: it is reused.
 */
export type SamplerDraw = (rng: Rng, row: Readonly<Row>) => unknown;

/** A sampler that must load something (a faker locale) before its first draw. */
export interface PreparedSampler {
  draw: SamplerDraw;
  /** Loads what `draw` needs; idempotent. Awaited by the sampler group before drawing. */
  prepare: () => Promise<void>;
}
