/**
 * `datetime {start, end, unit}` and `timedelta {dt_min, dt_max, reference_column_name,
 * unit}` (SPEC 1), with Data Designer's semantics:
 * - datetime draws a whole second uniformly in [start, end) and truncates it to
 *   `unit` (Y: Jan 1, M: the 1st, D: midnight, h, m, s), so a draw may precede
 *   `start` by less than one unit, as numpy's datetime64 cast does.
 * - timedelta draws an integer in [dt_min, dt_max) and adds that many units to the
 *   reference column's datetime in the same row.
 * A draw is a Date (UTC; Arrow exports it as a timestamp). A strftime `convert_to`
 * is applied by `datetimeFormatter` to the output only, so later samplers and
 * constraints of the row still see the Date.
 */
import { ErrorCodes, TabsynthError } from '../../errors.ts';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  MS_PER_SECOND,
  monthStart,
  parseIsoDatetime,
  yearStart,
} from './calendar.ts';
import { invalidParam } from './errors.ts';
import { compileStrftime } from './strftime.ts';
import type { SamplerDraw } from './types.ts';

export type DatetimeUnit = 'Y' | 'M' | 'D' | 'h' | 'm' | 's';
export type TimedeltaUnit = 'D' | 'h' | 'm' | 's';

const FIXED_UNIT_MS: Readonly<Record<TimedeltaUnit, number>> = {
  D: MS_PER_DAY,
  h: MS_PER_HOUR,
  m: MS_PER_MINUTE,
  s: MS_PER_SECOND,
};

export interface DatetimeParams {
  /** Earliest datetime (ISO 8601, naive read as UTC), inclusive. Required. */
  start: string;
  /** Exclusive upper bound, after `start`. Required. */
  end: string;
  /** Granularity of the draws. Default: 'D'. */
  unit?: DatetimeUnit;
}

/** `datetime`: a Date uniform in [start, end), truncated to `unit`. */
export function datetimeSampler(params: DatetimeParams): SamplerDraw {
  const unit = params.unit ?? 'D';
  const startSec = Math.floor(parseParam('start', params.start) / MS_PER_SECOND);
  const endSec = Math.floor(parseParam('end', params.end) / MS_PER_SECOND);
  const span = endSec - startSec;
  if (span <= 0)
    throw invalidParam(
      'datetime',
      'end',
      `a datetime at least one second after start (${params.start})`,
      params.end,
    );
  if (unit === 'Y' || unit === 'M') {
    const first = unit === 'Y' ? yearStart : monthStart;
    return (rng) => {
      const days = Math.floor((startSec + rng.int(span)) / 86_400);
      return new Date(first(days) * MS_PER_DAY);
    };
  }
  const unitMs = FIXED_UNIT_MS[unit];
  if (unitMs === undefined) throw invalidParam('datetime', 'unit', 'one of Y, M, D, h, m, s', unit);
  return (rng) => {
    const ms = (startSec + rng.int(span)) * MS_PER_SECOND;
    return new Date(Math.floor(ms / unitMs) * unitMs);
  };
}

export interface TimedeltaParams {
  /** Smallest offset in units, inclusive, an integer >= 0. Required. */
  dt_min: number;
  /** Largest offset, exclusive, above `dt_min`. Required. */
  dt_max: number;
  /** The datetime column (earlier in the row) the offset is added to. Required. */
  reference_column_name: string;
  /** Default: 'D'. */
  unit?: TimedeltaUnit;
}

/**
 * `timedelta`: the reference column's datetime plus [dt_min, dt_max) units. The
 * reference may be a Date, epoch milliseconds or an ISO string; null stays null.
 */
export function timedeltaSampler(column: string, params: TimedeltaParams): SamplerDraw {
  const unitMs = FIXED_UNIT_MS[params.unit ?? 'D'];
  if (unitMs === undefined)
    throw invalidParam('timedelta', 'unit', 'one of D, h, m, s', params.unit);
  const { dt_min: min, dt_max: max, reference_column_name: ref } = params;
  if (!Number.isInteger(min) || min < 0)
    throw invalidParam('timedelta', 'dt_min', 'an integer >= 0', min);
  if (!Number.isInteger(max) || max <= min)
    throw invalidParam('timedelta', 'dt_max', `an integer above dt_min (${min})`, max);
  const span = max - min;
  return (rng, row) => {
    const base = row[ref];
    if (base == null) return null;
    const ms = epochMs(base);
    if (ms === undefined) {
      throw new TabsynthError(
        ErrorCodes.GENERATOR_FAILED,
        `column '${column}': timedelta expected a datetime in reference column '${ref}', found ${JSON.stringify(base)}`,
        { column, reference: ref },
      );
    }
    return new Date(ms + (min + rng.int(span)) * unitMs);
  };
}

/**
 * The output formatter of a datetime or timedelta column with a strftime
 * `convert_to`: a Date (or epoch ms) becomes text; null stays null.
 */
export function datetimeFormatter(column: string, format: string): (value: unknown) => unknown {
  const strftime = compileStrftime(format, `column '${column}': convert_to`);
  return (value) => {
    if (value == null) return value;
    const ms = epochMs(value);
    return ms === undefined ? value : strftime(ms);
  };
}

function epochMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return parseIsoDatetime(value);
  return undefined;
}

function parseParam(name: 'start' | 'end', text: string): number {
  const ms = parseIsoDatetime(text);
  if (ms === undefined)
    throw invalidParam('datetime', name, 'an ISO 8601 datetime such as 2024-03-15T08:30:00', text);
  return ms;
}
