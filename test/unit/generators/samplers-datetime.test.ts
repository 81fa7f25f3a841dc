import { describe, expect, it } from 'vitest';
import {
  datetimeFormatter,
  datetimeSampler,
  timedeltaSampler,
} from '../../../src/core/generators/samplers/datetime.ts';
import { compileStrftime } from '../../../src/core/generators/samplers/strftime.ts';
import { parseIsoDatetime } from '../../../src/core/generators/samplers/calendar.ts';
import { Rng } from '../../../src/core/random/seed.ts';
import { drawCells, share } from './sampler-stats.ts';

const N = 30_000;
const DAY = 86_400_000;
const dates = (xs: unknown[]) => xs as Date[];

describe('datetime sampler: start inclusive, end exclusive, truncated to unit', () => {
  it('unit D: midnights (UTC) of every day in [start, end), each about equally often', () => {
    const xs = dates(drawCells(datetimeSampler({ start: '2024-01-01', end: '2024-03-01' }), N));
    const start = Date.UTC(2024, 0, 1);
    const end = Date.UTC(2024, 2, 1);
    const days = new Map<number, number>();
    const outside = xs.filter(
      (d) => !(d instanceof Date) || d.getTime() % DAY !== 0 || +d < start || +d >= end,
    );
    expect(outside).toEqual([]);
    for (const d of xs) days.set(d.getTime(), (days.get(d.getTime()) ?? 0) + 1);
    expect(days.size).toBe(60);
    const se = Math.sqrt(((1 / 60) * (59 / 60)) / N);
    for (const count of days.values()) expect(Math.abs(count / N - 1 / 60)).toBeLessThan(5 * se);
  });

  it('unit h, m, s: zero below the unit, never at or after end', () => {
    const start = '2024-05-01T10:30:00';
    const end = '2024-05-01T20:00:00';
    const endMs = Date.UTC(2024, 4, 1, 20);
    for (const [unit, size] of [
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1000],
    ] as const) {
      const xs = dates(drawCells(datetimeSampler({ start, end, unit }), 5000));
      for (const d of xs) {
        expect(d.getTime() % size).toBe(0);
        expect(d.getTime()).toBeLessThan(endMs);
        // A draw is truncated, so it may precede start by less than one unit.
        expect(d.getTime()).toBeGreaterThan(Date.UTC(2024, 4, 1, 10, 30) - size);
      }
    }
  });

  it('unit M and Y: first of the month / of the year, weighted by the seconds each covers', () => {
    const months = dates(
      drawCells(datetimeSampler({ start: '2023-11-15', end: '2024-02-10', unit: 'M' }), 5000),
    );
    expect(new Set(months.map((d) => d.toISOString()))).toEqual(
      new Set(
        ['2023-11-01', '2023-12-01', '2024-01-01', '2024-02-01'].map((s) => `${s}T00:00:00.000Z`),
      ),
    );
    const years = dates(
      drawCells(datetimeSampler({ start: '2020-01-01', end: '2022-01-01', unit: 'Y' }), N),
    );
    const p2020 = 366 / 731;
    const se = Math.sqrt((p2020 * (1 - p2020)) / N);
    const y2020 = years.filter((d) => d.toISOString() === '2020-01-01T00:00:00.000Z').length / N;
    expect(Math.abs(y2020 - p2020)).toBeLessThan(5 * se);
    expect(years.every((d) => /^202[01]-01-01T00:00:00.000Z$/.test(d.toISOString()))).toBe(true);
  });

  it('reads naive ISO datetimes as UTC and honours an explicit offset', () => {
    expect(parseIsoDatetime('2024-01-01T00:00:00+02:00')).toBe(Date.UTC(2023, 11, 31, 22));
    expect(parseIsoDatetime('2024-02-29 13:45')).toBe(Date.UTC(2024, 1, 29, 13, 45));
    expect(parseIsoDatetime('2024-07')).toBe(Date.UTC(2024, 6, 1));
    expect(parseIsoDatetime('2023-02-29')).toBeUndefined();
    expect(parseIsoDatetime('next tuesday')).toBeUndefined();
  });

  it('refuses an unreadable start and an end not after start', () => {
    expect(() => datetimeSampler({ start: 'yesterday', end: '2024-01-01' })).toThrow(
      /datetime sampler: params.start expected an ISO 8601 datetime .*, found "yesterday"/,
    );
    expect(() => datetimeSampler({ start: '2024-01-01', end: '2024-01-01' })).toThrow(
      /params.end expected a datetime at least one second after start \(2024-01-01\), found "2024-01-01"/,
    );
  });
});

