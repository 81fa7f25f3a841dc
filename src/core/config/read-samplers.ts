/**
 * Sampler params (Data Designer's sampler_params.py), checked field by field:
 * types, required fields, ranges (stddev > 0, low < high, p in [0, 1], weights as
 * long as values, ...). Cross-column rules (subcategory parents) live in validate.ts.
 */
import { type Fields, describe, isObject } from './reader.ts';
import {
  DATETIME_UNITS,
  TIMEDELTA_UNITS,
  type SamplerParamsByType,
  type SamplerType,
} from './types.ts';

const PERSON_REFUSED =
  'needs the Nemotron Personas datasets, which a browser does not have; filter with sex, city and age_range instead';

/** Reads `f` as the params of `type`. */
export function readSamplerParams<K extends SamplerType>(
  type: K,
  f: Fields,
): SamplerParamsByType[K] {
  const own = f.raw('sampler_type');
  if (own !== undefined && own !== type) {
    f.issue(
      'sampler_type',
      `expected '${type}' (the column's sampler_type), found ${describe(own)}`,
    );
  }
  const params = READERS[type](f) as SamplerParamsByType[K];
  f.end();
  return params;
}

type Readers = { [K in SamplerType]: (f: Fields) => SamplerParamsByType[K] };

const decimals = (f: Fields): number | null =>
  f.optNumber('decimal_places', null, { integer: true, min: 0 });

const READERS: Readers = {
  category: (f) => {
    const values = f.list('values', true, { minLength: 1 }) ?? [];
    const weights = f.raw('weights') != null ? f.numberList('weights', false) : null; // null: equal weights, as DD writes it
    checkWeights(f, values.length, weights);
    return { sampler_type: 'category', values: scalars(f, 'values', values), weights };
  },
  subcategory: (f) => {
    const category = f.string('category', { nonEmpty: true });
    const map = f.object('values');
    // Entries, not assignments: a key such as '__proto__' stays a key.
    const entries: [string, (string | number)[]][] = [];
    if (map) {
      for (const key of Object.keys(map.obj)) {
        entries.push([key, scalars(map, key, map.list(key, true, { minLength: 1 }) ?? [])]);
      }
    }
    return { sampler_type: 'subcategory', category, values: Object.fromEntries(entries) };
  },
  uniform: (f) => {
    const low = f.number('low');
    const high = f.number('high');
    if (low >= high)
      f.issue('high', `expected a number above low (${low}), found the number ${high}`);
    return { sampler_type: 'uniform', low, high, decimal_places: decimals(f) };
  },
  gaussian: (f) => ({
    sampler_type: 'gaussian',
    mean: f.number('mean'),
    stddev: f.number('stddev', { above: 0 }),
    decimal_places: decimals(f),
  }),
  bernoulli: (f) => ({ sampler_type: 'bernoulli', p: f.number('p', { min: 0, max: 1 }) }),
  bernoulli_mixture: (f) => ({
    sampler_type: 'bernoulli_mixture',
    p: f.number('p', { min: 0, max: 1 }),
    dist_name: f.string('dist_name', { nonEmpty: true }),
    dist_params: numberRecord(f, 'dist_params'),
    decimal_places: decimals(f),
  }),
  binomial: (f) => ({
    sampler_type: 'binomial',
    n: f.number('n', { integer: true, min: 0 }),
    p: f.number('p', { min: 0, max: 1 }),
  }),
  poisson: (f) => ({ sampler_type: 'poisson', mean: f.number('mean', { above: 0 }) }),
  scipy: (f) => ({
    sampler_type: 'scipy',
    dist_name: f.string('dist_name', { nonEmpty: true }),
    dist_params: numberRecord(f, 'dist_params'),
    decimal_places: decimals(f),
  }),
  datetime: (f) => {
    const start = dateString(f, 'start');
    const end = dateString(f, 'end');
    if (start !== '' && end !== '' && Date.parse(start) >= Date.parse(end)) {
      f.issue('end', `expected a datetime after start (${start}), found the string '${end}'`);
    }
    return {
      sampler_type: 'datetime',
      start,
      end,
      unit: f.oneOf('unit', DATETIME_UNITS, 'D'),
    };
  },
  timedelta: (f) => {
    const dt_min = f.number('dt_min', { integer: true, min: 0 });
    const dt_max = f.number('dt_max', { integer: true, above: 0 });
    if (dt_min >= dt_max) {
      f.issue('dt_max', `expected an integer above dt_min (${dt_min}), found the number ${dt_max}`);
    }
    return {
      sampler_type: 'timedelta',
      dt_min,
      dt_max,
      reference_column_name: f.string('reference_column_name', { nonEmpty: true }),
      unit: f.oneOf('unit', TIMEDELTA_UNITS, 'D'),
    };
  },
  uuid: (f) => ({
    sampler_type: 'uuid',
    prefix: f.optString('prefix', null),
    short_form: f.bool('short_form', false),
    uppercase: f.bool('uppercase', false),
  }),
  person: (f) => ({ sampler_type: 'person', ...personFields(f, true) }),
  person_from_faker: (f) => ({ sampler_type: 'person_from_faker', ...personFields(f, false) }),
};

