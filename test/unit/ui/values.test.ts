/**
 * How cells show datetimes (pandas' rule): a column whose values are all at
 * midnight UTC shows dates; otherwise date and time, without a `T`, a `Z` or
 * milliseconds when there are none.
 */
import { describe, expect, it } from 'vitest';
import { datetimeStyle, formatDatetime, formatScalar } from '../../../src/ui/lib/values.ts';

const midnight = new Date('2024-03-05T00:00:00Z');
const tenAm = new Date('2024-03-05T10:00:00Z');

describe('datetimes in cells', () => {
  it('a column whose every datetime is at midnight UTC shows dates', () => {
    const column = [midnight, new Date('2024-12-31T00:00:00Z'), null];
    expect(datetimeStyle(column)).toBe('date');
    expect(column.map((v) => formatScalar(v, datetimeStyle(column)))).toEqual([
      '2024-03-05',
      '2024-12-31',
      'null',
    ]);
  });

  it('one value with a time part makes the whole column show date and time', () => {
    const column = [midnight, tenAm];
    expect(datetimeStyle(column)).toBe('datetime');
    expect(column.map((v) => formatScalar(v, datetimeStyle(column)))).toEqual([
      '2024-03-05 00:00:00',
      '2024-03-05 10:00:00',
    ]);
  });

  it('milliseconds show only when there are some; an invalid time shows NaT', () => {
    expect(formatDatetime(new Date('2024-03-05T10:00:00.250Z'), 'datetime')).toBe(
      '2024-03-05 10:00:00.250',
    );
    expect(formatDatetime(new Date(Number.NaN), 'datetime')).toBe('NaT');
  });

  it('a datetime shown alone follows its own time part; other scalars as before', () => {
    expect(formatScalar(midnight)).toBe('2024-03-05');
    expect(formatScalar(tenAm)).toBe('2024-03-05 10:00:00');
    expect(formatScalar(0.1234567)).toBe('0.123457');
    expect(formatScalar(undefined)).toBe('null');
    expect(formatScalar('x')).toBe('x');
  });
});
