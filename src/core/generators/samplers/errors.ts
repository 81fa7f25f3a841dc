import { ErrorCodes, TabsynthError } from '../../errors.ts';

/**
 * A sampler's params that validation let through but the sampler cannot use
 * (e.g. an unknown scipy distribution). Names the sampler, the param, what was
 * expected and what was found.
 */
export function invalidParam(
  sampler: string,
  param: string,
  expected: string,
  found: unknown,
): TabsynthError {
  return new TabsynthError(
    ErrorCodes.CONFIG_INVALID,
    `${sampler} sampler: params.${param} expected ${expected}, found ${JSON.stringify(found)}`,
    { sampler, param },
  );
}
