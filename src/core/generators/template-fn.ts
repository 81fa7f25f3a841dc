import type { Row } from '../storage/types.ts';

/** A compiled template bound to its column: renders one row. Throws TemplateError. */
export type RenderFn = (row: Readonly<Row>) => string;
