/**
 * The form of each sampler's params (SPEC 1), as a table: one row per field the
 * core's params type has (the keys are checked against config/types.ts). What an
 * empty optional field means is not written here: it is what the core's reader
 * fills in (read-samplers.ts), read once per sampler from its required fields.
 */
import { readSamplerParams } from '../../core/config/read-samplers.ts';
import { Fields } from '../../core/config/reader.ts';
import {
  DATETIME_UNITS,
  TIMEDELTA_UNITS,
  type PersonParams,
  type SamplerParamsByType,
  type SamplerType,
} from '../../core/config/types.ts';
import type { ConfigIssue } from '../../core/errors.ts';
import { defaultSamplerParams } from './defaults.ts';

/** How a field is edited (Field.svelte's kinds). */
export type SamplerFieldKind = 'text' | 'number' | 'int' | 'bool' | 'select' | 'list' | 'json';

export interface SamplerField<K extends string = string> {
  /** The param's key in `params`. */
  key: K;
  label: string;
  /** Default: 'text'. */
  kind?: SamplerFieldKind;
  /** Required by the core (no default). Default: false. */
  required?: boolean;
  /** Spans the form's width. Default: false. */
  wide?: boolean;
  help?: string;
  /** A select's choices, or 'columns': the names of the other columns. */
  options?: readonly string[] | 'columns';
  /** What the core's null default means, in words ("equal", "no rounding"). Default: 'none'. */
  noneHint?: string;
}

type ParamKey<T extends SamplerType> = Exclude<keyof SamplerParamsByType[T], 'sampler_type'> &
  string;

const decimals = {
  key: 'decimal_places',
  label: 'Decimal places',
  kind: 'int',
  noneHint: 'no rounding',
} as const;
const distribution = (help?: string) =>
  [
    { key: 'dist_name', label: 'Distribution', required: true, ...(help ? { help } : {}) },
    {
      key: 'dist_params',
      label: 'Distribution params (JSON)',
      kind: 'json',
      required: true,
      wide: true,
    },
  ] as const;
const SEXES: readonly NonNullable<PersonParams['sex']>[] = ['Male', 'Female'];
const person: readonly SamplerField<ParamKey<'person'>>[] = [
  { key: 'locale', label: 'Locale' },
  { key: 'sex', label: 'Sex', kind: 'select', options: SEXES, noneHint: 'both' },
  { key: 'city', label: 'City', noneHint: 'any' },
  { key: 'age_range', label: 'Age range', kind: 'list' },
];

/** Every sampler's fields, in the order the form shows them. */
export const SAMPLER_FIELDS: { [T in SamplerType]: readonly SamplerField<ParamKey<T>>[] } = {
  category: [
    { key: 'values', label: 'Values', kind: 'list', required: true, wide: true },
    { key: 'weights', label: 'Weights', kind: 'list', wide: true, noneHint: 'equal' },
  ],
  subcategory: [
    { key: 'category', label: 'Parent column', kind: 'select', options: 'columns', required: true },
    {
      key: 'values',
      label: 'Values per parent value (JSON)',
      kind: 'json',
      required: true,
      wide: true,
    },
  ],
  uniform: [
    { key: 'low', label: 'Low (inclusive)', kind: 'number', required: true },
    { key: 'high', label: 'High (exclusive)', kind: 'number', required: true },
    decimals,
  ],
  gaussian: [
    { key: 'mean', label: 'Mean', kind: 'number', required: true },
    { key: 'stddev', label: 'Std. deviation', kind: 'number', required: true },
    decimals,
  ],
  bernoulli: [{ key: 'p', label: 'p', kind: 'number', required: true }],
  bernoulli_mixture: [
    { key: 'p', label: 'p', kind: 'number', required: true },
    ...distribution(),
    decimals,
  ],
  binomial: [
    { key: 'n', label: 'Trials n', kind: 'int', required: true },
    { key: 'p', label: 'p', kind: 'number', required: true },
  ],
  poisson: [{ key: 'mean', label: 'Mean', kind: 'number', required: true }],
  scipy: [...distribution('norm, lognorm, expon, gamma, beta, uniform, randint, …'), decimals],
  datetime: [
    { key: 'start', label: 'Start (inclusive)', required: true },
    { key: 'end', label: 'End (exclusive)', required: true },
    { key: 'unit', label: 'Unit', kind: 'select', options: DATETIME_UNITS },
  ],
  timedelta: [
    { key: 'dt_min', label: 'Min offset', kind: 'number', required: true },
    { key: 'dt_max', label: 'Max offset (exclusive)', kind: 'number', required: true },
    {
      key: 'reference_column_name',
      label: 'Reference column',
      kind: 'select',
      options: 'columns',
      required: true,
    },
    { key: 'unit', label: 'Unit', kind: 'select', options: TIMEDELTA_UNITS },
  ],
  uuid: [
    { key: 'prefix', label: 'Prefix' },
    { key: 'short_form', label: 'Short form', kind: 'bool' },
    { key: 'uppercase', label: 'Upper case', kind: 'bool' },
  ],
  person,
  person_from_faker: person,
};

/** The fields of `type`'s params. */
export function samplerFields(type: SamplerType): readonly SamplerField[] {
  return SAMPLER_FIELDS[type];
}

const defaultsCache = new Map<SamplerType, Record<string, unknown>>();

/** The params the core reads for `type` when only its required fields are given. */
function coreDefaults(type: SamplerType): Record<string, unknown> {
  let read = defaultsCache.get(type);
  if (!read) {
    const given = defaultSamplerParams(type, ['parent']);
    const required = Object.fromEntries(
      samplerFields(type)
        .filter((f) => f.required)
        .map((f) => [f.key, given[f.key]]),
    );
    const issues: ConfigIssue[] = [];
    const fields = Fields.of(required, 'params', issues);
    read = fields ? { ...readSamplerParams(type, fields) } : {};
    defaultsCache.set(type, read);
  }
  return read;
}

/** What an empty optional field of `type` means, as the form's placeholder shows it. */
export function samplerDefaultHint(type: SamplerType, field: SamplerField): string | undefined {
  if (field.required) return undefined;
  const value = coreDefaults(type)[field.key];
  if (value === null || value === undefined) return field.noneHint ?? 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
