/** Names of the generators the compiler makes beyond the config's columns (SPEC 3.1). */

/** Name of the one generator that fills every sampler column. */
export const SAMPLERS_GENERATOR = '__samplers';
/** Name of the one generator that fills every seed-dataset column. */
export const SEED_GENERATOR = '__seed_dataset';
/** Name of the hidden row-id column of a config without samplers or seeds. */
export const ROW_ID_COLUMN = '__row_id';
