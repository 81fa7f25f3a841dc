import type { Rng } from '../../random/seed.ts';
import type { Row } from '../../storage/types.ts';

/**
 * One draw of a sampler for one cell. `rng` is already seeded for the cell
 * (SPEC 2); `row` holds the row's earlier sampler values (for subcategory,
 * timedelta and conditions).
 */
export type SamplerDraw = (rng: Rng, row: Readonly<Row>) => unknown;
