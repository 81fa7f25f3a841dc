import { ErrorCodes, TabsynthError } from '../../errors.ts';
import type { SamplerDraw } from './types.ts';

export interface SubcategoryParams {
  /** Name of the parent column (a category sampler), earlier in the row. Required. */
  category: string;
  /** Parent value (as written in YAML, so a string key) to the values drawn for it. Required. */
  values: Readonly<Record<string, readonly (string | number)[]>>;
}

/**
 * `subcategory`: a uniform draw among the values listed for the parent column's
 * value in the same row (as Data Designer's `rng.choice(values[parent])`). A parent
 * value without a list, or with an empty one, fails the cell with a message naming
 * both columns.
 */
export function subcategorySampler(column: string, params: SubcategoryParams): SamplerDraw {
  const parent = params.category;
  const lists = new Map<string, readonly (string | number)[]>(Object.entries(params.values));
  return (rng, row) => {
    const key = row[parent];
    const list = lists.get(typeof key === 'string' ? key : String(key));
    if (!list || list.length === 0) {
      throw new TabsynthError(
        ErrorCodes.GENERATOR_FAILED,
        `column '${column}': subcategory values expected a list for ${parent} = ${JSON.stringify(key)}, ` +
          `found none (listed: ${[...lists.keys()].join(', ')})`,
        { column, parent },
      );
    }
    return list[rng.int(list.length)];
  };
}
