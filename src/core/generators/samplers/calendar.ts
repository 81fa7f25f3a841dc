/**
 * Proleptic Gregorian calendar arithmetic on UTC milliseconds, without Date
 * objects (Howard Hinnant's days-from-civil algorithms), for the datetime sampler
 * and strftime. Datetimes are naive and read as UTC, as pandas reads them.
 */

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a civil date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year of a day number (days since 1970-01-01). */
function yearOfDays(days: number): number {
  const { year } = civil(days);
  return year;
}

/** The civil date of a day number; month 1-12. Allocates one small object: not for hot loops. */
export function civil(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** First day (as a day number) of the month holding day number `days`. */
export function monthStart(days: number): number {
  const { year, month } = civil(days);
  return daysFromCivil(year, month, 1);
}

/** First day of the year holding day number `days`. */
export function yearStart(days: number): number {
  return daysFromCivil(yearOfDays(days), 1, 1);
}

const ISO =
  /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2})(?:[T ](\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Milliseconds since the epoch of an ISO 8601 datetime such as `2024`, `2024-03`,
 * `2024-03-15`, `2024-03-15T08:30:00.250`, with an optional `Z` or `±HH:MM`
 * offset; without one it is read as UTC. Returns undefined for anything else.
 */
export function parseIsoDatetime(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  const hour = m[4] ? Number(m[4]) : 0;
  const minute = m[5] ? Number(m[5]) : 0;
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const days = daysFromCivil(year, month, day);
  if (day < 1 || civil(days).month !== month) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset =
      sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * MS_PER_MINUTE;
  }
  return (
    days * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * MS_PER_SECOND +
    ms -
    offset
  );
}