function personFields(f: Fields, managed: boolean) {
  if (managed) {
    f.refuse('select_field_values', `select_field_values ${PERSON_REFUSED}`);
    f.refuse('with_synthetic_personas', `with_synthetic_personas ${PERSON_REFUSED}`);
  }
  const locale = f.optString('locale', 'en_US');
  if (!/^[a-z]{2,3}(_[A-Za-z]{2,4})*$/.test(locale)) {
    f.issue('locale', `expected a locale such as 'en_US', found ${describe(locale)}`);
  }
  const sexRaw = f.raw('sex');
  let sex: 'Male' | 'Female' | null = null;
  if (sexRaw === 'Male' || sexRaw === 'Female') sex = sexRaw;
  else if (sexRaw !== undefined && sexRaw !== null) {
    f.issue('sex', `expected 'Male' or 'Female', found ${describe(sexRaw)}`);
  }
  const cityRaw = f.raw('city');
  let city: string | string[] | null = null;
  if (typeof cityRaw === 'string') city = cityRaw;
  else if (Array.isArray(cityRaw) && cityRaw.every((c) => typeof c === 'string')) {
    city = cityRaw as string[];
  } else if (cityRaw !== undefined && cityRaw !== null) {
    f.issue('city', `expected a city name or a list of them, found ${describe(cityRaw)}`);
  }
  let age_range: [number, number] = [18, 114];
  if (f.has('age_range')) {
    const r = f.numberList('age_range', true);
    const [lo, hi] = r;
    if (r.length !== 2 || lo === undefined || hi === undefined) {
      f.issue('age_range', `expected [min, max], found ${describe(f.obj['age_range'])}`);
    } else if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > 114 || lo >= hi) {
      f.issue('age_range', `expected integers 0 <= min < max <= 114, found [${lo}, ${hi}]`);
    } else {
      age_range = [lo, hi];
    }
  }
  return { locale, sex, city, age_range };
}

function checkWeights(f: Fields, valueCount: number, weights: number[] | null): void {
  if (weights === null) return;
  if (weights.length !== valueCount) {
    f.issue('weights', `expected ${valueCount} weights (one per value), found ${weights.length}`);
  } else if (weights.some((w) => w < 0)) {
    f.issue('weights', 'expected weights >= 0, found a negative weight');
  } else if (weights.reduce((a, b) => a + b, 0) <= 0) {
    f.issue('weights', 'expected weights summing to more than 0, found a sum of 0');
  }
}

/**
 * The strings and numbers of `list` (field `key` of `f`); anything else is reported
 * and left out, so that later checks never turn an object or a list into text.
 */
function scalars(f: Fields, key: string, list: unknown[]): (string | number)[] {
  return list.filter((v, i): v is string | number => {
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return true;
    f.issue(`${key}[${i}]`, `expected a string or a finite number, found ${describe(v)}`);
    return false;
  });
}

function numberRecord(f: Fields, key: string): Record<string, number> {
  const raw = f.record(key, null, true);
  if (!isObject(raw)) return {};
  const numbers = Object.entries(raw).filter((e): e is [string, number] => {
    if (typeof e[1] === 'number' && Number.isFinite(e[1])) return true;
    f.issue(`${key}.${e[0]}`, `expected a number, found ${describe(e[1])}`);
    return false;
  });
  return Object.fromEntries(numbers);
}

function dateString(f: Fields, key: string): string {
  const v = f.string(key);
  if (v !== '' && Number.isNaN(Date.parse(v))) {
    f.issue(
      key,
      `expected a datetime such as '2024-01-31' or '2024-01-31T08:00:00', found ${describe(v)}`,
    );
    return '';
  }
  return v;
}
