/**
 * From a sampler's params (config/types.ts) to its draw: one file per sampler
 * family, picked here by `sampler_type`. `samplerColumn` builds a whole
 * SamplerColumn for the sampler group from a config column (params, conditional
 * params, convert_to, decimal_places).
 */
import type { SamplerColumnConfig, SamplerParams } from '../../config/types.ts';
import type { Row } from '../../storage/types.ts';
import type { SamplerColumn } from '../sampler-group.ts';
import { categorySampler } from './category.ts';
import { gaussianSampler, uniformSampler } from './continuous.ts';
import { makeConverter } from './convert.ts';
import { datetimeFormatter, datetimeSampler, timedeltaSampler } from './datetime.ts';
import {
  bernoulliMixtureSampler,
  bernoulliSampler,
  binomialSampler,
  poissonSampler,
} from './discrete.ts';
import { personSampler } from './person.ts';
import { scipySampler } from './scipy.ts';
import { subcategorySampler } from './subcategory.ts';
import type { SamplerDraw } from './types.ts';
import { uuidSampler } from './uuid.ts';

/** What the sampler group needs of one sampler's params. */
interface SamplerParts {
  draw: SamplerDraw;
  /** The draw reads earlier values of its row (subcategory, timedelta). */
  readsRow: boolean;
  /** Loads what the draw needs (person: its faker locale). Default: none. */
  prepare?: () => Promise<void>;
}

/** The draw of a sampler's params; `column` names the column in error messages. */
export function samplerParts(
  params: SamplerParams,
  column: string = params.sampler_type,
): SamplerParts {
  switch (params.sampler_type) {
    case 'category':
      return { draw: categorySampler(params), readsRow: false };
    case 'subcategory':
      return { draw: subcategorySampler(column, params), readsRow: true };
    case 'uniform':
      return { draw: uniformSampler(params), readsRow: false };
    case 'gaussian':
      return { draw: gaussianSampler(params), readsRow: false };
    case 'bernoulli':
      return { draw: bernoulliSampler(params), readsRow: false };
    case 'bernoulli_mixture':
      return { draw: bernoulliMixtureSampler(params), readsRow: false };
    case 'binomial':
      return { draw: binomialSampler(params), readsRow: false };
    case 'poisson':
      return { draw: poissonSampler(params), readsRow: false };
    case 'scipy':
      return { draw: scipySampler(params), readsRow: false };
    case 'datetime':
      return { draw: datetimeSampler(params), readsRow: false };
    case 'timedelta':
      return { draw: timedeltaSampler(column, params), readsRow: true };
    case 'uuid':
      return { draw: uuidSampler(params), readsRow: false };
    case 'person':
    case 'person_from_faker': {
      const { draw, prepare } = personSampler(column, params);
      return { draw, prepare, readsRow: false };
    }
  }
}

/** A condition of `conditional_params` compiled against the row. */
type ConditionCompiler = (condition: string) => (row: Readonly<Row>) => boolean;

/**
 * The sampler group's column for a config sampler column: its draw, its
 * conditional branches, `decimal_places` and `convert_to` (int/float/str before
 * constraints; a strftime format of datetime/timedelta on the output only), and
 * the locale loading of person samplers.
 */
export function samplerColumn(column: SamplerColumnConfig, when: ConditionCompiler): SamplerColumn {
  const name = column.name;
  const dated = column.sampler_type === 'datetime' || column.sampler_type === 'timedelta';
  const convertTo = dated ? null : (column.convert_to as 'int' | 'float' | 'str' | null);
  const converter = (params: SamplerParams) =>
    makeConverter(name, {
      decimalPlaces: 'decimal_places' in params ? params.decimal_places : null,
      convertTo,
    });
  const main = samplerParts(column.params, name);
  const branches = Object.entries(column.conditional_params).map(([condition, params]) => ({
    condition,
    parts: samplerParts(params, name),
    convert: converter(params),
  }));
  const prepares = [main, ...branches.map((b) => b.parts)].flatMap((p) =>
    p.prepare ? [p.prepare] : [],
  );
  const convert = converter(column.params);
  return {
    name,
    draw: main.draw,
    ...(convert ? { convert } : {}),
    ...(dated && column.convert_to ? { format: datetimeFormatter(name, column.convert_to) } : {}),
    ...(branches.length
      ? {
          conditional: branches.map((b) => ({
            when: when(b.condition),
            draw: b.parts.draw,
            ...(b.convert ? { convert: b.convert } : {}),
          })),
        }
      : {}),
    readsRow: main.readsRow || branches.length > 0,
    ...(prepares.length
      ? { prepare: () => Promise.all(prepares.map((p) => p())).then(() => undefined) }
      : {}),
  };
}
