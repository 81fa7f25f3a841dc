/**
 * Python's arithmetic for template values: int op int stays int (except `/`),
 * anything with a float is a float, strings and lists concatenate and repeat
 * (charged to the render's work budget), and mismatched types fail as Python does.
 */
import { chargeWork } from './limits.ts';
import { fail, fl, isFloat, isNum, numOf, toStr, typeName, type PyFloat } from './values.ts';

type Num = number | PyFloat;

function bad(op: string, a: unknown, b: unknown): never {
  return fail(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** The result of a numeric operation: a float when either side was one. */
function num(r: number, a: unknown, b: unknown): Num {
  return isFloat(a) || isFloat(b) ? fl(r) : r;
}

export function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return Number.isInteger(a) && Number.isInteger(b) ? r : fl(r);
  }
  if (typeof a === 'string' && typeof b === 'string') {
    chargeWork(a.length + b.length);
    return a + b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    chargeWork(a.length + b.length);
    return [...a, ...b];
  }
  if (isNum(a) && isNum(b)) return num(numOf(a) + numOf(b), a, b);
  return bad('+', a, b);
}

export function sub(a: unknown, b: unknown): unknown {
  if (isNum(a) && isNum(b)) return num(numOf(a) - numOf(b), a, b);
  return bad('-', a, b);
}

function repeat(seq: unknown, times: unknown): unknown {
  const n = Math.max(0, numOf(times));
  if (typeof seq === 'string') {
    chargeWork(seq.length * n);
    return seq.repeat(n);
  }
  const items = seq as unknown[];
  if (items.length === 0) return [];
  chargeWork(items.length * n);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return out;
}

function isSeq(v: unknown): boolean {
  return typeof v === 'string' || Array.isArray(v);
}

function isIntLike(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean';
}

export function mul(a: unknown, b: unknown): unknown {
  if (isNum(a) && isNum(b)) return num(numOf(a) * numOf(b), a, b);
  if (isSeq(a) && isIntLike(b)) return repeat(a, b);
  if (isSeq(b) && isIntLike(a)) return repeat(b, a);
  return bad('*', a, b);
}

function divisor(op: string, a: unknown, b: unknown): number {
  if (!isNum(a) || !isNum(b)) bad(op, a, b);
  const d = numOf(b);
  if (d === 0) fail('division by zero');
  return d;
}

export function div(a: unknown, b: unknown): unknown {
  const d = divisor('/', a, b);
  return fl(numOf(a) / d);
}

export function floordiv(a: unknown, b: unknown): unknown {
  const d = divisor('//', a, b);
  return num(Math.floor(numOf(a) / d), a, b);
}

export function mod(a: unknown, b: unknown): unknown {
  const d = divisor('%', a, b);
  const x = numOf(a);
  return num(x - d * Math.floor(x / d), a, b);
}

export function pow(a: unknown, b: unknown): unknown {
  if (!isNum(a) || !isNum(b)) return bad('**', a, b);
  const x = numOf(a);
  const y = numOf(b);
  if (x === 0 && y < 0) return fail('0.0 cannot be raised to a negative power');
  const r = x ** y;
  return isFloat(a) || isFloat(b) || y < 0 ? fl(r) : r;
}

/** `a ~ b`: both as strings, joined. */
export function concat(a: unknown, b: unknown): string {
  const x = typeof a === 'string' ? a : toStr(a);
  const y = typeof b === 'string' ? b : toStr(b);
  chargeWork(x.length + y.length);
  return x + y;
}

export function neg(a: unknown): unknown {
  if (typeof a === 'number') return -a;
  if (isNum(a)) return isFloat(a) ? fl(-numOf(a)) : -numOf(a);
  return fail(`bad operand type for unary -: '${typeName(a)}'`);
}

export function pos(a: unknown): unknown {
  if (typeof a === 'boolean') return a ? 1 : 0;
  if (isNum(a)) return a;
  return fail(`bad operand type for unary +: '${typeName(a)}'`);
}
