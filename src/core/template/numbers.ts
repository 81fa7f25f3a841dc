/**
 * The number filters whose rules are Python's: round (ties to even, as Python's
 * round does, or ceil/floor at a precision), int and float (parsing strings, with
 * a default when they cannot be parsed).
 */
import type { Kwargs } from './filters.ts';
import { fail, fl, isFloat, isNum, numOf, toStr, typeName } from './values.ts';

/** Argument `i` (or keyword `name`), else `dflt`. */
export function opt(
  args: readonly unknown[],
  kw: Kwargs | null,
  i: number,
  name: string,
  dflt: unknown,
): unknown {
  if (kw !== null && name in kw) return kw[name];
  return i < args.length ? args[i] : dflt;
}

/** Python's round(): exact ties go to the even neighbour, everything else to the nearest. */
function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  if (digits < 0) {
    const f = 10 ** -digits;
    return roundHalfEven(x / f, 0) * f;
  }
  const p = Math.min(digits, 80);
  if (Math.abs(x) >= 1e21) return x;
  const fixed = x.toFixed(p);
  const wide = x.toFixed(Math.min(100, p + 20));
  const tail = wide.slice(wide.length - (Math.min(100, p + 20) - p));
  if (/^50*$/.test(tail)) {
    const down = Number(wide.slice(0, wide.length - tail.length).replace(/\.$/, ''));
    const step = 10 ** -p;
    const up = down + Math.sign(x) * step;
    const lastDigit = (n: number) => Math.round(Math.abs(n) * 10 ** p) % 10;
    return Number((lastDigit(down) % 2 === 0 ? down : up).toFixed(p));
  }
  return Number(fixed);
}

export function doRound(v: unknown, args: readonly unknown[], kw: Kwargs | null): unknown {
  if (!isNum(v)) return fail(`round: expected a number, found ${typeName(v)}`);
  const precision = numOf(opt(args, kw, 0, 'precision', 0));
  const method = toStr(opt(args, kw, 1, 'method', 'common'));
  const x = numOf(v);
  if (method === 'common') {
    const r = roundHalfEven(x, precision);
    return isFloat(v) ? fl(r) : r;
  }
  if (method !== 'ceil' && method !== 'floor')
    return fail('round: method must be common, ceil or floor');
  const f = 10 ** precision;
  return fl((method === 'ceil' ? Math.ceil(x * f) : Math.floor(x * f)) / f);
}

export function toInt(v: unknown, args: readonly unknown[], kw: Kwargs | null): unknown {
  const dflt = opt(args, kw, 0, 'default', 0);
  const base = numOf(opt(args, kw, 1, 'base', 10));
  if (isNum(v)) return Math.trunc(numOf(v));
  if (typeof v !== 'string') return dflt;
  const s = v.trim().replace(/_/g, '');
  if (base === 10 && /^[+-]?\d+$/.test(s)) return Number(s);
  if (base !== 10) {
    const n = parseInt(s.replace(/^0[xob]/i, ''), base);
    return Number.isNaN(n) ? dflt : n;
  }
  const f = Number(s);
  return s !== '' && Number.isFinite(f) ? Math.trunc(f) : dflt;
}

export function toFloat(v: unknown, args: readonly unknown[], kw: Kwargs | null): unknown {
  const dflt = opt(args, kw, 0, 'default', fl(0));
  if (isNum(v)) return fl(numOf(v));
  if (typeof v !== 'string') return dflt;
  const s = v.trim().toLowerCase();
  const special: Record<string, number> = {
    inf: Infinity,
    '+inf': Infinity,
    '-inf': -Infinity,
    nan: NaN,
  };
  if (Object.hasOwn(special, s)) return special[s];
  const f = Number(s);
  return s !== '' && !Number.isNaN(f) ? fl(f) : dflt;
}
