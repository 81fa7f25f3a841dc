import type { Row } from '../storage/types.ts';

/**
 * A compiled template bound to its column: renders one row. `seed` is the cell's
 * seed, which makes the `random` filter reproducible per cell (SPEC 2). Throws
 * TemplateError.
 */
export type RenderFn = (row: Readonly<Row>, seed?: number) => string;
