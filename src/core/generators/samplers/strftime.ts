/**
 * Python's `strftime` for the datetime and timedelta samplers' `convert_to`
 * (Data Designer formats those columns with pandas' `.dt.strftime(convert_to)`).
 * Values are naive datetimes read as UTC, in the C locale (English names).
 *
 * Directives: %Y %y %m %d %e %H %I %M %S %f %p %j %a %A %b %B %h %w %u %z %Z %F %T %D %R
 * %c %x %X %n %t %%. %z is `+0000` and %Z is `UTC`. Any other directive is refused
 * when the format is compiled, so a typo fails at config time, not in a cell.
 */
import { ErrorCodes, TabsynthError } from '../../errors.ts';
import { MS_PER_DAY, civil, daysFromCivil } from './calendar.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The broken-down fields of one instant, computed once per value. */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  weekday: number;
  yday: number;
}

type Part = string | ((f: Fields) => string);

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));
const year4 = (y: number) => (y >= 0 && y < 1000 ? String(y).padStart(4, '0') : String(y));
const hour12 = (h: number) => (h % 12 === 0 ? 12 : h % 12);

const DIRECTIVES: Readonly<Record<string, Part>> = {
  Y: (f) => year4(f.year),
  y: (f) => pad2(((f.year % 100) + 100) % 100),
  m: (f) => pad2(f.month),
  d: (f) => pad2(f.day),
  e: (f) => (f.day < 10 ? ` ${f.day}` : String(f.day)),
  H: (f) => pad2(f.hour),
  I: (f) => pad2(hour12(f.hour)),
  M: (f) => pad2(f.minute),
  S: (f) => pad2(f.second),
  f: (f) => String(f.micro).padStart(6, '0'),
  p: (f) => (f.hour < 12 ? 'AM' : 'PM'),
  j: (f) => pad3(f.yday),
  a: (f) => DAYS[f.weekday]!.slice(0, 3),
  A: (f) => DAYS[f.weekday]!,
  b: (f) => MONTHS[f.month - 1]!.slice(0, 3),
  h: (f) => MONTHS[f.month - 1]!.slice(0, 3),
  B: (f) => MONTHS[f.month - 1]!,
  w: (f) => String(f.weekday),
  u: (f) => String(f.weekday === 0 ? 7 : f.weekday),
  z: '+0000',
  Z: 'UTC',
  n: '\n',
  t: '\t',
  '%': '%',
};

/** Shorthands, expanded before compiling (glibc's, which Python passes through). */
const COMPOSITES: Readonly<Record<string, string>> = {
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  D: '%m/%d/%y',
  R: '%H:%M',
  c: '%a %b %e %H:%M:%S %Y',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
};

/** The directive letters `compileStrftime` accepts. */
const STRFTIME_DIRECTIVES: readonly string[] = [
  ...Object.keys(DIRECTIVES),
  ...Object.keys(COMPOSITES),
];

/** A compiled format: milliseconds since the epoch (UTC) to text. */
type Strftime = (ms: number) => string;

/** Compiles a Python strftime format; throws CONFIG_INVALID naming an unknown directive. */
export function compileStrftime(format: string, where = 'convert_to'): Strftime {
  const parts: Part[] = [];
  let literal = '';
  const emit = (fmt: string): void => {
    for (let i = 0; i < fmt.length; i++) {
      const ch = fmt[i]!;
      if (ch !== '%') {
        literal += ch;
        continue;
      }
      const code = fmt[++i];
      const composite = code === undefined ? undefined : COMPOSITES[code];
      if (composite !== undefined) {
        emit(composite);
        continue;
      }
      const part = code === undefined ? undefined : DIRECTIVES[code];
      if (part === undefined) {
        throw new TabsynthError(
          ErrorCodes.CONFIG_INVALID,
          `${where}: strftime format ${JSON.stringify(format)} expected directives among ` +
            `${STRFTIME_DIRECTIVES.map((d) => `%${d}`).join(' ')}, found ${code === undefined ? 'a trailing %' : `%${code}`}`,
          { format },
        );
      }
      if (typeof part === 'string') literal += part;
      else {
        if (literal) parts.push(literal);
        literal = '';
        parts.push(part);
      }
    }
  };
  emit(format);
  if (literal) parts.push(literal);
  return (ms) => {
    const f = fieldsOf(ms);
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(f);
    return out;
  };
}

function fieldsOf(ms: number): Fields {
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  const { year, month, day } = civil(days);
  const seconds = Math.floor(inDay / 1000);
  return {
    year,
    month,
    day,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    micro: Math.round((inDay - seconds * 1000) * 1000),
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}
