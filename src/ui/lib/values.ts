/**
 * How the app writes a cell's value, in every table and detail view. Datetimes
 * follow pandas: a column whose every value is at midnight UTC shows dates
 * ("2024-03-05"); otherwise date and time ("2024-03-05 10:00:00"), with
 * milliseconds only when there are some.
 */

/** A datetime shown as its date alone, or its date and time. */
export type DatetimeStyle = 'date' | 'datetime';

const MS_PER_DAY = 86_400_000;

function atMidnight(d: Date): boolean {
  const ms = d.getTime();
  return Number.isNaN(ms) || ms % MS_PER_DAY === 0;
}

/**
 * The style for datetimes among `values` (one column's): 'date' when every datetime
 * among them is at midnight UTC, else 'datetime'. Other values do not count.
 */
export function datetimeStyle(values: Iterable<unknown>): DatetimeStyle {
  for (const v of values) if (v instanceof Date && !atMidnight(v)) return 'datetime';
  return 'date';
}

/** `d` as "2024-03-05", or "2024-03-05 10:00:00[.250]"; "NaT" when it is no valid time. */
export function formatDatetime(d: Date, style: DatetimeStyle): string {
  if (Number.isNaN(d.getTime())) return 'NaT';
  const iso = d.toISOString();
  const t = iso.indexOf('T');
  const date = iso.slice(0, t);
  if (style === 'date') return date;
  const time = iso.slice(t + 1, -1);
  return `${date} ${time.endsWith('.000') ? time.slice(0, -4) : time}`;
}

/**
 * A scalar value as a cell shows it: null for missing, numbers to 6 decimals,
 * datetimes in `style` (by default, the value's own: its date when at midnight).
 */
export function formatScalar(v: unknown, style?: DatetimeStyle): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return formatDatetime(v, style ?? datetimeStyle([v]));
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toFixed(6));
  return String(v);
}
