import type { ColumnGenerator } from '../../engine/plan.ts';
import { samplerGroupGenerator, type SamplerColumn } from '../../generators/sampler-group.ts';
import { makeConverter } from '../../generators/samplers/convert.ts';
import { samplerDraw } from '../../generators/samplers/registry.ts';
import type { Row } from '../../storage/types.ts';
import type { SamplerColumnConfig } from '../types.ts';

type Condition = (source: string, where: string) => (row: Readonly<Row>) => boolean;

/** SPEC 3.1: every sampler column, in dependency order, in one generator. */
export function compileSamplers(
  name: string,
  columns: { column: SamplerColumnConfig; index: number }[],
  condition: Condition,
): ColumnGenerator {
  return samplerGroupGenerator(
    name,
    columns.map(({ column, index }) => compileSampler(column, `columns[${index}]`, condition)),
  );
}

function compileSampler(
  column: SamplerColumnConfig,
  where: string,
  condition: Condition,
): SamplerColumn {
  const convertTo = column.convert_to as 'int' | 'float' | 'str' | null;
  const decimals = (p: object) =>
    'decimal_places' in p ? (p.decimal_places as number | null) : null;
  const branches = Object.entries(column.conditional_params).map(([source, params]) => ({
    when: condition(source, `${where}.conditional_params`),
    draw: samplerDraw(params),
    convert: makeConverter(column.name, { decimalPlaces: decimals(params), convertTo }),
  }));
  return {
    name: column.name,
    draw: samplerDraw(column.params),
    convert: makeConverter(column.name, { decimalPlaces: decimals(column.params), convertTo }),
    ...(branches.length ? { conditional: branches } : {}),
    readsRow: branches.length > 0,
  };
}