describe('strftime (convert_to of datetime and timedelta)', () => {
  const t = Date.UTC(2024, 2, 5, 14, 7, 9, 123); // Tuesday 5 March 2024, 14:07:09.123

  it('formats every documented directive as Python does', () => {
    const f = (fmt: string) => compileStrftime(fmt)(t);
    expect(f('%Y-%m-%d %H:%M:%S')).toBe('2024-03-05 14:07:09');
    expect(f('%y %b %B %a %A')).toBe('24 Mar March Tue Tuesday');
    expect(f('%j %p %I %f %z %Z %%')).toBe('065 PM 02 123000 +0000 UTC %');
    expect(f('%e|%w|%u|%h')).toBe(' 5|2|2|Mar');
    expect(f('%F %T|%D|%R')).toBe('2024-03-05 14:07:09|03/05/24|14:07');
    expect(f('%%Y is literal')).toBe('%Y is literal');
    expect(compileStrftime('%I %p')(Date.UTC(2024, 0, 1, 0, 5))).toBe('12 AM');
    expect(compileStrftime('%Y %j')(Date.UTC(1969, 11, 31))).toBe('1969 365');
  });

  it('agrees with the JavaScript calendar over many instants, leap years and centuries included', () => {
    const rng = new Rng(5);
    const format = compileStrftime('%Y-%m-%dT%H:%M:%S|%A|%j');
    for (let i = 0; i < 3000; i++) {
      const ms = Math.floor(rng.uniform(Date.UTC(1600, 0, 1), Date.UTC(2400, 0, 1)) / 1000) * 1000;
      const d = new Date(ms);
      const weekday = d.toLocaleString('en-US', { weekday: 'long', timeZone: 'UTC' });
      const yday = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
      expect(format(ms)).toBe(
        `${d.toISOString().slice(0, 19)}|${weekday}|${String(yday).padStart(3, '0')}`,
      );
    }
  });

  it('refuses an unknown directive when the format is compiled', () => {
    expect(() => compileStrftime('%Y-%Q', "column 'when': convert_to")).toThrow(
      /column 'when': convert_to: strftime format "%Y-%Q" expected directives among .*%Y.*, found %Q/,
    );
    expect(() => compileStrftime('100%')).toThrow(/found a trailing %/);
  });

  it('datetimeFormatter turns Dates into text and keeps nulls', () => {
    const format = datetimeFormatter('when', '%d/%m/%Y');
    expect(format(new Date(t))).toBe('05/03/2024');
    expect(format(null)).toBe(null);
  });
});

describe('timedelta sampler: reference datetime of the row plus [dt_min, dt_max) units', () => {
  const ref = new Date(Date.UTC(2024, 0, 31, 12));

  it('adds a whole number of units in [dt_min, dt_max), each about equally often', () => {
    const draw = timedeltaSampler('shipped', {
      dt_min: 2,
      dt_max: 7,
      reference_column_name: 'ordered',
      unit: 'h',
    });
    const xs = dates(drawCells(draw, N, 'shipped', { ordered: ref }));
    const offsets = xs.map((d) => (d.getTime() - ref.getTime()) / 3_600_000);
    expect(new Set(offsets)).toEqual(new Set([2, 3, 4, 5, 6]));
    for (const k of [2, 3, 4, 5, 6]) expect(Math.abs(share(offsets, k) - 0.2)).toBeLessThan(0.02);
  });

  it('defaults to days and reads an ISO string or epoch milliseconds as the reference', () => {
    const draw = timedeltaSampler('due', { dt_min: 0, dt_max: 3, reference_column_name: 'start' });
    for (const start of ['2024-01-31T12:00:00', ref.getTime(), ref]) {
      const xs = dates(drawCells(draw, 300, 'due', { start }));
      const days = new Set(xs.map((d) => (d.getTime() - ref.getTime()) / DAY));
      expect(days).toEqual(new Set([0, 1, 2]));
    }
  });

  it('keeps a null reference null and names both columns for an unreadable one', () => {
    const draw = timedeltaSampler('due', { dt_min: 0, dt_max: 3, reference_column_name: 'start' });
    expect(drawCells(draw, 3, 'due', { start: null })).toEqual([null, null, null]);
    expect(() => drawCells(draw, 1, 'due', { start: 'soon' })).toThrow(
      /column 'due': timedelta expected a datetime in reference column 'start', found "soon"/,
    );
  });

  it('refuses dt_max not above dt_min', () => {
    expect(() =>
      timedeltaSampler('x', { dt_min: 5, dt_max: 5, reference_column_name: 'r' }),
    ).toThrow(/timedelta sampler: params.dt_max expected an integer above dt_min \(5\), found 5/);
  });
});
